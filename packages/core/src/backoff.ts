// The toolkit's one backoff (CONVENTIONS.md rule 8): core's retry middleware uses it, and so can
// the streaming reconnect loop, the Pub/Sub reconnects and Bulk's polling.
import { parseRetryAfter } from './retry-after.js';

/** How waits grow between attempts. */
export interface BackoffOptions {
  /** The first wait's ceiling. Default 250 ms. */
  initialMs?: number;
  /** The largest wait (a `Retry-After` aside). Default 20 s. */
  maxMs?: number;
  /** Growth per attempt. Default 2 (doubling). */
  factor?: number;
  /**
   * `'full'` (default): uniform in [0, ceiling), which spreads clients the most; `'equal'`:
   * uniform in [ceiling / 2, ceiling), never much shorter than the ceiling; `'none'`: the ceiling.
   */
  jitter?: 'full' | 'equal' | 'none';
  /** Random source in [0, 1), for tests. Default `Math.random`. */
  random?: () => number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential from `initialMs`
 * by `factor` up to `maxMs`, with jitter. A `Retry-After` the server sent (the header's value,
 * seconds or an HTTP date, or a number of milliseconds) wins over the computed wait: the server
 * said when to come back.
 *
 * @example
 * const waitMs = computeBackoff(attempt, { initialMs: 500, maxMs: 30_000 }, res.headers['retry-after']);
 */
export function computeBackoff(
  attempt: number,
  options: BackoffOptions = {},
  retryAfter?: string | number,
): number {
  const server = typeof retryAfter === 'number' ? Math.max(0, retryAfter) : parseRetryAfter(retryAfter);
  if (server !== undefined) return server;
  const initial = Math.max(0, options.initialMs ?? 250);
  const max = Math.max(initial, options.maxMs ?? 20_000);
  const factor = Math.max(1, options.factor ?? 2);
  // The exponent is capped so the ceiling stays a finite number however many attempts pass.
  const ceiling = Math.min(max, initial * factor ** Math.min(Math.max(0, attempt), 64));
  const random = options.random ?? Math.random;
  switch (options.jitter ?? 'full') {
    case 'none':
      return ceiling;
    case 'equal':
      return ceiling / 2 + (random() * ceiling) / 2;
    default:
      return random() * ceiling;
  }
}

/** A backoff that counts its own attempts: `next()` after each failure, `reset()` after a success. */
export interface Backoff {
  /** The wait before the next attempt (honouring a `Retry-After`), counting one more failure. */
  next(retryAfter?: string | number): number;
  /** Back to the first wait, after an attempt succeeded. */
  reset(): void;
  /** Failures counted since the last reset. */
  readonly attempts: number;
}

/**
 * A stateful {@link computeBackoff} for reconnect and poll loops.
 *
 * @example
 * const delays = backoff({ initialMs: 500, maxMs: 30_000 });
 * for (;;) {
 *   try { await connect(); delays.reset(); break; } catch { await sleep(delays.next()); }
 * }
 */
export function backoff(options: BackoffOptions = {}): Backoff {
  let attempts = 0;
  return {
    next(retryAfter) {
      return computeBackoff(attempts++, options, retryAfter);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
