import type { Readable, Writable } from 'node:stream';
import { type Connection, Emitter, SalesforceError } from '@sf/core';
import { createRecordStream, type RecordStream, type ToCSVOptions } from '@sf/record-stream';
import {
  checkBatchSize,
  checkMaxFetch,
  PageReader,
  type QueryResult,
  type QueryStart,
  SOURCE,
} from './page-reader.js';
import type { CallOptions } from './call-options.js';
import { rejectCallback, USE_PROMISE, USE_QUERY } from './no-callback.js';
import { invalid } from './soql-literal.js';

/** A record as the REST API returns it, when you do not give a type. */
export type SObjectRecord = Record<string, unknown> & { attributes?: { type: string; url?: string } };

/** Options of `query`, `queryAll` and `queryMore`. */
export interface QueryOptions extends CallOptions {
  /**
   * Whether awaiting the query (and `run()`) goes on past the first page. Default false: `await`
   * resolves to the first page. Iteration, `stream()` and `toCSV()` always read every page.
   */
  autoFetch?: boolean;
  /** Stop after this many records (in every mode). Default: no limit at all. */
  maxFetch?: number;
  /** Page size asked of Salesforce (`Sforce-Query-Options: batchSize=N`), 200 to 2,000. Default: Salesforce's (2,000). */
  batchSize?: number;
  /** Fetch the rest of child subquery results that have their own `nextRecordsUrl`. Default false. */
  includeChildren?: boolean;
  /** Aborts the request in flight and stops between pages; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Per-request timeout (see @sf/core); the connection's by default. */
  timeoutMs?: number;
}

/** Options of `run()`: override the query's own. */
export interface RunOptions {
  autoFetch?: boolean;
  maxFetch?: number;
}

/** Options of `stream()`. */
export interface QueryStreamOptions {
  /** Records buffered ahead of the consumer besides the page being read. Default 1. */
  highWaterMark?: number;
}

/** Events of a Query. Listeners that throw are reported as uncaught, never to the query. */
export interface QueryEvents<T> {
  /** Each record as it is handed on, with its position (0-based) among all records. */
  record: (record: T, index: number, query: Query<T>) => void;
  /** Each page once received (its records already cut to `maxFetch`). */
  fetch: (page: QueryResult<T>, query: Query<T>) => void;
  /** After the last record was handed on. */
  end: (query: Query<T>) => void;
  /** The query failed (bad SOQL, an expired cursor, a network error, an abort). */
  error: (error: unknown, query: Query<T>) => void;
}

type Mode = 'await' | 'run' | 'iterate' | 'stream';

/**
 * One SOQL query, not sent until used. Use it one way:
 * - `await` it: the first page `{ totalSize, done, nextRecordsUrl?, records }`, or every record
 *   with `autoFetch: true` (bounded by `maxFetch` only when given);
 * - `for await (const record of q)`: every record of every page;
 * - `q.stream()` (a RecordStream: pipe, map, filter) or `q.toCSV()`;
 * - events: `q.on('record', ...).on('end', ...).run({ autoFetch: true })`.
 *
 * Iterating, streaming and auto-fetching request the next page while the current one is being
 * consumed: one page ahead, never more, so a slow consumer slows the fetching and memory stays
 * at about two pages whatever the row count. Awaiting a query that is already running (after
 * `run()`, or while iterated) waits for its end; its `records` are then empty, since they went to
 * the listeners.
 *
 * @example
 * for await (const account of query<Account>(conn, 'SELECT Id, Name FROM Account')) console.log(account.Name);
 */
export class Query<T = SObjectRecord> implements PromiseLike<QueryResult<T>>, AsyncIterable<T> {
  readonly #conn: Connection;
  readonly #start: QueryStart;
  readonly #options: QueryOptions;
  readonly #events = new Emitter<QueryEvents<T>>();
  #mode: Mode | undefined;
  #reader: PageReader<T> | undefined;
  #result: Promise<QueryResult<T>> | undefined;
  #completion: Promise<QueryResult<T>> | undefined;
  #settle: { resolve(value: QueryResult<T>): void; reject(error: unknown): void } | undefined;
  #awaited = false;
  #delivered = 0;

  /** @internal Use {@link query}, {@link queryAll} or {@link queryMore}. */
  constructor(conn: Connection, start: QueryStart, options: QueryOptions = {}) {
    checkBatchSize(options.batchSize);
    checkMaxFetch(options.maxFetch);
    this.#conn = conn;
    this.#start = start;
    this.#options = options;
  }

  /** The number of records the query matches, once its first page has arrived. */
  get totalSize(): number | undefined {
    return this.#reader?.totalSize;
  }

  /** Records received so far (cut to `maxFetch`). */
  get totalFetched(): number {
    return this.#reader?.totalFetched ?? 0;
  }

  /** The SOQL sent (undefined for `queryMore`). */
  toSOQL(): string | undefined {
    return this.#start.kind === 'soql' ? this.#start.soql() : undefined;
  }

  on<K extends keyof QueryEvents<T>>(event: K, listener: QueryEvents<T>[K]): this {
    warnUnknownEvent(event);
    this.#events.on(event, listener);
    return this;
  }

  once<K extends keyof QueryEvents<T>>(event: K, listener: QueryEvents<T>[K]): this {
    warnUnknownEvent(event);
    this.#events.once(event, listener);
    return this;
  }

  off<K extends keyof QueryEvents<T>>(event: K, listener: QueryEvents<T>[K]): this {
    this.#events.off(event, listener);
    return this;
  }

  /**
   * Starts the query in event style: `record` for each record, `fetch` for each page, then `end`
   * or `error`. Fetches the first page only unless `autoFetch` (here or in the query's options)
   * is true. Returns the query; `await` it to wait for the end. With no `error` listener and no
   * one awaiting, a failure is thrown as an uncaught exception, as an EventEmitter does.
   *
   * @example
   * query(conn, 'SELECT Id, Name FROM Account')
   *   .on('record', (r) => records.push(r))
   *   .on('end', (q) => console.log(q.totalSize, q.totalFetched))
   *   .on('error', (err) => console.error(err))
   *   .run({ autoFetch: true, maxFetch: 4000 });
   */
  run(options: RunOptions = {}): this {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback).
    rejectCallback(arguments, 'run()', USE_QUERY);
    checkMaxFetch(options.maxFetch);
    const reader = this.#begin('run', options);
    void (async () => {
      try {
        for (let page = await reader.next(); page !== null; page = await reader.next()) {
          this.#deliver(page.records);
        }
        this.#end();
      } catch (error) {
        this.#fail(error);
      }
    })();
    return this;
  }

  /**
   * Resolves to the first page, or with `autoFetch` to every record (in one `records` array; for
   * large results iterate or stream instead). Rejects with a SalesforceError, or the signal's
   * reason on abort.
   */
  // biome-ignore lint/suspicious/noThenProperty: a Query is awaitable by design.
  then<R1 = QueryResult<T>, R2 = never>(
    onfulfilled?: ((value: QueryResult<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#awaited = true;
    if (this.#result === undefined) {
      if (this.#mode === undefined) {
        this.#result = this.#collect();
      } else {
        this.#result = this.#completion as Promise<QueryResult<T>>;
      }
    }
    return this.#result.then(onfulfilled, onrejected);
  }

  /**
   * Awaits the query, as `await q` does, with `autoFetch` and `maxFetch` overriding the query's
   * own: node-salesforce's `find(...).execute(...)` without its callback (a function given here
   * throws INVALID_ARGUMENT; use the promise).
   *
   * @example
   * const { totalSize, records } = await find(conn, 'Contact', { LastName: 'Lee' }).sort({ Name: 1 }).execute();
   */
  execute(options: RunOptions = {}): Promise<QueryResult<T>> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback).
    rejectCallback(arguments, 'execute()', USE_PROMISE);
    if (options === null || typeof options !== 'object') throw invalid('execute() takes an options object');
    checkMaxFetch(options.maxFetch);
    this.#awaited = true;
    if (this.#result === undefined) {
      this.#result =
        this.#mode === undefined ? this.#collect(options) : (this.#completion as Promise<QueryResult<T>>);
    }
    return this.#result;
  }

  /** Every record of every page (bounded by `maxFetch` when given), one page fetched ahead. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const reader = this.#begin('iterate', { autoFetch: true });
    const signal = this.#options.signal;
    let records: readonly T[] = [];
    let i = 0;
    let finished = false;
    const emitRecords = () => this.#events.listenerCount('record') > 0;
    let emitting = false;
    const take = (): IteratorResult<T> => {
      const record = records[i++] as T;
      if (emitting) this.#events.emit('record', record, this.#delivered, this);
      this.#delivered++;
      return { done: false, value: record };
    };
    // Between pages: wait for the next one (already requested), or end.
    const turnPage = async (): Promise<IteratorResult<T>> => {
      if (finished) return { done: true, value: undefined };
      try {
        while (i >= records.length) {
          const page = await reader.next();
          if (page === null) {
            finished = true;
            records = [];
            this.#end();
            return { done: true, value: undefined };
          }
          records = page.records;
          i = 0;
          emitting = emitRecords();
          this.#deliver(page.records);
        }
        if (signal?.aborted) throw signal.reason;
      } catch (error) {
        finished = true;
        reader.close();
        this.#fail(error);
        throw error;
      }
      return take();
    };
    const iterator: AsyncIterator<T> = {
      // The common case, a record of the page in hand, stays off the async-function path: this
      // loop runs once per record and its overhead is most of what iteration adds to parsing.
      next: (): Promise<IteratorResult<T>> => {
        if (i < records.length && !finished && signal?.aborted !== true) return Promise.resolve(take());
        return turnPage();
      },
      return: async (): Promise<IteratorResult<T>> => {
        if (!finished) {
          finished = true;
          records = [];
          reader.close();
          this.#stopped();
        }
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  /**
   * Every record as a RecordStream (an object-mode Readable and async iterable with `map`,
   * `filter`, `batch`, `toCSV`): pipe it anywhere. Pages are pulled as the stream is read.
   */
  stream(options: QueryStreamOptions = {}): RecordStream<T> {
    const reader = this.#begin('stream', { autoFetch: true });
    let ended = false;
    const signal = this.#options.signal;
    const stream = createRecordStream<T>(
      async () => {
        const page = await reader.next();
        if (page === null) {
          ended = true;
          return null;
        }
        this.#deliver(page.records);
        return page.records;
      },
      {
        highWaterMark: options.highWaterMark ?? 1,
        ...(signal === undefined ? {} : { signal }),
        onClose: (error) => {
          reader.close();
          if (error) this.#fail(error);
          else if (ended) this.#end();
          else this.#stopped();
        },
      },
    );
    // The error policy: the stream's error reaches its own listeners, else the query's `error`
    // listeners or awaiter (#fail has told them); with nobody at all it is thrown as uncaught,
    // as an EventEmitter would, instead of being lost.
    stream.on('error', (error) => {
      if (stream.listenerCount('error') > 1) return;
      if (this.#awaited || this.#events.listenerCount('error') > 0) return;
      queueMicrotask(() => {
        throw error;
      });
    });
    return stream;
  }

  /** Every record as CSV text (a byte Readable), relationship fields flattened (`Account.Name`). */
  toCSV(options: ToCSVOptions = {}): Readable {
    return this.stream().toCSV(options);
  }

  /**
   * Pipes `stream()` into an object-mode writable (a RecordStream consumer, a bulk batch). Unlike
   * a plain `Readable.pipe`, failures travel both ways: a query error destroys `destination` with
   * that error, and a destination that fails or closes early stops the query (its request in
   * flight is cancelled; the query rejects with the destination's error).
   */
  pipe<W extends Writable>(destination: W, options?: { end?: boolean }): W {
    // node-salesforce's stream() gave CSV text, piped to a file; records written to a byte
    // stream would fail on the first write with a TypeError that does not say why.
    if ((destination as { writableObjectMode?: boolean }).writableObjectMode === false) {
      throw invalid(
        'pipe() sends records (objects) and the destination takes bytes: for CSV, use query.toCSV().pipe(destination)',
      );
    }
    const source = this.stream();
    source.on('error', (error) => {
      if (!destination.destroyed) destination.destroy(error);
    });
    destination.once('close', () => {
      if (source.destroyed) return;
      const errored = (destination as { errored?: Error | null }).errored;
      source.destroy(errored ?? undefined);
    });
    return source.pipe(destination, options);
  }

  #begin(mode: Mode, overrides: RunOptions): PageReader<T> {
    if (this.#mode !== undefined) {
      throw new SalesforceError(`this query is already being consumed (${this.#mode}); make another`, {
        code: 'INVALID_STATE',
        source: SOURCE,
      });
    }
    this.#mode = mode;
    if (mode !== 'await') {
      this.#completion = new Promise<QueryResult<T>>((resolve, reject) => {
        this.#settle = { resolve, reject };
      });
      // Observed through then() or the error event; never an unhandled rejection by itself.
      this.#completion.catch(() => {});
    }
    const options = this.#options;
    this.#reader = new PageReader<T>(this.#conn, this.#start, {
      autoFetch: overrides.autoFetch ?? options.autoFetch ?? false,
      maxFetch: overrides.maxFetch ?? options.maxFetch,
      batchSize: options.batchSize,
      includeChildren: options.includeChildren ?? false,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.#reader;
  }

  async #collect(overrides: RunOptions = {}): Promise<QueryResult<T>> {
    const reader = this.#begin('await', overrides);
    try {
      const first = await reader.next();
      if (first === null) throw invalid('the query ended before its first page');
      this.#deliver(first.records);
      let records = first.records;
      if (overrides.autoFetch ?? this.#options.autoFetch) {
        records = [...records];
        for (let page = await reader.next(); page !== null; page = await reader.next()) {
          this.#deliver(page.records);
          for (const record of page.records) records.push(record);
        }
      }
      reader.close();
      this.#end();
      return this.#summary(records);
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  #summary(records: T[]): QueryResult<T> {
    const reader = this.#reader as PageReader<T>;
    const out: QueryResult<T> = { totalSize: reader.totalSize ?? 0, done: reader.last.done, records };
    if (reader.last.nextRecordsUrl !== undefined) out.nextRecordsUrl = reader.last.nextRecordsUrl;
    return out;
  }

  #deliver(records: T[]): void {
    if (this.#events.listenerCount('fetch') > 0) {
      const reader = this.#reader as PageReader<T>;
      const page: QueryResult<T> = { totalSize: reader.totalSize ?? 0, done: reader.last.done, records };
      if (reader.last.nextRecordsUrl !== undefined) page.nextRecordsUrl = reader.last.nextRecordsUrl;
      this.#events.emit('fetch', page, this);
    }
    if (this.#events.listenerCount('record') > 0 && this.#mode !== 'iterate') {
      for (const record of records) this.#events.emit('record', record, this.#delivered++, this);
    } else if (this.#mode !== 'iterate') {
      this.#delivered += records.length;
    }
  }

  #end(): void {
    this.#events.emit('end', this);
    this.#settle?.resolve(this.#summary([]));
  }

  /** The consumer stopped early (break, destroy): not an error, not an end. */
  #stopped(): void {
    this.#settle?.resolve(this.#summary([]));
  }

  #fail(error: unknown): void {
    this.#settle?.reject(error);
    if (this.#events.listenerCount('error') > 0) {
      this.#events.emit('error', error, this);
    } else if (this.#mode === 'run' && !this.#awaited) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

const EVENTS: ReadonlySet<string> = new Set(['record', 'fetch', 'end', 'error']);
// Old libraries' names, and what to listen to instead (node-salesforce's README, `shared/seeds/`).
const RENAMED: Readonly<Record<string, string>> = { data: 'record' };
const warned = new Set<string>();

/**
 * A listener for an event a Query never emits would never run: say so once per name, as
 * CONVENTIONS.md rule 5 asks.
 */
function warnUnknownEvent(event: PropertyKey): void {
  const name = String(event);
  if (EVENTS.has(name) || warned.has(name)) return;
  warned.add(name);
  const instead = RENAMED[name] === undefined ? '' : ` (listen to '${RENAMED[name]}' instead)`;
  process.emitWarning(
    `[@sf/query] a Query never emits '${name}'${instead}: its events are record, fetch, end and error`,
    { code: 'SF_UNKNOWN_EVENT' },
  );
}

function makeQuery<T>(conn: Connection, start: QueryStart, options: QueryOptions | undefined): Query<T> {
  if (conn === null || typeof conn !== 'object' || typeof conn.request !== 'function') {
    throw invalid('the first argument must be a Connection from @sf/core');
  }
  return new Query<T>(conn, start, options);
}

function checkSoql(soql: unknown): string {
  if (typeof soql !== 'string' || soql.trim() === '') throw invalid('SOQL must be a non-empty string');
  return soql;
}

/**
 * Runs SOQL (`GET /query`). Nothing is sent until the query is awaited, iterated, streamed or
 * run; see {@link Query}.
 *
 * @example
 * const { totalSize, records } = await query(conn, 'SELECT Id, Name FROM Account');
 * const all = await query(conn, 'SELECT Id FROM Contact', { autoFetch: true, maxFetch: 50_000 });
 */
export function query<T = SObjectRecord>(conn: Connection, soql: string, options?: QueryOptions): Query<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback).
  rejectCallback(arguments, 'query()', USE_QUERY);
  const text = checkSoql(soql);
  return makeQuery<T>(conn, { kind: 'soql', resource: 'query', soql: () => text }, options);
}

/** Like {@link query}, but sees deleted and archived rows too (`GET /queryAll`). */
export function queryAll<T = SObjectRecord>(
  conn: Connection,
  soql: string,
  options?: QueryOptions,
): Query<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback).
  rejectCallback(arguments, 'queryAll()', USE_QUERY);
  const text = checkSoql(soql);
  return makeQuery<T>(conn, { kind: 'soql', resource: 'queryAll', soql: () => text }, options);
}

/**
 * Continues from a `nextRecordsUrl` (`/services/data/vNN.N/query/01g...-2000`). Awaited, it
 * resolves to that page; iterated, it reads to the end.
 */
export function queryMore<T = SObjectRecord>(
  conn: Connection,
  nextRecordsUrl: string,
  options?: QueryOptions,
): Query<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback).
  rejectCallback(arguments, 'queryMore()', USE_QUERY);
  if (
    typeof nextRecordsUrl !== 'string' ||
    !/\/query(All)?\/[^/?#]+$/.test(nextRecordsUrl.split('?')[0] ?? '')
  ) {
    throw invalid(`"${String(nextRecordsUrl)}" is not a nextRecordsUrl`);
  }
  return makeQuery<T>(conn, { kind: 'locator', url: nextRecordsUrl }, options);
}

/** @internal For subclasses in this package (the builder). */
export function createQuery<T>(
  conn: Connection,
  start: QueryStart,
  options: QueryOptions | undefined,
): Query<T> {
  return makeQuery<T>(conn, start, options);
}
