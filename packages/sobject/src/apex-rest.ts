// Apex REST: the org's own `@RestResource` endpoints under /services/apexrest. `apexRest` takes
// nforce's request shape (`{ uri, method, body, urlParams }`, nforce's README in `shared/seeds/`).

import { refuseOldArguments } from '@sf/core';
import type { Connection } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import { refuseCallbacks } from './no-callback.js';
import { apexRestPath } from './path-segments.js';
import type { CallOptions } from './types.js';

/** One Apex REST call, in nforce's `apexRest` request shape. */
export interface ApexRestRequest extends CallOptions {
  /** Everything after `/services/apexrest/`, such as `Invoice/42` (a leading `/` is fine). */
  uri: string;
  /** Default `GET`. */
  method?: string;
  /** A plain value is sent as JSON; a string as it is. */
  body?: unknown;
  /** Query parameters: nforce's `[{ key, value }]` or an object. */
  urlParams?: readonly { key: string; value: unknown }[] | Record<string, unknown>;
  headers?: Record<string, string>;
}

function queryOf(params: ApexRestRequest['urlParams']): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(params)) {
    for (const p of params as { key: string; value: unknown }[]) out[p.key] = String(p.value);
  } else if (params) {
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

/**
 * Calls an Apex REST endpoint; resolves with the parsed JSON answer (text when it is not JSON,
 * undefined when empty).
 *
 * @example
 * const res = await apexRest(conn, { uri: 'test', method: 'POST', body: { name: 'x' }, urlParams: [{ key: 'mode', value: 'fast' }] });
 */
export async function apexRest<T = unknown>(conn: Connection, request: ApexRestRequest): Promise<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'apexRest()', arguments);
  const { uri, method, body, urlParams, headers, ...rest } = request;
  return conn.request<T>({
    method: (method ?? 'GET').toUpperCase(),
    path: apexRestPath(uri),
    query: queryOf(urlParams),
    ...(headers ? { headers } : {}),
    ...(body === undefined ? {} : { body }),
    ...callOptions(rest),
  });
}

export type ApexCallOptions = Omit<ApexRestRequest, 'uri' | 'method' | 'body'>;

/** Apex REST by method, as jsforce's `conn.apex.get(...)`. */
export interface ApexClient {
  get<T = unknown>(uri: string, options?: ApexCallOptions): Promise<T>;
  delete<T = unknown>(uri: string, options?: ApexCallOptions): Promise<T>;
  post<T = unknown>(uri: string, body?: unknown, options?: ApexCallOptions): Promise<T>;
  put<T = unknown>(uri: string, body?: unknown, options?: ApexCallOptions): Promise<T>;
  patch<T = unknown>(uri: string, body?: unknown, options?: ApexCallOptions): Promise<T>;
}

/**
 * Apex REST calls by method.
 *
 * @example
 * const invoice = await apex(conn).post('Invoice', { amount: 12 });
 */
export function apex(conn: Connection): ApexClient {
  // apex(conn, oauth): nforce's per-call oauth object would make a client acting as the
  // connection's user; refused here as its methods refuse it.
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (an oauth object).
  refuseOldArguments(SOURCE, 'apex()', arguments);
  const withBody =
    (method: string) =>
    <T>(uri: string, body?: unknown, options: ApexCallOptions = {}) =>
      apexRest<T>(conn, { ...options, uri, method, ...(body === undefined ? {} : { body }) });
  // A body is the endpoint's own JSON, sent as it is: any key may be legitimate there.
  const bodyRules = { opaque: [1] };
  return refuseCallbacks<ApexClient>(
    {
      get: (uri, options = {}) => apexRest(conn, { ...options, uri, method: 'GET' }),
      delete: (uri, options = {}) => apexRest(conn, { ...options, uri, method: 'DELETE' }),
      post: withBody('POST'),
      put: withBody('PUT'),
      patch: withBody('PATCH'),
    },
    [],
    { post: bodyRules, put: bodyRules, patch: bodyRules },
  );
}
