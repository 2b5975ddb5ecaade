// The Query facade: lazy until first used, then one QueryRun (query-run.ts) driven by the mode
// chosen (query-modes.ts, query-iterator.ts). The Query itself keeps only what it was given, its
// listeners, the run once started, and whether its promise side is in use.
import { refuseOldArguments, USE_AWAIT, warnUnknownEvent } from '@sf/core';
import type { Readable, Writable } from 'node:stream';
import { assertConnection, type Connection, Emitter, salesforceError } from '@sf/core';
import type { RecordStream, ToCSVOptions } from '@sf/record-stream';
import { USE_QUERY } from './no-callback.js';
import { checkBatchSize, checkMaxFetch, type QueryResult, type QueryStart } from './page-reader.js';
import { iterateRecords } from './query-iterator.js';
import { checkRecordDestination, collect, pipeRecords, runEvents, streamRecords } from './query-modes.js';
import { type Mode, QueryRun } from './query-run.js';
import type {
  QueryEvents,
  QueryOptions,
  QueryStreamOptions,
  RunOptions,
  SObjectRecord,
} from './query-types.js';
import { SOURCE } from './source.js';

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
  /** The one consumption, once the query is used. */
  #run: QueryRun<T> | undefined;
  /** Whether the promise side (then, await, execute) is in use: it then carries a failure. */
  #awaited = false;

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
    return this.#run?.reader.totalSize;
  }

  /** Records received so far (cut to `maxFetch`). */
  get totalFetched(): number {
    return this.#run?.reader.totalFetched ?? 0;
  }

  /** The SOQL sent (undefined for `queryMore`). */
  toSOQL(): string | undefined {
    return this.#start.kind === 'soql' ? this.#start.soql() : undefined;
  }

  on<K extends keyof QueryEvents<T>>(event: K, listener: QueryEvents<T>[K]): this {
    warnUnknown(event);
    this.#events.on(event, listener);
    return this;
  }

  once<K extends keyof QueryEvents<T>>(event: K, listener: QueryEvents<T>[K]): this {
    warnUnknown(event);
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
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    refuseOldArguments(SOURCE, 'run()', arguments, { instead: USE_QUERY });
    checkMaxFetch(options.maxFetch);
    void runEvents(this.#begin('run', options));
    return this;
  }

  /**
   * Resolves to the first page, or with `autoFetch` to every record (in one `records` array; for
   * large results iterate or stream instead). Rejects with a SalesforceError, or the signal's
   * reason on abort. Awaiting a query already in use waits for its end (`records: []`).
   */
  // biome-ignore lint/suspicious/noThenProperty: a Query is awaitable by design.
  then<R1 = QueryResult<T>, R2 = never>(
    onfulfilled?: ((value: QueryResult<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise({}).then(onfulfilled, onrejected);
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
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    refuseOldArguments(SOURCE, 'execute()', arguments, { instead: USE_AWAIT });
    if (options === null || typeof options !== 'object')
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'execute() takes an options object');
    checkMaxFetch(options.maxFetch);
    return this.#promise(options);
  }

  /** Every record of every page (bounded by `maxFetch` when given), one page fetched ahead. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return iterateRecords(this.#begin('iterate', { autoFetch: true }), this.#options.signal);
  }

  /**
   * Every record as a RecordStream (an object-mode Readable and async iterable with `map`,
   * `filter`, `batch`, `toCSV`): pipe it anywhere. Pages are pulled as the stream is read.
   */
  stream(options: QueryStreamOptions = {}): RecordStream<T> {
    const run = this.#begin('stream', { autoFetch: true });
    return streamRecords(
      run,
      options,
      this.#options.signal,
      () => this.#awaited || this.#events.listenerCount('error') > 0,
    );
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
    checkRecordDestination(destination, 'pipe()');
    return pipeRecords(this.stream(), destination, options);
  }

  /** The promise side: starts the query awaited when unused, else waits for the run in progress. */
  #promise(overrides: RunOptions): Promise<QueryResult<T>> {
    this.#awaited = true;
    if (this.#run === undefined) {
      const run = this.#begin('await', overrides);
      void collect(run, overrides.autoFetch ?? this.#options.autoFetch ?? false);
      return run.completion;
    }
    return this.#run.completion;
  }

  #begin(mode: Mode, overrides: RunOptions): QueryRun<T> {
    if (this.#run !== undefined) {
      throw salesforceError(
        SOURCE,
        'INVALID_STATE',
        `this query is already being consumed (${this.#run.mode}); make another`,
      );
    }
    this.#run = new QueryRun<T>(mode, this.#conn, this.#start, this.#options, overrides, {
      query: this,
      events: this.#events,
      awaited: () => this.#awaited,
    });
    return this.#run;
  }
}

const EVENTS: readonly string[] = ['record', 'fetch', 'end', 'error'];
// What Node's own stream plumbing (pipeline, finished) listens for on anything it is given: no
// user wrote these, so they are no old library's names to warn about.
const STREAM_PLUMBING: ReadonlySet<string> = new Set([
  'close',
  'finish',
  'prefinish',
  'aborted',
  'complete',
  'request',
]);
// Old libraries' names, and what to listen to instead (node-salesforce's README, `shared/seeds/`).
const RENAMED: Readonly<Record<string, string>> = { data: 'record' };

/**
 * A listener for an event a Query never emits would never run: core's warnUnknownEvent says so
 * once per name (CONVENTIONS.md rule 5), as every package's emitters do.
 */
function warnUnknown(event: PropertyKey): void {
  const name = typeof event === 'number' ? String(event) : event;
  if (typeof name === 'string' && STREAM_PLUMBING.has(name)) return;
  warnUnknownEvent(SOURCE, name, EVENTS, RENAMED);
}

function makeQuery<T>(conn: Connection, start: QueryStart, options: QueryOptions | undefined): Query<T> {
  assertConnection(conn, SOURCE);
  return new Query<T>(conn, start, options);
}

function checkSoql(soql: unknown): string {
  if (typeof soql !== 'string' || soql.trim() === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'SOQL must be a non-empty string');
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
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'query()', arguments, { instead: USE_QUERY });
  const text = checkSoql(soql);
  return makeQuery<T>(conn, { kind: 'soql', resource: 'query', soql: () => text }, options);
}

/** Like {@link query}, but sees deleted and archived rows too (`GET /queryAll`). */
export function queryAll<T = SObjectRecord>(
  conn: Connection,
  soql: string,
  options?: QueryOptions,
): Query<T> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'queryAll()', arguments, { instead: USE_QUERY });
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
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'queryMore()', arguments, { instead: USE_QUERY });
  if (
    typeof nextRecordsUrl !== 'string' ||
    !/\/query(All)?\/[^/?#]+$/.test(nextRecordsUrl.split('?')[0] ?? '')
  ) {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `"${String(nextRecordsUrl)}" is not a nextRecordsUrl`);
  }
  return makeQuery<T>(conn, { kind: 'locator', url: nextRecordsUrl }, options);
}
