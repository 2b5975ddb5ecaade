import { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { transportBodyLimits } from './body-limits.js';
import { SalesforceError } from './errors.js';
import { createTransportResponse, normalizeHeaders } from './response.js';
import type { RequestBody, Transport, TransportRequest } from './transport.js';

export interface UndiciTransportOptions {
  /** Your own undici Dispatcher (a ProxyAgent, a MockAgent...). The global dispatcher is never used. */
  dispatcher?: Dispatcher;
  /** Connect timeout when we create the Agent. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long an idle keep-alive socket is kept. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Sockets per origin. Default unlimited (undici's default). */
  connections?: number;
  /** Default per-step timeout when a request names none. Default 120 s. */
  timeoutMs?: number;
  /** Default overall deadline of `text()`/`json()` when a request names none. Default 3 × the per-step timeout. */
  bodyTimeoutMs?: number;
  /** Default largest body `text()`/`json()` buffer. Default 256 MiB. */
  maxBodyBytes?: number;
}

/**
 * How long `cancel()` lets a small rest of the body arrive (so the socket can be reused)
 * before it destroys the socket instead.
 */
const CANCEL_GRACE_MS = 100;
const CANCEL_DRAIN_BYTES = 256 * 1024;

/**
 * The default transport: undici with a keep-alive pool per origin, streamed request and
 * response bodies, abort signals and per-step timeouts.
 *
 * @example
 * const transport = createUndiciTransport({ connections: 8 });
 * const conn = createConnection({ instanceUrl, auth, transport });
 */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport & {
  close(): Promise<void>;
} {
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
    });
  const defaultTimeout = options.timeoutMs ?? 120_000;

  const transport = async (req: TransportRequest) => {
    const url = new URL(req.url);
    const timeout = req.timeoutMs ?? defaultTimeout;
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: toUndiciBody(req.body),
        signal: req.signal ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      throw mapUndiciError(error, req);
    }
    const body = res.body;
    let reading = false;
    async function* stream(): AsyncGenerator<Uint8Array> {
      reading = true;
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        throw mapUndiciError(error, req, true);
      }
    }
    return createTransportResponse({
      status: res.statusCode,
      headers: normalizeHeaders(Object.entries(res.headers)),
      stream: stream(),
      discard: async () => {
        // A body being iterated is destroyed at once (dump would wait behind the pending read).
        // Otherwise a small rest that arrives at once keeps the socket reusable; a large or
        // slow one is dropped: dump alone waits for the end, which may never come.
        if (reading) {
          body.destroy();
          return;
        }
        await body
          .dump({ limit: CANCEL_DRAIN_BYTES, signal: AbortSignal.timeout(CANCEL_GRACE_MS) })
          .catch(() => body.destroy());
      },
      method: req.method,
      url: req.url,
      ...transportBodyLimits(req, options),
    });
  };
  return Object.assign(transport, {
    async close() {
      if (ownDispatcher) await dispatcher.close();
    },
  });
}

function toUndiciBody(body: RequestBody | undefined): string | Uint8Array | Readable | null {
  if (body === undefined) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return Readable.from(body, { objectMode: false });
}

const NOT_REACHED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Maps undici's failures onto typed errors; the caller's abort reason passes through unchanged. */
export function mapUndiciError(error: unknown, req: TransportRequest, duringBody = false): unknown {
  if (req.signal?.aborted) return req.signal.reason;
  if (error instanceof SalesforceError) return error;
  const code = errorCodeOf(error);
  const where = duringBody ? 'while reading the response body' : 'before a response arrived';
  const base = { method: req.method, url: req.url, cause: error };
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new SalesforceError(`timed out ${where} (${code})`, {
      ...base,
      code: 'TIMEOUT',
      reachedServer: code !== 'UND_ERR_CONNECT_TIMEOUT',
    });
  }
  return new SalesforceError(`network failure ${where}: ${code ?? (error as Error)?.message ?? 'unknown'}`, {
    ...base,
    code: 'NETWORK',
    reachedServer: !(code !== undefined && NOT_REACHED.has(code)),
  });
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
