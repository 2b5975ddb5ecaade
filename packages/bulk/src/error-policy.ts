// The one rule for an `error` event of an object that is both an emitter and awaitable (a
// LoadOperation, a Bulk 1.0 Batch or Job), shared with the other packages:
// - an `error` listener gets the error (the promise, if used, rejects too);
// - with no listener, a used promise side (`then`/`await`/`catch`/`finally`, or a method that
//   returns the promise) carries it alone: never an uncaught exception while it is awaited;
// - with neither, the error is emitted as Node's EventEmitter emits it (thrown, uncaught), since
//   a failure nobody can see must not be silent.
import type { EventEmitter } from 'node:events';

/**
 * @internal Reports `error` on `emitter` by the rule above; `carried()` says whether a promise
 * the caller holds carries it. The no-listener check is made again on the next tick, so a
 * listener added or a promise used in the same tick as the failure still counts.
 */
export function reportError(emitter: EventEmitter, error: unknown, carried: () => boolean): void {
  if (emitter.listenerCount('error') > 0) {
    emitter.emit('error', error);
    return;
  }
  if (carried()) return;
  process.nextTick(() => {
    if (emitter.listenerCount('error') > 0 || !carried()) emitter.emit('error', error);
  });
}
