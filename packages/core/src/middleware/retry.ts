import { type BackoffOptions, computeBackoff } from '../backoff.js';
import { SalesforceError } from '../errors.js';
import { isReplayableBody } from '../replayable.js';
import { parseRetryAfter } from '../retry-after.js';
import type { Middleware, TransportRequest, TransportResponse } from '../transport.js';

export { parseRetryAfter };

export interface RetryOptions {
  /** Attempts after the first. Default 3; 0 switches retrying off. */
  retries?: number;
  /**
   * Waits between attempts (core's `computeBackoff`): from `initialMs` (default 250 ms),
   * doubling, at most `maxMs` (default 20 s), with full jitter. A `Retry-After` wins.
   */
  backoff?: BackoffOptions;
  /** A `Retry-After` longer than this is not waited for: the response is returned. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Statuses worth another try. Default 429, 502, 503, 504. */
  statuses?: readonly number[];
  /** Random source in [0, 1) of the jitter, for tests. */
  random?: () => number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Whether a request may be sent twice: its own `idempotent` flag, or its method. */
export function isIdempotent(req: TransportRequest): boolean {
  return req.idempotent ?? IDEMPOTENT_METHODS.has(req.method.toUpperCase());
}

/** Waits `ms`, or rejects with the signal's reason if it fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Retries with exponential backoff and full jitter, honouring `Retry-After`; only requests
 * that are idempotent, or that never reached the server, and whose body can be sent again.
 */
export function retryMiddleware(options: RetryOptions = {}): Middleware {
  const retries = options.retries ?? 3;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const statuses = new Set(options.statuses ?? [429, 502, 503, 504]);
  const backoff = { ...options.backoff, ...(options.random ? { random: options.random } : {}) };
  const wait = (attempt: number, retryAfter?: number) => computeBackoff(attempt, backoff, retryAfter);

  return (next) => async (req) => {
    if (retries <= 0 || !isReplayableBody(req.body)) return next(req);
    for (let attempt = 0; ; attempt++) {
      let res: TransportResponse;
      try {
        res = await next(req);
      } catch (error) {
        if (req.signal?.aborted) throw error;
        const retryable =
          error instanceof SalesforceError &&
          (error.code === 'NETWORK' || error.code === 'TIMEOUT') &&
          (error.reachedServer === false || isIdempotent(req));
        if (!retryable || attempt >= retries) throw error;
        await sleep(wait(attempt), req.signal);
        continue;
      }
      if (attempt >= retries || !statuses.has(res.status) || !isIdempotent(req)) return res;
      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      if (retryAfter !== undefined && retryAfter > maxRetryAfter) return res;
      await res.cancel();
      await sleep(wait(attempt, retryAfter), req.signal);
    }
  };
}
