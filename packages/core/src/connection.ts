import { AuthSession } from './auth-session.js';
import { dataPathFor, toolingOf } from './api-root.js';
import type { CallOptions } from './call-options.js';
import { defaultTransport } from './default-transport.js';
import { type AuthStrategy, type Credentials, isAuthStrategy, tokenAuth } from './auth-strategy.js';
import { SalesforceError } from './errors.js';
import { Emitter } from './events.js';
import { BODY_LIMIT_DEFAULTS, readBodyText } from './body-limits.js';
import { errorFromResponse, looksLikeHtml } from './http-errors.js';
import type { LimitInfo } from './limits.js';
import { authHeaderMiddleware, refreshOn401Middleware } from './middleware/auth.js';
import { limitsMiddleware } from './middleware/limits.js';
import { type Logger, loggerMiddleware } from './middleware/logger.js';
import { type RetryOptions, retryMiddleware } from './middleware/retry.js';
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

export interface ConnectionOptions {
  /** The org's URL, e.g. `https://mydomain.my.salesforce.com`. Flows that log in may supply it instead. */
  instanceUrl?: string;
  /** `64.0` or `v64.0`. */
  apiVersion?: string;
  /** A strategy from @sf/auth, a token, or credentials you already hold. */
  auth?: AuthStrategy | Credentials | string;
  /**
   * Defaults to `defaultTransport()`: one shared undici transport with a keep-alive pool per
   * origin on Node.js, the fetch transport elsewhere.
   */
  transport?: Transport;
  /** Your own middleware, placed between ours and the transport (they see each attempt). */
  middleware?: readonly Middleware[];
  /** Retry policy, or `false` to switch retrying off. */
  retry?: RetryOptions | false;
  /** Per-step timeout for every request (connect, headers, each body chunk). Default 120 s. */
  timeoutMs?: number;
  /**
   * The longest a whole body read into memory (`request()`, `text()`, `json()`, error bodies)
   * may take, from the start of the read. Default 3 × `timeoutMs`. Streams have no such limit.
   */
  bodyTimeoutMs?: number;
  /** The largest success body read into memory, in bytes. Default 256 MiB. */
  maxBodyBytes?: number;
  /** The largest error body read, in bytes. Default 1 MiB. */
  maxErrorBodyBytes?: number;
  /** Receives one entry per HTTP exchange; never a token. */
  logger?: Logger;
  /**
   * Read by @sf/query's `find()` (and @sf/sobject's find, findOne, count): refuse condition values
   * that are objects with `$` keys unless wrapped in `trusted(...)`, so user input cannot inject
   * operators. Default false. Connections made by `withAuth` inherit it.
   */
  sanitizeFilter?: boolean;
}

export interface RequestOptions {
  method?: string;
  /**
   * `sobjects/Account` (relative to `/services/data/vNN.N/`), `/services/apexrest/x`
   * (relative to the instance), or a full URL (the token is only sent to the instance's origin
   * unless `authenticate` is true).
   */
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** A plain value is sent as JSON; strings, bytes and async iterables are sent as they are. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Overall deadline for reading this body into memory. Default: the connection's. */
  bodyTimeoutMs?: number;
  /** Largest body of this request read into memory. Default: the connection's. */
  maxBodyBytes?: number;
  /** Whether sending twice is safe (for retries); defaults by method. */
  idempotent?: boolean;
  /** Send the token even though the URL is not on the instance (identity URLs on the login host). */
  authenticate?: boolean;
  /** Package name for error messages. */
  source?: string;
}

export interface ConnectionEvents {
  /** New credentials after a renewal: store them (the refresh token may be among them). */
  refresh: (credentials: Credentials) => void;
  /** API usage from the latest response's `Sforce-Limit-Info`. */
  limits: (info: LimitInfo) => void;
}

/**
 * A connection to one org as one user. Feature packages take it as their first argument:
 * `query(conn, soql)`, `sobject(conn, 'Account')`.
 */
export interface Connection {
  readonly apiVersion: string;
  /** Known once given or once logged in. */
  readonly instanceUrl: string | undefined;
  /** Latest `Sforce-Limit-Info` seen. */
  readonly limits: LimitInfo | undefined;
  /** Per-step timeout applied to requests that name none. */
  readonly timeoutMs: number;
  /** The `sanitizeFilter` option (read by @sf/query's `find()`). */
  readonly sanitizeFilter?: boolean;
  /**
   * Where relative paths resolve: `/services/data/vNN.N/`, or `/services/data/vNN.N/tooling/`
   * on `conn.tooling`. Feature packages build absolute URLs (composite subrequests) from it.
   */
  readonly dataPath: string;
  /**
   * The Tooling API: this connection (same auth session, transport, pool, limits and events)
   * with relative paths under `/services/data/vNN.N/tooling/`, so `query(conn.tooling, soql)`
   * and `sobject(conn.tooling, 'ApexClass')` work as they do on the data root.
   */
  readonly tooling: Connection;
  /** JSON request; resolves with the parsed body (undefined for 204). Throws SalesforceError. */
  request<T = unknown>(options: RequestOptions | string): Promise<T>;
  /**
   * The response itself, for streaming. Non-success statuses still throw; read or cancel the
   * body of what you get.
   */
  requestRaw(options: RequestOptions & { body?: RequestBody | unknown }): Promise<TransportResponse>;
  get<T = unknown>(path: string, options?: Omit<RequestOptions, 'path' | 'method'>): Promise<T>;
  post<T = unknown>(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<T>;
  patch<T = unknown>(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<T>;
  put<T = unknown>(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<T>;
  delete<T = unknown>(path: string, options?: Omit<RequestOptions, 'path' | 'method'>): Promise<T>;
  /** The full URL for a path, as `request` would resolve it. */
  url(path: string, query?: RequestOptions['query']): string;
  /**
   * Valid credentials now (logging in or renewing if needed, within the connection's
   * `timeoutMs`). Takes `{ signal }`, or the signal itself as before.
   */
  credentials(options?: { signal?: AbortSignal } | AbortSignal): Promise<Credentials>;
  /** Renew after `rejected` was refused (for clients that speak other protocols, like CometD). */
  renewCredentials(
    rejected: Credentials | string,
    options?: { signal?: AbortSignal } | AbortSignal,
  ): Promise<Credentials>;
  /** A connection for another user (or token), sharing this one's transport and pool. */
  withAuth(auth: AuthStrategy | Credentials | string): Connection;
  /** `GET /services/data/`: the API versions the org offers. */
  versions(options?: CallOptions): Promise<Array<{ label: string; url: string; version: string }>>;
  /** `GET /services/data/vNN.N/`: resource name to path. */
  resources(options?: CallOptions): Promise<Record<string, string>>;
  /** `GET /limits`: every org limit with Max and Remaining. */
  fetchLimits(options?: CallOptions): Promise<Record<string, { Max: number; Remaining: number }>>;
  /** The identity of the logged-in user, from the identity URL. */
  identity(options?: CallOptions): Promise<Record<string, unknown>>;
  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): Connection;
  off<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): Connection;
  once<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): Connection;
}

export function normalizeApiVersion(version: string | undefined): string {
  const v = (version ?? DEFAULT_API_VERSION).replace(/^v/i, '');
  if (!/^\d{2,3}\.0$/.test(v)) {
    throw new SalesforceError(`apiVersion must look like "64.0", got "${version}"`, {
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
      if (!credentials.id) {
        throw new SalesforceError('no identity URL: the credentials did not come from an OAuth login', {
          code: 'INVALID_ARGUMENT',
        });
      }
      return request({ path: credentials.id, authenticate: true, ...o });
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
