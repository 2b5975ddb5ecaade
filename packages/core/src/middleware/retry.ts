import { SalesforceError } from '../errors.js';
import type { Middleware, TransportRequest, TransportResponse } from '../transport.js';

export interface RetryOptions {
  /** Attempts after the first. Default 3; 0 switches retrying off. */
  retries?: number;
  /** First backoff step. Default 250 ms; doubles each attempt, with full jitter. */
  minDelayMs?: number;
  /** Largest backoff step. Default 20 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Statuses worth another try. Default 429, 502, 503, 504. */
  statuses?: readonly number[];
  /** Random source in [0, 1), for tests. */
  random?: () => number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Whether a request may be sent twice: its own `idempotent` flag, or its method. */
export function isIdempotent(req: TransportRequest): boolean {
  return req.idempotent ?? IDEMPOTENT_METHODS.has(req.method.toUpperCase());
}

function replayable(req: TransportRequest): boolean {
  return req.body === undefined || typeof req.body === 'string' || req.body instanceof Uint8Array;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 20_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const statuses = new Set(options.statuses ?? [429, 502, 503, 504]);
  const random = options.random ?? Math.random;
  const backoff = (attempt: number) => random() * Math.min(maxDelay, minDelay * 2 ** attempt);

  return (next) => async (req) => {
    if (retries <= 0 || !replayable(req)) return next(req);
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
        await sleep(backoff(attempt), req.signal);
        continue;
      }
      if (attempt >= retries || !statuses.has(res.status) || !isIdempotent(req)) return res;
      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      if (retryAfter !== undefined && retryAfter > maxRetryAfter) return res;
      await res.cancel();
      await sleep(retryAfter ?? backoff(attempt), req.signal);
    }
  };
}
