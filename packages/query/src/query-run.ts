// One consumption of a Query: the state of the single way it is being used (awaited, run with
// events, iterated or streamed). A Query makes one of these when first used and never a second,
// so no two modes ever share a reader, a record count or a completion promise.
import type { Connection, Emitter } from '@sf/core';
import { PageReader, type QueryResult, type QueryStart } from './page-reader.js';
import type { Query } from './query.js';
import type { QueryEvents, QueryOptions, RunOptions } from './query-types.js';

/** How a Query is being consumed. */
export type Mode = 'await' | 'run' | 'iterate' | 'stream';

/** What a consumption needs of its Query: the emitter, and whether its promise side is in use. */
export interface RunContext<T> {
  readonly query: Query<T>;
  readonly events: Emitter<QueryEvents<T>>;
  /** Whether `then`/`await`/`execute` was used: the promise then carries a failure. */
  awaited(): boolean;
}

/**
 * @internal The state of one consumption: its page reader, the records handed on so far, and
 * the promise an awaiter of the query gets (the summary at the end, or the failure).
 */
interface Settle<T> {
  resolve(value: QueryResult<T>): void;
  reject(error: unknown): void;
}

export class QueryRun<T> {
  readonly mode: Mode;
  readonly reader: PageReader<T>;
  /** Settles when the consumption ends, stops early or fails; awaiting the query gives it. */
  readonly completion: Promise<QueryResult<T>>;
  readonly #context: RunContext<T>;
  readonly #settle: Settle<T>;
  #delivered = 0;

  constructor(
    mode: Mode,
    conn: Connection,
    start: QueryStart,
    options: QueryOptions,
    overrides: RunOptions,
    context: RunContext<T>,
  ) {
    this.mode = mode;
    this.#context = context;
    let settle: Settle<T> | undefined;
    this.completion = new Promise<QueryResult<T>>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Observed through then() or the error event; never an unhandled rejection by itself.
    this.completion.catch(() => {});
    this.#settle = settle as Settle<T>;
    this.reader = new PageReader<T>(conn, start, {
      autoFetch: overrides.autoFetch ?? options.autoFetch ?? false,
      maxFetch: overrides.maxFetch ?? options.maxFetch,
      batchSize: options.batchSize,
      includeChildren: options.includeChildren ?? false,
      signal: overrides.signal ?? options.signal,
      timeoutMs: overrides.timeoutMs ?? options.timeoutMs,
    });
  }

  /** Whether anyone listens to `record`: iteration checks once a page, not once a record. */
  get emitsRecords(): boolean {
    return this.#context.events.listenerCount('record') > 0;
  }

  /**
   * A page arrived: `fetch`, then (unless `perRecord` is false, for iteration, which hands
   * records on one at a time with {@link QueryRun.handOn}) a `record` event for each.
   */
  deliver(records: T[], perRecord = true): void {
    const { events, query } = this.#context;
    if (events.listenerCount('fetch') > 0) events.emit('fetch', this.summary(records), query);
    if (!perRecord) return;
    if (events.listenerCount('record') > 0) {
      for (const record of records) events.emit('record', record, this.#delivered++, query);
    } else {
      this.#delivered += records.length;
    }
  }

  /** One record handed on by iteration, with its `record` event when `emit`. */
  handOn(record: T, emit: boolean): void {
    if (emit) this.#context.events.emit('record', record, this.#delivered, this.#context.query);
    this.#delivered++;
  }

  /** The page summary `{ totalSize, done, nextRecordsUrl?, records }` as of the last page. */
  summary(records: T[]): QueryResult<T> {
    const reader = this.reader;
    const out: QueryResult<T> = { totalSize: reader.totalSize ?? 0, done: reader.last.done, records };
    if (reader.last.nextRecordsUrl !== undefined) out.nextRecordsUrl = reader.last.nextRecordsUrl;
    return out;
  }

  /** The last record was handed on: `end`, and awaiters get the summary with `records`. */
  finish(records: T[] = []): void {
    this.#context.events.emit('end', this.#context.query);
    this.#settle.resolve(this.summary(records));
  }

  /** The consumer stopped early (break, destroy): not an error, not an end. */
  stopped(): void {
    this.#settle.resolve(this.summary([]));
  }

  /**
   * The one error policy (CONVENTIONS.md rule 5): `error` listeners get it and an awaiter's
   * promise rejects; with neither, event style throws it as uncaught, as an EventEmitter does.
   * (Iteration throws it to the loop; a stream is destroyed with it, see query-modes.ts.)
   */
  fail(error: unknown): void {
    this.#settle.reject(error);
    const { events, query } = this.#context;
    if (events.listenerCount('error') > 0) {
      events.emit('error', error, query);
    } else if (this.mode === 'run' && !this.#context.awaited()) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
