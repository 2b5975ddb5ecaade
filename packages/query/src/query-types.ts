// The option, event and record types of a Query, apart from its machinery.
import type { CallOptions } from './call-options.js';
import type { QueryResult } from './page-reader.js';
import type { Query } from './query.js';

/** A record as the REST API returns it, when you do not give a type: @sf/core's, re-exported. */
export type { SObjectRecord } from '@sf/core';

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

/**
 * Options of `run()` and `execute()`: override the query's own. `signal` and `timeoutMs` are
 * here too, as on every call that starts requests (CONVENTIONS.md rule 2).
 */
export interface RunOptions extends CallOptions {
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
