import { Readable } from 'node:stream';
import { type DirectIteration, directIteration } from './direct-iteration.js';
import { recordStreamError } from './errors.js';
import {
  assertBatchSize,
  assertFunction,
  batchSource,
  filterSource,
  iterableSource,
  mapSource,
  type PullResult,
  type PullSource,
  type RecordSource,
} from './pull.js';
import { type ToCSVOptions, toCSV } from './to-csv.js';

/**
 * Called by a record stream whenever its buffer runs low: resolve to the next batch of records
 * (any length, an empty array means "ask again"), or `null` when there are no more. It is never
 * called again before the previous call settles. `signal` aborts when the stream is destroyed
 * before its end, so an in-flight request can be cancelled.
 */
export type PullFunction<T> = (
  stream: RecordStream<T>,
  signal: AbortSignal,
) => PromiseLike<PullResult<T>> | PullResult<T>;

/** Options of a record stream. */
export interface RecordStreamOptions {
  /** Records buffered ahead of the consumer before pulling stops. Default 16. */
  highWaterMark?: number;
  /** Destroys the stream with `signal.reason` (unchanged) when aborted. */
  signal?: AbortSignal;
  /**
   * Called once when the stream is destroyed, whether it ended, failed, was aborted or its
   * consumer stopped early; `error` is what it was destroyed with. Release resources here.
   */
  onClose?: (error: Error | null) => void;
}

/** Options of `RecordStream#toArray`. */
export interface ToArrayOptions {
  /** Destroys the stream and rejects with `signal.reason` when aborted. */
  signal?: AbortSignal;
}

function destroyedReason(): Error {
  return new DOMException('The record stream was destroyed before its end', 'AbortError');
}

/**
 * An object-mode Node `Readable` of records that is also a typed async iterable: iterate it with
 * `for await`, `.pipe()` it into any object-mode Writable, or chain `.map`, `.filter`, `.batch`,
 * `.toCSV`. Records are pulled from their producer only as the consumer reads, so memory stays
 * bounded by `highWaterMark` plus one producer batch. Make one with `RecordStream.from(iterable)`
 * or `createRecordStream(pull)`; chained streams are plain `RecordStream`s, not subclasses. An
 * error in the producer or in a chained function destroys the stream (and its upstream) with
 * that error, so `for await` rejects with it; `null` and `undefined` cannot be records.
 *
 * @example
 * ```ts
 * const names = RecordStream.from(accounts).filter((a) => a.Industry === 'Energy').map((a) => a.Name);
 * for await (const name of names) console.log(name);
 * ```
 */
export class RecordStream<T> extends Readable {
  readonly #pull: PullFunction<T>;
  readonly #controller = new AbortController();
  readonly #onClose: ((error: Error | null) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.destroy(this.#signal?.reason);
  };
  #pulling = false;
  #readAgain = false;
  /** A `for await` reading the producer's batches directly (direct-iteration.ts), while it owns it. */
  #direct: DirectIteration<T> | undefined;
  /** The Readable has asked for records once (`_read`): no direct iteration from then on. */
  #started = false;

  /** Prefer {@link createRecordStream}; the constructor exists for subclasses. */
  constructor(pull: PullFunction<T>, options: RecordStreamOptions = {}) {
    assertFunction(pull, 'RecordStream');
    const { highWaterMark = 16, signal, onClose } = options;
    if (!Number.isSafeInteger(highWaterMark) || highWaterMark < 1) {
      throw recordStreamError('INVALID_ARGUMENT', 'option "highWaterMark" must be a positive integer');
    }
    super({ objectMode: true, highWaterMark });
    this.#pull = pull;
    this.#onClose = onClose;
    this.#signal = signal;
    if (signal?.aborted) {
      this.destroy(signal.reason);
    } else {
      signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /**
   * Makes a record stream from an array, a generator, an async generator, a Node Readable or
   * another record stream. Stopping early (breaking out of `for await`, `destroy()`) calls the
   * iterator's `return()` or destroys the source stream; a source's error destroys this stream.
   *
   * @example
   * ```ts
   * const stream = RecordStream.from(fetchAllPages(), { signal: AbortSignal.timeout(60_000) });
   * ```
   */
  static override from<T>(iterable: RecordSource<T>, options: RecordStreamOptions = {}): RecordStream<T> {
    let stream: RecordStream<T> | undefined;
    const source = iterableSource(iterable, (error) => stream?.destroy(error));
    stream = new RecordStream<T>(() => source.pull(), withClose(options, source));
    return stream;
  }

  override _read(): void {
    this.#started = true;
    // Another consumer while a direct iteration owns the producer: it hands it back first.
    if (this.#direct !== undefined && !this.#direct.handOver()) return;
    if (this.#pulling) {
      // Re-entered while a batch is being pushed: pull again once it is done.
      this.#readAgain = true;
      return;
    }
    this.#pulling = true;
    void this.#pullLoop();
  }

  async #pullLoop(): Promise<void> {
    try {
      do {
        this.#readAgain = false;
        const records = await this.#pull(this, this.#controller.signal);
        if (this.destroyed) return;
        if (records === null) {
          this.push(null);
          return;
        }
        if (!Array.isArray(records)) {
          throw recordStreamError(
            'INVALID_ARGUMENT',
            'a pull function must return an array of records or null',
          );
        }
        if (records.length === 0) this.#readAgain = true;
        for (const record of records) {
          if (record === null || record === undefined) {
            throw recordStreamError('INVALID_RECORD', `a record stream cannot carry ${String(record)}`);
          }
          this.push(record);
        }
      } while (this.#readAgain && !this.destroyed);
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.#pulling = false;
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    if (!this.readableEnded) this.#controller.abort(error ?? destroyedReason());
    try {
      this.#onClose?.(error);
    } catch (closeError) {
      callback(error ?? (closeError as Error));
      return;
    }
    callback(error);
  }

  /**
   * Iterates the records. A stream nobody has read, piped or listened to yet is iterated
   * straight from its producer's batches, without the Readable's per-record buffering (the
   * same records, errors and early-stop behaviour, at a fraction of the cost per record);
   * otherwise, Node's own iterator.
   */
  override [Symbol.asyncIterator](): NodeJS.AsyncIterator<T> {
    if (!this.#untouched()) return super[Symbol.asyncIterator]();
    const direct = directIteration<T>({
      stream: this,
      pull: () => this.#pull(this, this.#controller.signal),
      fallback: () => super[Symbol.asyncIterator](),
      release: () => {
        this.#direct = undefined;
      },
      resume: () => this._read(),
    });
    this.#direct = direct;
    return direct.iterator;
  }

  #untouched(): boolean {
    return (
      this.#direct === undefined &&
      !this.#started &&
      !this.#pulling &&
      !this.destroyed &&
      !this.readableEnded &&
      this.readableLength === 0 &&
      this.readableFlowing === null &&
      !this.readableDidRead &&
      this.listenerCount('data') === 0 &&
      this.listenerCount('readable') === 0
    );
  }

  /**
   * A stream of `fn(record)` for each record, in order; `fn` may be async (one call at a time).
   * `fn` must not return `null` or `undefined`; use `.filter()` to drop records.
   */
  override map<U>(fn: (record: T) => U | PromiseLike<U>): RecordStream<U> {
    assertFunction(fn, 'map');
    return fromPipe(this, (source) => mapSource(source, fn));
  }

  /** A stream of the records for which `fn` (possibly async) returns a truthy value, in order. */
  override filter<S extends T>(fn: (record: T) => record is S): RecordStream<S>;
  override filter(fn: (record: T) => unknown): RecordStream<T>;
  override filter(fn: (record: T) => unknown): RecordStream<T> {
    assertFunction(fn, 'filter');
    return fromPipe(this, (source) => filterSource(source, fn));
  }

  /**
   * A stream of arrays of up to `size` records (only the last may be shorter). It buffers at
   * most one finished batch ahead of its consumer (`highWaterMark` 1), so memory stays near
   * `2 * size` records whatever the batch size.
   */
  batch(size: number): RecordStream<T[]> {
    assertBatchSize(size);
    return fromPipe(this, (source) => batchSource(source, size), 1);
  }

  /**
   * Reads every record into an array: explicit buffering, for when the caller wants it all.
   * With `signal`, an abort destroys the stream and rejects with `signal.reason`.
   */
  override async toArray(options: ToArrayOptions = {}): Promise<T[]> {
    const { signal } = options;
    const onAbort = (): void => {
      this.destroy(signal?.reason);
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const records: T[] = [];
      for await (const record of this) records.push(record);
      return records;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The records as CSV text (a byte Readable); see {@link toCSV} for the rules and options. */
  toCSV(options: ToCSVOptions = {}): Readable {
    return toCSV(this as unknown as RecordSource<object>, options);
  }
}

function withClose(options: RecordStreamOptions, source: PullSource<unknown>): RecordStreamOptions {
  return {
    ...options,
    onClose: (error) => {
      source.close();
      options.onClose?.(error);
    },
  };
}

/** @internal Builds a downstream stage over `upstream`, wiring errors and early close both ways. */
export function fromPipe<T, U>(
  upstream: RecordSource<T>,
  stage: (source: PullSource<T>) => PullSource<U>,
  highWaterMark?: number,
): RecordStream<U> {
  let stream: RecordStream<U> | undefined;
  const source = stage(iterableSource(upstream, (error) => stream?.destroy(error)));
  const inherited = upstream instanceof Readable ? upstream.readableHighWaterMark : undefined;
  const hwm = highWaterMark ?? inherited;
  stream = new RecordStream<U>(
    () => source.pull(),
    withClose(hwm === undefined ? {} : { highWaterMark: hwm }, source),
  );
  return stream;
}

/**
 * Makes a record stream fed by `pull`: the producer API. The stream calls `pull(stream, signal)`
 * whenever its buffer falls below `highWaterMark`, pushes the batch it resolves to, and ends on
 * `null`; a rejection destroys the stream with that error. A producer that fetches pages (such
 * as `@sf/query`) therefore fetches the next page only when the consumer has read the previous
 * ones, and can pass `signal` to its request so a consumer that stops early cancels it.
 *
 * @example
 * ```ts
 * let url: string | undefined = firstPageUrl;
 * const stream = createRecordStream<Account>(async (_stream, signal) => {
 *   if (url === undefined) return null;
 *   const page = await getJson(url, { signal });
 *   url = page.nextRecordsUrl;
 *   return page.records;
 * });
 * ```
 */
export function createRecordStream<T>(
  pull: PullFunction<T>,
  options: RecordStreamOptions = {},
): RecordStream<T> {
  return new RecordStream(pull, options);
}
