// Reads a query's pages in order, keeping exactly one page in flight ahead of the consumer. The
// next page is requested as soon as its URL is known: Salesforce writes `nextRecordsUrl` before
// `records`, so it is read from the first bytes of the body while the rest is still arriving.
import { type Connection, type SalesforceError, salesforceError, type TransportResponse } from '@sf/core';
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

/** The largest page body read (as core's default `maxBodyBytes`). */
const MAX_PAGE_BYTES = 256 << 20;
/** How far into a body `nextRecordsUrl` is looked for before reading on without it. */
const HEAD_CHARS = 2048;
/**
 * `nextRecordsUrl` at the head of a page: only `totalSize` and `done` before it, at the top
 * level of the object (Salesforce's order). Anything else falls back to the parsed page's.
 */
const HEAD =
  /^\s*\{(?:\s*"(?:totalSize|done)"\s*:\s*(?:\d+|true|false)\s*,)*\s*"nextRecordsUrl"\s*:\s*"([^"\\]+)"\s*[,}]/;

/** @internal The URL of the next page if the head of a body names it, else undefined. */
export function nextUrlAtHead(head: string): string | undefined {
  return HEAD.exec(head)?.[1];
}

/** A page being requested: its result, and the next page's request once started early. */
interface Flight<T> {
  promise: Promise<QueryResult<T>>;
  /** The consumer waits for it: only then may it start the next page early (two pages held). */
  awaited: boolean;
  settled: boolean;
  /** `nextRecordsUrl` read from the head of its body. */
  headUrl?: string;
  /** The next page, requested from `headUrl` before this one was whole. */
  early?: Flight<T>;
  cancel(): void;
}

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
  #pending: Flight<T> | undefined;
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
    let flight: Flight<T>;
    if (this.#state === 'new') {
      this.#state = 'reading';
      flight = this.#first();
    } else if (this.#pending !== undefined) {
      flight = this.#pending;
      this.#pending = undefined;
    } else {
      this.close();
      return null;
    }
    flight.awaited = true;
    if (flight.headUrl !== undefined && !flight.settled) this.#startEarly(flight);
    let page: QueryResult<T>;
    try {
      page = await flight.promise;
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
    const early = flight.early;
    if (fetchOn && early !== undefined && flight.headUrl === page.nextRecordsUrl) {
      this.#pending = early;
    } else {
      // Started from a head that the whole page contradicts (or that is no longer wanted).
      early?.cancel();
      if (fetchOn) this.#pending = this.#fetch(page.nextRecordsUrl as string);
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

  #first(): Flight<T> {
    const start = this.#start;
    if (start.kind === 'locator') return this.#fetch(start.url);
    return this.#get(start.resource, { q: start.soql() });
  }

  #fetch(url: string): Flight<T> {
    return this.#get(url, undefined);
  }

  /** Whether the next page may be requested before this one is whole. */
  #mayStartEarly(): boolean {
    const max = this.#options.maxFetch;
    // With maxFetch the page's own size decides whether another is wanted: no guessing.
    return this.#options.autoFetch && (max === undefined || max === Number.POSITIVE_INFINITY);
  }

  #startEarly(flight: Flight<T>): void {
    if (flight.early !== undefined || flight.headUrl === undefined || this.#state === 'ended') return;
    if (!this.#mayStartEarly()) return;
    flight.early = this.#fetch(flight.headUrl);
  }

  #get(path: string, query: Record<string, string> | undefined): Flight<T> {
    const own = new AbortController();
    const flight: Flight<T> = {
      promise: undefined as unknown as Promise<QueryResult<T>>,
      awaited: false,
      settled: false,
      cancel: () => {
        own.abort(new DOMException('The page is no longer wanted', 'AbortError'));
        flight.early?.cancel();
      },
    };
    const onHead = (url: string): void => {
      flight.headUrl = url;
      if (flight.awaited) this.#startEarly(flight);
    };
    flight.promise = this.#read(path, query, AbortSignal.any([this.#controller.signal, own.signal]), onHead);
    flight.promise.then(
      () => {
        flight.settled = true;
      },
      () => {
        flight.settled = true;
        flight.early?.cancel();
      },
    );
    // Held until the consumer asks; a failure meanwhile must not be an unhandled rejection.
    flight.promise.catch(noop);
    return flight;
  }

  async #read(
    path: string,
    query: Record<string, string> | undefined,
    signal: AbortSignal,
    onHead: (url: string) => void,
  ): Promise<QueryResult<T>> {
    this.#inFlight++;
    try {
      const headers = this.#headers();
      const res = await this.#conn.requestRaw({
        method: 'GET',
        path,
        ...(query === undefined ? {} : { query }),
        ...(headers === undefined ? {} : { headers }),
        signal,
        ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
        source: SOURCE,
      });
      const text = await readPageText(res, path, this.#mayStartEarly() ? onHead : undefined);
      let page: QueryResult<T>;
      try {
        page = JSON.parse(text) as QueryResult<T>;
      } catch (cause) {
        throw salesforceError(
          SOURCE,
          'MALFORMED_RESPONSE',
          `response body is not valid JSON (${text.length} characters): truncated or malformed`,
          { method: 'GET', url: path, status: res.status, cause },
        );
      }
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

/**
 * A page's body as text, `onHead` told the head's `nextRecordsUrl` as soon as the first bytes
 * name it (or never, when they do not).
 */
async function readPageText(
  res: TransportResponse,
  path: string,
  onHead: ((url: string) => void) | undefined,
): Promise<string> {
  if (res.status === 204) {
    await res.cancel();
    throw invalidResponse(path);
  }
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let looking = onHead !== undefined;
  for await (const chunk of res.body()) {
    bytes += chunk.length;
    if (bytes > MAX_PAGE_BYTES) {
      await res.cancel();
      throw salesforceError(SOURCE, 'MALFORMED_RESPONSE', `a query page over ${MAX_PAGE_BYTES} bytes`, {
        method: 'GET',
        url: path,
      });
    }
    text += decoder.decode(chunk, { stream: true });
    if (looking) {
      const url = nextUrlAtHead(text);
      if (url !== undefined || text.length >= HEAD_CHARS) looking = false;
      if (url !== undefined) onHead?.(url);
    }
  }
  text += decoder.decode();
  if (/^\s*</.test(text)) {
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      `${res.status}: expected JSON, the server answered with an HTML page`,
      {
        method: 'GET',
        url: path,
        status: res.status,
      },
    );
  }
  return text;
}

function invalidResponse(path: string): SalesforceError {
  return salesforceError(SOURCE, 'MALFORMED_RESPONSE', 'the query response has no records array', {
    method: 'GET',
    url: path,
  });
}
