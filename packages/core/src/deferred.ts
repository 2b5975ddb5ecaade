// A promise settled from outside (what `Promise.withResolvers()` gives on Node.js 22+; the
// toolkit runs on Node.js 20): a subscription's `ready()`, a batch waiting for its sending.

/** A promise with the functions that settle it. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T | PromiseLike<T>): void;
  reject(error: unknown): void;
}

/**
 * A {@link Deferred}. Its rejection is marked handled: a deferred nobody awaited never reports
 * an unhandled rejection (whoever awaits `promise` still gets the error).
 *
 * @example
 * const ready = deferred<void>();
 * socket.once('open', () => ready.resolve());
 * await ready.promise;
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
