// Pull sources: what feeds a record stream. Kept apart from the RecordStream class so the CSV
// writer can use them without importing the class (no import cycle).
import { recordStreamError } from './errors.js';

/** Anything records can be read from: an array, a generator, a Node Readable, a RecordStream. */
export type RecordSource<T> = Iterable<T> | AsyncIterable<T>;

/** One batch of records, or `null` once there are no more. */
export type PullResult<T> = readonly T[] | null;

/** @internal A source of record batches with a way to release it early. */
export interface PullSource<T> {
  pull(): Promise<PullResult<T>> | PullResult<T>;
  /** Release the upstream (iterator or stream) when the consumer stops or fails; idempotent. */
  close(): void;
}

interface StreamLike {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

function isStreamLike(value: unknown): value is StreamLike {
  const candidate = value as Partial<Record<'destroy' | 'on' | 'pipe', unknown>>;
  return (
    typeof candidate.destroy === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.pipe === 'function'
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** @internal Throws INVALID_ARGUMENT unless `value` is a (non-string) iterable or async iterable. */
export function assertSource(value: unknown, what: string): asserts value is RecordSource<unknown> {
  const candidate = value as Partial<Record<symbol, unknown>> | null | undefined;
  if (
    typeof value === 'string' ||
    candidate === null ||
    candidate === undefined ||
    (typeof candidate[Symbol.asyncIterator] !== 'function' &&
      typeof candidate[Symbol.iterator] !== 'function')
  ) {
    throw recordStreamError('INVALID_ARGUMENT', `${what} expects an iterable or async iterable of records`);
  }
}

/**
 * @internal Pulls one record at a time from an iterable. `fail` is called when a stream source
 * emits 'error', so an error is never left unhandled while nobody is pulling yet.
 */
export function iterableSource<T>(iterable: RecordSource<T>, fail: (error: Error) => void): PullSource<T> {
  assertSource(iterable, 'a record stream');
  const stream = isStreamLike(iterable) ? iterable : undefined;
  stream?.on('error', fail);
  let iterator: Iterator<T> | AsyncIterator<T> | undefined;
  let done = false;
  return {
    async pull() {
      if (done) return null;
      iterator ??=
        Symbol.asyncIterator in iterable
          ? (iterable as AsyncIterable<T>)[Symbol.asyncIterator]()
          : (iterable as Iterable<T>)[Symbol.iterator]();
      const result = await iterator.next();
      if (result.done) {
        done = true;
        return null;
      }
      return [result.value];
    },
    close() {
      if (done) return;
      done = true;
      // A stream is destroyed directly: its iterator's return() would wait for a pending read.
      if (stream !== undefined) {
        if (!stream.destroyed) stream.destroy();
      } else if (iterator?.return !== undefined) {
        Promise.resolve(iterator.return()).catch(() => {});
      }
    },
  };
}

/** @internal */
export function mapSource<T, U>(
  upstream: PullSource<T>,
  fn: (record: T) => U | PromiseLike<U>,
): PullSource<U> {
  return {
    async pull() {
      const records = await upstream.pull();
      if (records === null) return null;
      const out: U[] = [];
      for (const record of records) {
        const value = fn(record);
        out.push(isThenable(value) ? await value : (value as U));
      }
      return out;
    },
    close: () => upstream.close(),
  };
}

/** @internal */
export function filterSource<T>(upstream: PullSource<T>, fn: (record: T) => unknown): PullSource<T> {
  return {
    async pull() {
      for (;;) {
        const records = await upstream.pull();
        if (records === null) return null;
        const out: T[] = [];
        for (const record of records) {
          const keep = fn(record);
          if (isThenable(keep) ? await keep : keep) out.push(record);
        }
        if (out.length > 0) return out;
      }
    },
    close: () => upstream.close(),
  };
}

/** @internal */
export function batchSource<T>(upstream: PullSource<T>, size: number): PullSource<T[]> {
  let ended = false;
  let carry: T[] = [];
  return {
    async pull() {
      if (ended) return null;
      const batch = carry;
      carry = [];
      while (batch.length < size) {
        const records = await upstream.pull();
        if (records === null) {
          ended = true;
          break;
        }
        for (const record of records) {
          if (batch.length < size) batch.push(record);
          else carry.push(record);
        }
      }
      if (batch.length === 0) return null;
      // An upstream page larger than `size` leaves whole batches in `carry`; emit them too.
      const out: T[][] = [batch];
      while (carry.length >= size) out.push(carry.splice(0, size));
      return out;
    },
    close: () => upstream.close(),
  };
}

/** @internal Throws INVALID_ARGUMENT unless `size` is a positive safe integer. */
export function assertBatchSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw recordStreamError('INVALID_ARGUMENT', `batch size must be a positive integer, got ${String(size)}`);
  }
}

/** @internal Throws INVALID_ARGUMENT unless `fn` is a function. */
export function assertFunction(fn: unknown, what: string): void {
  if (typeof fn !== 'function') {
    throw recordStreamError('INVALID_ARGUMENT', `${what} expects a function, got ${typeof fn}`);
  }
}
