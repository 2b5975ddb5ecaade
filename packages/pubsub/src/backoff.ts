// Reconnect delays: exponential with full jitter, capped. (Core's retry middleware keeps its
// backoff private to HTTP requests; when core exports one, this file goes.)

/** How long to wait before reconnecting, and how often to try. */
export interface ReconnectOptions {
  /** The first delay; 500 ms by default. */
  initialMs?: number;
  /** The longest delay; 30 s by default. */
  maxMs?: number;
  /** Consecutive failed attempts before the subscription fails; unlimited by default. */
  maxAttempts?: number;
}

/** @internal The delay before attempt `attempt` (0-based). */
export function reconnectDelay(options: ReconnectOptions, attempt: number): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
