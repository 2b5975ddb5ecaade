// `for await` over a record stream that nobody has read yet: the records of each batch the
// producer gives are yielded as they are, without going through the Readable's buffer one
// record at a time (Node's iterator calls read() and crosses its machinery per record, several
// times the cost of the records' own handling). What Node's iterator guarantees holds here too:
// one pull at a time (an async generator queues next() calls), destroy and abort end the
// iteration at once (with the error, or a premature close), the stream ends with 'end' then
// 'close', and a consumer that stops early destroys it. Another consumer arriving meanwhile
// (read(), a 'data' listener, a pipe) gets the rest of the records through the Readable: the
// producer is handed back, and this iteration goes on with Node's iterator.
import type { Readable } from 'node:stream';
import { recordStreamError } from './errors.js';
import type { PullResult } from './pull.js';

/** What a direct iteration needs of its stream. */
export interface DirectPort<T> {
  readonly stream: Readable;
  /** The producer's next batch (the stream's pull function, with its signal). */
  pull(): PromiseLike<PullResult<T>> | PullResult<T>;
  /** Node's own iterator of the stream, for after a hand-over. */
  fallback(): AsyncIterator<T>;
  /** Called once the iteration no longer owns the producer. */
  release(): void;
  /** Starts the Readable's own pulling (after a hand-over that had no records to push). */
  resume(): void;
}

/** What the stream asks of a running direct iteration. */
export interface DirectIteration<T> {
  readonly iterator: AsyncGenerator<T>;
  /**
   * Another consumer wants records: pushes what this iteration holds into the Readable and
   * gives the producer back. False while a pull is in flight (its records are pushed when it
   * settles, which then hands over).
   */
  handOver(): boolean;
}

const UNSET = Symbol('unset');

/** The error Node's iterator and `finished()` give a stream destroyed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

const heard = (): void => {};

/** @internal Starts a direct iteration of `port.stream`. */
export function directIteration<T>(port: DirectPort<T>): DirectIteration<T> {
  const { stream } = port;
  let batch: readonly T[] = [];
  let index = 0;
  let pulling = false;
  let handOverWanted = false;
  let handedOver = false;
  // Wakes a next() waiting on a pull when the stream is destroyed, so a pull that ignores its
  // signal cannot hold the iteration once the stream is gone.
  let wake: (() => void) | undefined;
  const closed = new Promise<void>((resolve) =>
    stream.once('close', () => {
      wake?.();
      resolve();
    }),
  );
  // The iteration receives every error (next() rejects with it), as Node's iterator does with
  // a listener of its own: destroy(error)'s 'error' event is heard, not uncaught.
  stream.on('error', heard);

  /** Pushes what is held into the Readable and releases the producer; whether it pushed any. */
  const giveBack = (end: boolean): boolean => {
    handedOver = true;
    stream.off('error', heard);
    const pushed = index < batch.length || end;
    for (; index < batch.length; index++) stream.push(batch[index]);
    batch = [];
    if (end) stream.push(null);
    port.release();
    return pushed;
  };
  const failure = (): Error => stream.errored ?? prematureClose();

  async function* run(): AsyncGenerator<T> {
    try {
      for (;;) {
        if (handedOver) {
          yield* { [Symbol.asyncIterator]: () => port.fallback() };
          return;
        }
        if (stream.destroyed) throw failure();
        if (index < batch.length) {
          yield batch[index++] as T;
          continue;
        }
        batch = [];
        index = 0;
        let records: PullResult<T> | typeof UNSET = UNSET;
        let pullError: { error: unknown } | undefined;
        pulling = true;
        try {
          const pulled = port.pull();
          if (typeof (pulled as { then?: unknown } | null)?.then === 'function') {
            await new Promise<void>((resolve) => {
              wake = resolve;
              (pulled as PromiseLike<PullResult<T>>).then(
                (value) => {
                  records = value;
                  resolve();
                },
                (error: unknown) => {
                  pullError = { error };
                  resolve();
                },
              );
            });
            wake = undefined;
          } else {
            records = pulled as PullResult<T>;
          }
        } catch (error) {
          pullError = { error };
        } finally {
          pulling = false;
        }
        if (stream.destroyed) throw failure();
        if (pullError !== undefined) {
          stream.destroy(pullError.error as Error);
          throw stream.errored ?? pullError.error ?? prematureClose();
        }
        if (records === null) {
          if (handOverWanted) {
            giveBack(true);
            continue;
          }
          // Ends as Node's iterator leaves a stream read to its end: 'end', then destroyed
          // ('close', onClose(null)); an error from onClose is this iteration's.
          stream.push(null);
          stream.read(0);
          await closed;
          if (stream.errored) throw stream.errored;
          return;
        }
        if (!Array.isArray(records)) {
          const error = recordStreamError(
            'INVALID_ARGUMENT',
            'a pull function must return an array of records or null',
          );
          stream.destroy(error);
          throw error;
        }
        // As the Readable refuses them when pushed: a bad batch yields none of its records.
        const bad = records.findIndex((record) => record === null || record === undefined);
        if (bad !== -1) {
          const error = recordStreamError(
            'INVALID_RECORD',
            `a record stream cannot carry ${String(records[bad])}`,
          );
          stream.destroy(error);
          throw error;
        }
        batch = records;
        // The consumer that asked meanwhile waits on the Readable: give it these, or pull for it.
        if (handOverWanted && !giveBack(false)) port.resume();
      }
    } finally {
      // A consumer that stopped early (break, return, a throw in its loop body).
      if (!handedOver) {
        if (!stream.destroyed) stream.destroy();
        port.release();
      }
    }
  }

  return {
    iterator: run(),
    handOver() {
      if (handedOver) return true;
      if (pulling) {
        handOverWanted = true;
        return false;
      }
      giveBack(false);
      return true;
    },
  };
}
