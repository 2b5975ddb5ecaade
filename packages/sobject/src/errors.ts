/** The package name every error of @sf/sobject starts with (`[@sf/sobject] ...`). */
export const SOURCE = '@sf/sobject';

/** `{ signal, timeoutMs }` without undefined members (exactOptionalPropertyTypes). */
export function callOptions(
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
): {
  signal?: AbortSignal;
  timeoutMs?: number;
  source: string;
} {
  return {
    source: SOURCE,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}
