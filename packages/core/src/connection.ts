import { AuthSession } from './auth-session.js';
import type { Connection, ConnectionEvents, ConnectionOptions, RequestOptions } from './connection-types.js';
import { dataPathFor, toolingOf } from './api-root.js';
import { refuseOldConnectionOptions } from './connection-options-check.js';
import { defaultTransport } from './default-transport.js';
import { type AuthStrategy, type Credentials, isAuthStrategy, tokenAuth } from './auth-strategy.js';
import { SalesforceError } from './errors.js';
import { Emitter } from './events.js';
import { BODY_LIMIT_DEFAULTS, readBodyText } from './body-limits.js';
import { errorFromResponse, looksLikeHtml } from './http-errors.js';
import type { LimitInfo } from './limits.js';
import { authHeaderMiddleware, refreshOn401Middleware } from './middleware/auth.js';
import { limitsMiddleware } from './middleware/limits.js';
import { loggerMiddleware } from './middleware/logger.js';
import { retryMiddleware } from './middleware/retry.js';
import {
  composeMiddleware,
  type Middleware,
  type RequestBody,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/** The API version used when none is given. */
export const DEFAULT_API_VERSION = '64.0';

export type { Connection, ConnectionEvents, ConnectionOptions, RequestOptions } from './connection-types.js';

export function normalizeApiVersion(version: string | undefined): string {
  // nforce took a number too (`apiVersion: 27`): a whole number is that version.
  const given: unknown = version;
  const text =
    typeof given === 'number' && Number.isInteger(given) ? `${given}.0` : (given ?? DEFAULT_API_VERSION);
  const v = typeof text === 'string' ? text.replace(/^v/i, '') : '';
  if (!/^\d{2,3}\.0$/.test(v)) {
    const shown = typeof given === 'string' || typeof given === 'number' ? String(given) : typeof given;
    throw new SalesforceError(`apiVersion must look like "64.0", got "${shown}"`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  return v;
}

function toStrategy(auth: ConnectionOptions['auth']): AuthStrategy | undefined {
  if (auth === undefined) return undefined;
  if (typeof auth === 'string') return tokenAuth(auth);
  if (isAuthStrategy(auth)) return auth;
  if (typeof (auth as Credentials).accessToken === 'string') return tokenAuth(auth as Credentials);
  throw new SalesforceError('auth must be an AuthStrategy, a token or credentials', {
    code: 'INVALID_ARGUMENT',
  });
}

function isBodyStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/**
 * Creates a connection. Middleware runs in this order, outermost first: retry, auth header,
 * refresh on 401, limits tracking, logging, your middleware, the transport.
 *
 * @example
 * const conn = createConnection({ instanceUrl: 'https://x.my.salesforce.com', auth: process.env.SF_TOKEN });
 * const versions = await conn.versions();
 */
export function createConnection(options: ConnectionOptions = {}): Connection {
  refuseOldConnectionOptions(options);
  const base = options.transport ?? defaultTransport();
  return buildConnection(options, base);
}

function buildConnection(options: ConnectionOptions, base: Transport): Connection {
  const apiVersion = normalizeApiVersion(options.apiVersion);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const emitter = new Emitter<ConnectionEvents>({ events: ['refresh', 'limits'] });
  let limits: LimitInfo | undefined;
  let instanceUrl = options.instanceUrl?.replace(/\/+$/, '');
  const strategy = toStrategy(options.auth);
  const session = strategy
    ? new AuthSession(
        strategy,
        () => ({ transport: base, timeoutMs }),
        (credentials, renewed) => {
          // A user of another org (multi-user mode) gets its own instance from its login.
          if (credentials.instanceUrl) instanceUrl = credentials.instanceUrl.replace(/\/+$/, '');
          if (renewed) emitter.emit('refresh', credentials);
        },
      )
    : undefined;

  const shared: Middleware[] = [
    limitsMiddleware((info) => {
      limits = info;
      emitter.emit('limits', info);
    }),
    ...(options.logger ? [loggerMiddleware(options.logger)] : []),
    ...(options.middleware ?? []),
  ];
  const retry = options.retry === false ? [] : [retryMiddleware(options.retry ?? {})];
  const anonymous = composeMiddleware(base, [...retry, ...shared]);
  const authed = session
    ? composeMiddleware(base, [
        ...retry,
        authHeaderMiddleware(session),
        refreshOn401Middleware(session),
        ...shared,
      ])
    : anonymous;

  const ensureInstance = async (signal?: AbortSignal): Promise<string> => {
    // Log in before resolving: the login may name the user's own instance.
    if (session && !session.current) await session.credentials(signal);
    if (!instanceUrl) {
      throw new SalesforceError('no instanceUrl: give one, or an auth strategy that logs in', {
        code: 'INVALID_ARGUMENT',
      });
    }
    return instanceUrl;
  };

  const resolve = (root: string, path: string, query?: RequestOptions['query']): string => {
    let url: URL;
    if (/^https?:\/\//i.test(path)) url = new URL(path);
    else if (path.startsWith('/')) url = new URL(root + path);
    else url = new URL(`${root}/services/data/v${apiVersion}/${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    return url.toString();
  };

  const bodyTimeoutMs = options.bodyTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes;
  const maxErrorBodyBytes = options.maxErrorBodyBytes ?? BODY_LIMIT_DEFAULTS.maxErrorBodyBytes;

  const send = async (opts: RequestOptions): Promise<[TransportResponse, TransportRequest]> => {
    const method = (opts.method ?? 'GET').toUpperCase();
    const root = /^https?:\/\//i.test(opts.path) ? '' : await ensureInstance(opts.signal);
    const url = resolve(root, opts.path, opts.query);
    const headers: Record<string, string> = { accept: 'application/json', ...lower(opts.headers) };
    let body: RequestBody | undefined;
    if (opts.body !== undefined) {
      if (typeof opts.body === 'string' || opts.body instanceof Uint8Array || isBodyStream(opts.body)) {
        body = opts.body as RequestBody;
      } else {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const sendAuth =
      session !== undefined &&
      (opts.authenticate === true ||
        (instanceUrl !== undefined && new URL(url).origin === new URL(instanceUrl).origin));
    const transport = sendAuth ? authed : anonymous;
    const req: TransportRequest = {
      method,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(opts.signal ? { signal: opts.signal } : {}),
      timeoutMs: opts.timeoutMs ?? timeoutMs,
      ...(opts.idempotent === undefined ? {} : { idempotent: opts.idempotent }),
      ...optional('bodyTimeoutMs', opts.bodyTimeoutMs ?? bodyTimeoutMs),
      ...optional('maxBodyBytes', opts.maxBodyBytes ?? maxBodyBytes),
    };
    const res = await transport(req);
    if (res.status >= 300 && res.status !== 304)
      throw await errorFromResponse(res, req, opts.source, { maxErrorBodyBytes });
    return [res, req];
  };

  const requestRaw = async (opts: RequestOptions): Promise<TransportResponse> => (await send(opts))[0];

  const request = async <T>(input: RequestOptions | string): Promise<T> => {
    const opts = typeof input === 'string' ? { path: input } : input;
    const [res, req] = await send(opts);
    const contentType = res.headers['content-type'];
    if (res.status === 204 || res.status === 304) {
      await res.cancel();
      return undefined as T;
    }
    // Any transport's body, within the deadline and size limit (never waiting for a body that never ends).
    const text = await readBodyText(res, req, opts.source ? { source: opts.source } : {});
    if (text.length === 0) return undefined as T;
    const where = { method: (opts.method ?? 'GET').toUpperCase(), url: opts.path };
    if (looksLikeHtml(contentType, text)) {
      throw new SalesforceError(`${res.status}: expected JSON, the server answered with an HTML page`, {
        code: 'MALFORMED_RESPONSE',
        status: res.status,
        ...where,
        ...(opts.source ? { source: opts.source } : {}),
      });
    }
    if (contentType && !/json/i.test(contentType)) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new SalesforceError(
        `response body is not valid JSON (${text.length} characters): truncated or malformed`,
        {
          code: 'MALFORMED_RESPONSE',
          status: res.status,
          ...where,
          cause,
          ...(opts.source ? { source: opts.source } : {}),
        },
      );
    }
  };

  const withBody =
    (method: string) =>
    <T>(path: string, body?: unknown, rest: Omit<RequestOptions, 'path' | 'method' | 'body'> = {}) =>
      request<T>({ ...rest, method, path, ...(body === undefined ? {} : { body }) });

  const connection: Connection = {
    apiVersion,
    get instanceUrl() {
      return instanceUrl;
    },
    get limits() {
      return limits;
    },
    timeoutMs,
    sanitizeFilter: options.sanitizeFilter === true,
    dataPath: dataPathFor(apiVersion),
    get tooling() {
      return toolingOf(connection);
    },
    request,
    requestRaw,
    get: (path, rest = {}) => request({ ...rest, method: 'GET', path }),
    post: withBody('POST'),
    patch: withBody('PATCH'),
    put: withBody('PUT'),
    delete: (path, rest = {}) => request({ ...rest, method: 'DELETE', path }),
    url: (path, query) => {
      if (!instanceUrl && !/^https?:\/\//i.test(path)) {
        throw new SalesforceError('no instanceUrl yet: log in first', { code: 'INVALID_ARGUMENT' });
      }
      return resolve(instanceUrl ?? '', path, query);
    },
    async credentials(options) {
      if (!session) throw new SalesforceError('this connection has no auth', { code: 'AUTH_FAILED' });
      return session.credentials(signalOf(options));
    },
    async renewCredentials(rejected, options) {
      if (!session) throw new SalesforceError('this connection has no auth', { code: 'AUTH_FAILED' });
      return session.renew(rejected, signalOf(options));
    },
    // The instance is kept as a default; credentials that name their own instance win.
    withAuth: (auth) => buildConnection({ ...options, auth, ...(instanceUrl ? { instanceUrl } : {}) }, base),
    versions: (o = {}) => request({ path: '/services/data/', ...o }),
    resources: (o = {}) => request({ path: '', ...o }),
    fetchLimits: (o = {}) => request({ path: 'limits', ...o }),
    async identity(o = {}) {
      const credentials = await connection.credentials(o.signal);
      // A token given by hand (or JWT, client credentials) carries no `id`: the version
      // resource names the identity URL of the token's user, as jsforce reads it.
      const url = credentials.id || identityUrlOf(await request({ path: '', ...o }), instanceUrl);
      return request({ path: url, authenticate: true, ...o });
    },
    on(event, listener) {
      emitter.on(event, listener);
      return connection;
    },
    off(event, listener) {
      emitter.off(event, listener);
      return connection;
    },
    once(event, listener) {
      emitter.once(event, listener);
      return connection;
    },
  };
  return connection;
}

/**
 * The `identity` entry of `GET /services/data/vNN.N/`: a full URL ending in `/id/{orgId}/{userId}`.
 * The token goes there only over HTTPS or to the instance itself, never in clear to elsewhere.
 */
function identityUrlOf(resources: unknown, instanceUrl: string | undefined): string {
  const url = (resources as { identity?: unknown } | undefined)?.identity;
  if (typeof url === 'string' && url.length > 0) {
    const target = URL.canParse(url) ? new URL(url) : undefined;
    const instance = instanceUrl === undefined ? undefined : new URL(instanceUrl).origin;
    if (url.startsWith('/') || target?.protocol === 'https:' || target?.origin === instance) return url;
  }
  throw new SalesforceError(
    'no identity URL: the credentials carry no `id`, and the version resource (GET /services/data/vNN.N/) lists no usable `identity` (a full URL, on HTTPS or on the instance)',
    { code: 'MALFORMED_RESPONSE' },
  );
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

/** The signal of `{ signal }`, or a signal passed on its own (the older positional form). */
function signalOf(options: { signal?: AbortSignal } | AbortSignal | undefined): AbortSignal | undefined {
  return options === undefined || 'aborted' in options
    ? (options as AbortSignal | undefined)
    : options.signal;
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
