// Reads a query's pages in order, keeping exactly one page in flight ahead of the consumer.
import { type Connection, type SalesforceError, salesforceError } from '@sf/core';
import { SOURCE } from './source.js';

/** One page of a query, as `GET /query` answers. */
export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  /** Where the next page is, while `done` is false. */
  nextRecordsUrl?: string;
  records: T[];
}

/** @internal Where a query starts: SOQL sent to `query` or `queryAll`, or a locator URL. */
export type QueryStart =
  | { kind: 'soql'; resource: 'query' | 'queryAll'; soql: () => string }
  | { kind: 'locator'; url: string };

/** @internal */
export interface ReaderOptions {
  autoFetch: boolean;
  maxFetch: number | undefined;
  batchSize: number | undefined;
  includeChildren: boolean;
  signal: AbortSignal | undefined;
  timeoutMs: number | undefined;
}

const noop = (): void => {};

/** Validates `batchSize` (Salesforce accepts 200 to 2,000). */
export function checkBatchSize(batchSize: number | undefined): void {
  if (batchSize === undefined) return;
  if (!Number.isSafeInteger(batchSize) || batchSize < 200 || batchSize > 2000) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `batchSize must be an integer from 200 to 2000, got ${String(batchSize)}`,
    );
  }
}

/** Validates `maxFetch`. */
export function checkMaxFetch(maxFetch: number | undefined): void {
  if (maxFetch === undefined) return;
  if (!(Number.isSafeInteger(maxFetch) || maxFetch === Number.POSITIVE_INFINITY) || maxFetch < 0) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `maxFetch must be a non-negative integer, got ${String(maxFetch)}`,
    );
  }
}

function isChildResult(value: unknown): value is QueryResult<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records) &&
    typeof (value as { done?: unknown }).done === 'boolean'
  );
}

/**
 * @internal The paging engine behind every Query. `next()` resolves to the next page (records
 * cut to `maxFetch`) and, when there is a further page and auto-fetch is on, starts fetching
 * it: one request ahead of the consumer, never more, so memory holds at most two pages.
 */
export class PageReader<T> {
  readonly #conn: Connection;
  readonly #start: QueryStart;
  readonly #options: ReaderOptions;
  // Aborted with the caller's reason (so the request rejects with it unchanged), or when the
  // consumer stops early.
  readonly #controller = new AbortController();
  readonly #onAbort = (): void => {
    this.#controller.abort(this.#options.signal?.reason);
  };
  #state: 'new' | 'reading' | 'ended' = 'new';
  #pending: Promise<QueryResult<T>> | undefined;
  #inFlight = 0;
  totalSize: number | undefined;
  totalFetched = 0;
  /** Set on the last page handed out: done, and where to continue when stopped early. */
  last: { done: boolean; nextRecordsUrl?: string } = { done: false };

  constructor(conn: Connection, start: QueryStart, options: ReaderOptions) {
    this.#conn = conn;
    this.#start = start;
    this.#options = options;
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The next page, or null after the last one. Rejects with the caller's abort reason. */
  async next(): Promise<QueryResult<T> | null> {
    const signal = this.#options.signal;
    if (signal?.aborted) {
      this.close();
      throw signal.reason;
    }
    let request: Promise<QueryResult<T>>;
    if (this.#state === 'new') {
      this.#state = 'reading';
      request = this.#first();
    } else if (this.#pending !== undefined) {
      request = this.#pending;
      this.#pending = undefined;
    } else {
      this.close();
      return null;
    }
    let page: QueryResult<T>;
    try {
      page = await request;
    } catch (error) {
      this.close();
      throw signal?.aborted ? signal.reason : error;
    }
    if (this.totalSize === undefined) this.totalSize = page.totalSize;
    const max = this.#options.maxFetch ?? Number.POSITIVE_INFINITY;
    let records = page.records;
    const room = max - this.totalFetched;
    const cut = records.length > room;
    if (cut) records = records.slice(0, Math.max(0, room));
    this.totalFetched += records.length;
    const more = !page.done && typeof page.nextRecordsUrl === 'string';
    const fetchOn = more && !cut && this.#options.autoFetch && this.totalFetched < max;
    if (fetchOn) {
      this.#pending = this.#fetch(page.nextRecordsUrl as string);
      // Held until the consumer asks; a failure meanwhile must not be an unhandled rejection.
      this.#pending.catch(noop);
    }
    this.last =
      more && !cut ? { done: false, nextRecordsUrl: page.nextRecordsUrl as string } : { done: !more && !cut };
    const out: QueryResult<T> = { totalSize: page.totalSize, done: this.last.done, records };
    if (this.last.nextRecordsUrl !== undefined) out.nextRecordsUrl = this.last.nextRecordsUrl;
    if (!fetchOn) this.close();
    return out;
  }

  /** Stops: aborts a request in flight and forgets the caller's signal. Idempotent. */
  close(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#pending = undefined;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#inFlight > 0 && !this.#controller.signal.aborted) {
      this.#controller.abort(new DOMException('The query was closed before its end', 'AbortError'));
    }
  }

  #headers(): Record<string, string> | undefined {
    const size = this.#options.batchSize;
    return size === undefined ? undefined : { 'sforce-query-options': `batchSize=${size}` };
  }

  #first(): Promise<QueryResult<T>> {
    const start = this.#start;
    if (start.kind === 'locator') return this.#fetch(start.url);
    return this.#get(start.resource, { q: start.soql() });
  }

  #fetch(url: string): Promise<QueryResult<T>> {
    return this.#get(url, undefined);
  }

  async #get(path: string, query: Record<string, string> | undefined): Promise<QueryResult<T>> {
    this.#inFlight++;
    try {
      const headers = this.#headers();
      const page = await this.#conn.request<QueryResult<T>>({
        method: 'GET',
        path,
        ...(query === undefined ? {} : { query }),
        ...(headers === undefined ? {} : { headers }),
        signal: this.#controller.signal,
        ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
        source: SOURCE,
      });
      if (typeof page !== 'object' || page === null || !Array.isArray(page.records)) {
        throw invalidResponse(path);
      }
      if (this.#options.includeChildren) await this.#completeChildren(page.records);
      return page;
    } finally {
      this.#inFlight--;
    }
  }

  /** Fetches the rest of every child subquery result that has its own nextRecordsUrl. */
  async #completeChildren(records: readonly T[]): Promise<void> {
    for (const record of records) {
      if (typeof record !== 'object' || record === null) continue;
      for (const value of Object.values(record as Record<string, unknown>)) {
        if (!isChildResult(value) || value.done || typeof value.nextRecordsUrl !== 'string') continue;
        let url: string | undefined = value.nextRecordsUrl;
        while (url !== undefined) {
          const page: QueryResult<unknown> = await this.#getChild(url);
          for (const child of page.records) value.records.push(child);
          url = !page.done && typeof page.nextRecordsUrl === 'string' ? page.nextRecordsUrl : undefined;
        }
        value.done = true;
        delete value.nextRecordsUrl;
      }
    }
  }

  async #getChild(url: string): Promise<QueryResult<unknown>> {
    const page = await this.#conn.request<QueryResult<unknown>>({
      method: 'GET',
      path: url,
      signal: this.#controller.signal,
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      source: SOURCE,
    });
    if (typeof page !== 'object' || page === null || !Array.isArray(page.records)) throw invalidResponse(url);
    return page;
  }
}

function invalidResponse(path: string): SalesforceError {
  return salesforceError(SOURCE, 'MALFORMED_RESPONSE', 'the query response has no records array', {
    method: 'GET',
    url: path,
  });
}
