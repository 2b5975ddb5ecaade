// Waiting on something that an AbortSignal can cut short, with the abort's reason unchanged.

/**
 * @internal Settles with `promise`, or rejects with the signal's reason as soon as it fires (then
 * calls `cancel`, if given). Without a signal, `promise` itself.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  cancel?: () => Promise<void>,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cancel?.().catch(() => {});
      reject(signal.reason);
    };
    // Handled either way: a rejection after the abort won is not an unhandled one.
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
