import { backoff, sleep, throwIfAborted } from '@sf/core';
import type { CallOptions } from './call-options.js';
import { bulkError } from './errors.js';

/** How a job or batch is polled until it finishes. */
export interface PollOptions extends CallOptions {
  /** First wait between polls, in ms. Default 1,000. */
  pollIntervalMs?: number;
  /** Longest wait between polls, in ms: each wait grows by half up to this. Default 10,000. */
  maxPollIntervalMs?: number;
  /** Give up (TIMEOUT) after this many ms; the job keeps running and can be re-attached. Default 10 minutes. */
  pollTimeoutMs?: number;
}

/**
 * Calls `check` until it returns a value, waiting in between with core's `backoff`: from
 * `pollIntervalMs`, growing by half up to `maxPollIntervalMs`, without jitter (a poll of one
 * job spreads no load). Each wait is a `sleep` whose abort listener is removed when it ends,
 * so a long-lived signal collects none.
 */
export async function pollUntil<T>(
  what: string,
  check: (signal: AbortSignal | undefined) => Promise<T | undefined>,
  options: PollOptions = {},
): Promise<T> {
  const { signal } = options;
  const interval = Math.max(1, options.pollIntervalMs ?? 1000);
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? 10_000);
  const waits = backoff({ initialMs: interval, maxMs: maxInterval, factor: 1.5, jitter: 'none' });
  const timeout = options.pollTimeoutMs ?? 600_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    throwIfAborted(signal);
    const done = await check(signal);
    if (done !== undefined) return done;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw bulkError(
        `${what} did not finish within ${timeout} ms; it keeps running and can be re-attached by id`,
        { code: 'TIMEOUT' },
      );
    }
    await sleep(Math.min(Math.ceil(waits.next()), left), signal);
  }
}
