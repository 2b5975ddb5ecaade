import { transportBodyLimits } from './body-limits.js';
import { SalesforceError } from './errors.js';
import { createTransportResponse, normalizeHeaders } from './response.js';
import type { RequestBody, Transport, TransportRequest } from './transport.js';

export interface FetchTransportOptions {
  /** Default per-step timeout when a request names none. Default 120 s. */
  timeoutMs?: number;
  /** Default overall deadline of `text()`/`json()` when a request names none. Default 3 × the per-step timeout. */
  bodyTimeoutMs?: number;
  /** Default largest body `text()`/`json()` buffer. Default 256 MiB. */
  maxBodyBytes?: number;
}

class StepTimeout extends Error {}
class Cancelled extends Error {}

/**
 * A transport over any WHATWG `fetch` (edge runtimes, Deno, Bun, browsers with CORS set up).
 * Streams both ways where the runtime can.
 *
 * @example
 * const conn = createConnection({ instanceUrl, auth, transport: createFetchTransport(fetch) });
 */
export function createFetchTransport(
  fetchImpl: typeof fetch = globalThis.fetch,
  options: FetchTransportOptions = {},
): Transport {
  const defaultTimeout = options.timeoutMs ?? 120_000;
  return async (req: TransportRequest) => {
    const timeoutMs = req.timeoutMs ?? defaultTimeout;
    // One controller per request, unlinked from the caller's signal when the request ends,
    // so long-lived signals do not accumulate listeners.
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(req.signal?.reason);
    if (req.signal?.aborted) throw req.signal.reason;
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new StepTimeout()), timeoutMs);
    };
    const finish = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    };
    const fail = (error: unknown, duringBody: boolean) => {
      finish();
      if (req.signal?.aborted) return req.signal.reason;
      const where = duringBody ? 'while reading the response body' : 'before a response arrived';
      if (controller.signal.reason instanceof StepTimeout) {
        return new SalesforceError(`timed out ${where}`, {
          code: 'TIMEOUT',
          method: req.method,
          url: req.url,
          reachedServer: true,
          cause: error,
        });
      }
      const code = (error as { cause?: { code?: string } })?.cause?.code;
      return new SalesforceError(`network failure ${where}: ${code ?? (error as Error)?.message}`, {
        code: 'NETWORK',
        method: req.method,
        url: req.url,
        reachedServer: code !== 'ECONNREFUSED' && code !== 'ENOTFOUND',
        cause: error,
      });
    };
    arm();
    let res: Response;
    try {
      const init: RequestInit & { duplex?: 'half' } = {
        method: req.method,
        headers: req.headers,
        signal: controller.signal,
        redirect: 'manual',
      };
      const body = toFetchBody(req.body);
      if (body !== undefined) {
        init.body = body;
        if (body instanceof ReadableStream) init.duplex = 'half';
      }
      res = await fetchImpl(req.url, init);
    } catch (error) {
      throw fail(error, false);
    }
    // Between the headers and the first read, the caller sets the pace: no timer runs.
    clearTimeout(timer);
    const reader = res.body?.getReader();
    async function* stream(): AsyncGenerator<Uint8Array> {
      if (!reader) return;
      try {
        for (;;) {
          arm();
          const { done, value } = await reader.read();
          clearTimeout(timer);
          if (done) break;
          yield value;
        }
      } catch (error) {
        throw fail(error, true);
      }
    }
    return createTransportResponse({
      status: res.status,
      headers: normalizeHeaders(res.headers.entries()),
      stream: stream(),
      discard: async () => {
        // Cancelling the reader ends a pending read; aborting makes sure the socket is dropped
        // rather than left to a body that may never end.
        clearTimeout(timer);
        await reader?.cancel().catch(() => {});
        controller.abort(new Cancelled());
      },
      onSettled: finish,
      method: req.method,
      url: req.url,
      ...transportBodyLimits(req, options),
    });
  };
}

function toFetchBody(
  body: RequestBody | undefined,
): string | Uint8Array | ReadableStream<Uint8Array> | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
