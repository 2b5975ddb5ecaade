/**
 * The last argument of every call that goes over the network (CONVENTIONS.md rule 2). A
 * package's wider options extend it.
 *
 * @example
 * await conn.versions({ signal: AbortSignal.timeout(5_000), timeoutMs: 2_000 });
 */
export interface CallOptions {
  /** Aborts the call; it rejects with `signal.reason`, unchanged. */
  signal?: AbortSignal;
  /** Per-step timeout (connecting, the headers, each body chunk); past it, `TIMEOUT`. */
  timeoutMs?: number;
}
