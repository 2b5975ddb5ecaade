// What the server advises (`advice.timeout`, `advice.interval`) steers timers, so it is clamped
// before use: a server (or a proxy rewriting bodies) advising 1e12 ms must not overflow Node's
// timers (anything over 2^31 - 1 ms fires at once) or park the client for ever.

/** The advised long-poll hold is taken within [0, 300,000] ms; Salesforce advises 110,000. */
export const ADVICE_TIMEOUT_RANGE = { min: 0, max: 300_000 } as const;
/**
 * The advised wait between long-polls is taken within [0, 10,000] ms; Salesforce advises 0, and
 * a client silent for 40 s must handshake again anyway.
 */
export const ADVICE_INTERVAL_RANGE = { min: 0, max: 10_000 } as const;
/** Before any advice arrives: Salesforce's documented 110 s hold, and no wait between polls. */
export const DEFAULT_ADVICE = { timeoutMs: 110_000, intervalMs: 0 } as const;

export interface Advice {
  timeoutMs: number;
  intervalMs: number;
  /** `retry`, `handshake` or `none`, when the server said. */
  reconnect: string | undefined;
}

function clamp(value: unknown, range: { min: number; max: number }, fallback: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, value));
}

/** @internal The advice in force after `raw` (a reply's `advice`), keeping what it leaves out. */
export function applyAdvice(current: Advice, raw: unknown): Advice {
  if (typeof raw !== 'object' || raw === null) return { ...current, reconnect: undefined };
  const advice = raw as { timeout?: unknown; interval?: unknown; reconnect?: unknown };
  return {
    timeoutMs: clamp(advice.timeout, ADVICE_TIMEOUT_RANGE, current.timeoutMs),
    intervalMs: clamp(advice.interval, ADVICE_INTERVAL_RANGE, current.intervalMs),
    reconnect: typeof advice.reconnect === 'string' ? advice.reconnect : undefined,
  };
}
