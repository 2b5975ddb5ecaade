/**
 * The one interface every package shares: small enough to implement in twenty lines.
 * A transport sends one request and resolves with the response whatever its status; it
 * rejects only when no response arrived (network failure, timeout, abort).
 */

/** A request body: text, bytes, or bytes streamed from an async iterable (sent as it is read). */
export type RequestBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface TransportRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  /**
   * The longest wait for any single step: connecting, the response headers, or the next
   * chunk of the body. Not a limit on a whole download, which may legitimately be long.
   */
  timeoutMs?: number;
  /**
   * The longest a whole body read with `text()` or `json()` may take, from the start of the
   * read. Default 3 × `timeoutMs`. A body streamed with `body()` has no overall deadline.
   */
  bodyTimeoutMs?: number;
  /** The largest body `text()` or `json()` buffers, in bytes. Default 256 MiB. */
  maxBodyBytes?: number;
  /** Whether sending it twice is harmless (lets retry middleware retry it); defaults by method. */
  idempotent?: boolean;
}

/**
 * A response. The body can be read once, as text, as JSON or as a byte stream. Always
 * read or cancel it: an unread body holds its socket. `text()` and `json()` reject `TIMEOUT`
 * past the request's `bodyTimeoutMs` and `MALFORMED_RESPONSE` past its `maxBodyBytes`.
 */
export interface TransportResponse {
  status: number;
  /** Header names are lower-cased. */
  headers: Record<string, string>;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
  /** The body as bytes, streamed. */
  body(): AsyncIterable<Uint8Array>;
  /**
   * Discard the body and release the connection, promptly even if the body never ends, and
   * also while a read is pending (that read then ends). Safe to call more than once.
   */
  cancel(): Promise<void>;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Wraps a transport in another: auth, retry, logging, recording... */
export type Middleware = (next: Transport) => Transport;

/** Compose middleware so that the first in the list is the outermost. */
export function composeMiddleware(transport: Transport, middleware: readonly Middleware[]): Transport {
  return middleware.reduceRight<Transport>((next, mw) => mw(next), transport);
}
