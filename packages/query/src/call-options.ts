/**
 * `{ signal, timeoutMs }`, taken last by every call that goes over the network (CONVENTIONS.md
 * rule 2). @sf/sobject uses this one too.
 */
export interface CallOptions {
  /** Cancels the call; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
  /** Per-step timeout (connect, headers, each body chunk); the connection's by default. */
  timeoutMs?: number;
}

/**
 * Options of {@link search} and {@link explain}.
 * @deprecated Use {@link CallOptions} (the same type); `RequestOptions` is @sf/core's request.
 */
export type RequestOptions = CallOptions;
