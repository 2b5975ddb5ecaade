// The shapes of a connection: its options, a request's options, its events and the Connection
// interface that feature packages take as their first argument. The implementation is in
// connection.ts.
import type { AuthStrategy, Credentials } from './auth-strategy.js';
import type { CallOptions } from './call-options.js';
import type { LimitInfo } from './limits.js';
import type { Logger } from './middleware/logger.js';
import type { RetryOptions } from './middleware/retry.js';
import type { Middleware, RequestBody, Transport, TransportResponse } from './transport.js';

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
