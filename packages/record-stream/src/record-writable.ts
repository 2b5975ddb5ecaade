import { Writable } from 'node:stream';
import { assertFunction } from './pull.js';

/** Options of {@link createRecordWritable}. */
export interface RecordWritableOptions {
  /** Records buffered before `write()` returns false and a piped source pauses. Default 16. */
  highWaterMark?: number;
  /** Called once after the last record was written, before 'finish'. */
  final?: () => void | PromiseLike<void>;
  /** Destroys the writable with `signal.reason` when aborted. */
  signal?: AbortSignal;
}

/**
 * Makes a writable record stream: an object-mode `Writable` that calls `write(record)` for each
 * record, one at a time, and waits for its promise before taking the next, so a piped record
 * stream pauses while it works. A rejection destroys the writable with that error. Any
 * object-mode Writable satisfies the same contract (a Bulk API batch, for instance); this is the
 * short way to write one.
 *
 * @example
 * ```ts
 * await pipeline(query, createRecordWritable(async (record) => { await db.insert(record); }));
 * ```
 */
export function createRecordWritable<T>(
  write: (record: T) => void | PromiseLike<void>,
  options: RecordWritableOptions = {},
): Writable {
  assertFunction(write, 'createRecordWritable');
  const { highWaterMark = 16, final, signal } = options;
  const writable = new Writable({
    objectMode: true,
    highWaterMark,
    write(record: T, _encoding, callback) {
      Promise.resolve()
        .then(() => write(record))
        .then(() => callback(), callback);
    },
    ...(final === undefined
      ? {}
      : {
          final(callback: (error?: Error | null) => void) {
            Promise.resolve()
              .then(final)
              .then(() => callback(), callback);
          },
        }),
  });
  if (signal !== undefined) {
    const onAbort = (): void => {
      writable.destroy(signal.reason);
    };
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      writable.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return writable;
}
