import type { Connection, TransportResponse } from '@sf/core';
import { createRecordStream, type RecordStream } from '@sf/record-stream';
import { bulkError, SOURCE } from './errors.js';
import type { ColumnDelimiter } from './ingest.js';
import { type PollOptions, pollUntil } from './poll.js';
import { type Cast, createPageParser, type PageParser } from './query-page.js';

export interface QueryJobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  operation: 'query' | 'queryAll';
  object: string;
  numberRecordsProcessed?: number;
  errorMessage?: string;
  [field: string]: unknown;
}

export interface BulkQueryOptions extends PollOptions {
  /** `queryAll` includes deleted and archived rows. */
  operation?: 'query' | 'queryAll';
  /** Records per results page (Salesforce picks when unset). */
  maxRecords?: number;
  /**
   * Type values from the describe of the object and of the parents named in the query (such as
   * `Account.NumberOfEmployees`): numbers and booleans typed, an empty number null. Dates stay
   * ISO strings unless `dates: 'Date'`. Default false.
   */
  types?: boolean;
  /**
   * With `types`: `'Date'` turns `datetime` and `date` values into `Date` objects (a `date` at
   * midnight UTC); `'string'` (the default) keeps Salesforce's ISO text, which loses nothing.
   */
  dates?: 'string' | 'Date';
  /** Empty cells as null (CSV cannot tell them apart). Default true. */
  emptyAsNull?: boolean;
  columnDelimiter?: ColumnDelimiter;
  /** Re-attach to a query job already created, instead of creating one. */
  jobId?: string;
  /** Called once with the job's id, as soon as it exists. */
  onJob?: (jobId: string) => void;
}

const DELIMITER: Record<ColumnDelimiter, string> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);
const noop = (): void => {};

interface DescribedField {
  name: string;
  type: string;
  relationshipName?: string | null;
  referenceTo?: string[];
}

/** The dotted (parent) fields of a query's SELECT list: Bulk API 2.0 takes no subqueries. */
function parentFields(soql: string): string[] {
  const list = /^\s*select\s+([\s\S]+?)\s+from\s/i.exec(soql)?.[1] ?? '';
  return list
    .split(',')
    .map((f) => f.trim())
    .filter((f) => /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(f));
}

async function describeCast(
  conn: Connection,
  object: string,
  soql: string,
  options: BulkQueryOptions,
  signal: AbortSignal,
): Promise<Cast> {
  const describes = new Map<string, Promise<DescribedField[]>>();
  const describe = (name: string): Promise<DescribedField[]> => {
    const key = name.toLowerCase();
    let fields = describes.get(key);
    if (!fields) {
      fields = conn
        .request<{ fields: DescribedField[] }>({
          path: `sobjects/${encodeURIComponent(name)}/describe`,
          signal,
          source: SOURCE,
        })
        .then((d) => d.fields);
      describes.set(key, fields);
    }
    return fields;
  };
  const types = new Map<string, string>();
  for (const f of await describe(object)) types.set(f.name.toLowerCase(), f.type);
  // A parent path is followed through relationships with one target; a polymorphic one
  // (Owner, What) could be several objects, so its fields stay text.
  for (const path of parentFields(soql)) {
    const parts = path.split('.');
    let current = object;
    let type: string | undefined;
    for (let i = 0; i < parts.length; i++) {
      const part = (parts[i] as string).toLowerCase();
      const fields = await describe(current);
      if (i === parts.length - 1) {
        type = fields.find((f) => f.name.toLowerCase() === part)?.type;
        break;
      }
      const link = fields.find((f) => f.relationshipName?.toLowerCase() === part);
      const target = link?.referenceTo?.length === 1 ? link.referenceTo[0] : undefined;
      if (target === undefined) break;
      current = target;
    }
    if (type !== undefined) types.set(path.toLowerCase(), type);
  }
  const asDate = options.dates === 'Date';
  return (value, column) => {
    const type = types.get(column.toLowerCase());
    if (type === undefined) return value;
    if (NUMBER_TYPES.has(type)) return value === '' ? null : Number(value);
    if (type === 'boolean') return value === 'true';
    if (asDate && (type === 'datetime' || type === 'date')) {
      if (value === '') return null;
      const date = new Date(type === 'date' ? `${value}T00:00:00Z` : value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    return value;
  };
}

/** A results page whose headers have arrived; its body is read later. */
interface Page {
  res: TransportResponse;
  /** The next page's locator, or undefined on the last page. */
  next: string | undefined;
  /** Its row count as `Sforce-NumberOfRecords` gives it, when it does. */
  expected: number | undefined;
}

/** The page being read: its body, its parser, and its records so far (held until it is checked). */
interface OpenPage {
  body: AsyncIterator<Uint8Array>;
  parser: PageParser;
  where: string;
  expected: number | undefined;
  records: Record<string, unknown>[][];
  rows: number;
  bytes: number;
  lastByte: number | undefined;
}

const LF = 0x0a;

/** The page's records once its body is whole: it ends with a line break and has the rows announced. */
function checkedPage(page: OpenPage): Record<string, unknown>[] {
  const malformed = (message: string) =>
    bulkError(`${page.where}: ${message}; none of its records was handed on`, { code: 'MALFORMED_RESPONSE' });
  // Salesforce ends every row with the job's line ending: a body that stops mid-row was cut off,
  // and its last value may be short even when the row has all its fields.
  if (page.bytes > 0 && page.lastByte !== LF) {
    throw malformed('the body ends mid-row, without its final line break (truncated)');
  }
  if (page.expected !== undefined && page.rows !== page.expected) {
    throw malformed(`it has ${page.rows} rows but Sforce-NumberOfRecords says ${page.expected}`);
  }
  return page.records.length === 1 ? (page.records[0] as Record<string, unknown>[]) : page.records.flat();
}

/** `Sforce-NumberOfRecords` as a count, or undefined when absent (a malformed one is refused). */
function recordCount(header: string | undefined, where: string): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const n = Number(header);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw bulkError(
      `${where}: Sforce-NumberOfRecords is not a row count: ${JSON.stringify(header.slice(0, 40))}`,
      {
        code: 'MALFORMED_RESPONSE',
      },
    );
  }
  return n;
}

/**
 * Runs a Bulk 2.0 query and streams its records page by page (each page's header row read as a
 * header): memory holds one page whatever the row count. The job is created when reading
 * starts. A page's records are handed on once the whole page is read and checked: a page cut
 * mid-row, or not holding the `Sforce-NumberOfRecords` rows its header announces, rejects with
 * MALFORMED_RESPONSE and none of its records goes out. While a page is read, the next one is
 * already requested (one page ahead, never more), so the server prepares it while the consumer
 * works; its body waits, under the socket's backpressure, until the consumer reaches it.
 *
 * @example
 * for await (const account of bulkQuery(conn, 'SELECT Id, Name FROM Account', { types: true })) {
 *   console.log(account.Id, account.Name);
 * }
 */
export function bulkQuery(
  conn: Connection,
  soql: string,
  options: BulkQueryOptions = {},
): RecordStream<Record<string, unknown>> {
  const invalid = (name: string, allowed: readonly string[], value: unknown) =>
    bulkError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${String(value)}`, {
      code: 'INVALID_ARGUMENT',
    });
  if (options.dates !== undefined && options.dates !== 'string' && options.dates !== 'Date') {
    throw invalid('dates', ['string', 'Date'], options.dates);
  }
  if (options.columnDelimiter !== undefined && !Object.hasOwn(DELIMITER, options.columnDelimiter)) {
    throw invalid('columnDelimiter', Object.keys(DELIMITER), options.columnDelimiter);
  }
  let jobId = options.jobId;
  let ready = false;
  let cast: Cast | undefined;
  let pageNumber = 0;
  // The first page's request once started, then always the request for the page after `open`.
  let pending: Promise<Page> | undefined;
  let open: OpenPage | undefined;
  let finished = false;
  const emptyAsNull = options.emptyAsNull ?? true;
  const delimiter = DELIMITER[options.columnDelimiter ?? 'COMMA'];

  const start = async (signal: AbortSignal) => {
    if (jobId === undefined) {
      const info = await conn.request<QueryJobInfo>({
        method: 'POST',
        path: 'jobs/query',
        body: {
          operation: options.operation ?? 'query',
          query: soql,
          contentType: 'CSV',
          columnDelimiter: options.columnDelimiter ?? 'COMMA',
          lineEnding: 'LF',
        },
        signal,
        source: SOURCE,
      });
      jobId = info.id;
    }
    options.onJob?.(jobId);
    const id = jobId;
    const info = await pollUntil(
      `query job ${id}`,
      async (s) => {
        const current = await conn.request<QueryJobInfo>({
          path: `jobs/query/${encodeURIComponent(id)}`,
          source: SOURCE,
          ...(s ? { signal: s } : {}),
        });
        return ['JobComplete', 'Failed', 'Aborted'].includes(current.state) ? current : undefined;
      },
      { ...options, signal },
    );
    if (info.state === 'Failed') {
      throw bulkError(`query job ${id} failed: ${info.errorMessage ?? 'no message'}`, { code: 'JOB_FAILED' });
    }
    if (info.state === 'Aborted') throw bulkError(`query job ${id} was aborted`, { code: 'JOB_ABORTED' });
    if (options.types) {
      const text = soql || (typeof info.query === 'string' ? info.query : '');
      cast = await describeCast(conn, info.object, text, options, signal);
    }
    ready = true;
  };

  const request = (locator: string | undefined, signal: AbortSignal): Promise<Page> => {
    const page = (async () => {
      const res = await conn.requestRaw({
        path: `jobs/query/${encodeURIComponent(jobId as string)}/results`,
        query: { locator, maxRecords: options.maxRecords },
        headers: { accept: 'text/csv' },
        signal,
        source: SOURCE,
      });
      const next = res.headers['sforce-locator'];
      let expected: number | undefined;
      try {
        expected = recordCount(res.headers['sforce-numberofrecords'], `query job ${jobId as string} results`);
      } catch (error) {
        await res.cancel();
        throw error;
      }
      return {
        res,
        next: next === undefined || next === 'null' || next === '' ? undefined : next,
        expected,
      };
    })();
    // Held until the consumer reaches it; a failure meanwhile must not be an unhandled rejection.
    page.catch(noop);
    return page;
  };

  /** Takes the requested page, requests the one after it, and starts reading the body. */
  const openNext = async (signal: AbortSignal): Promise<void> => {
    const page = await (pending ?? request(undefined, signal));
    pending = page.next === undefined ? undefined : request(page.next, signal);
    pageNumber += 1;
    const where = `query job ${jobId as string} results page ${pageNumber}`;
    open = {
      body: page.res.body()[Symbol.asyncIterator](),
      parser: createPageParser({ delimiter, emptyAsNull, cast, where }),
      where,
      expected: page.expected,
      records: [],
      rows: 0,
      bytes: 0,
      lastByte: undefined,
    };
  };

  const close = () => {
    open?.parser.destroy();
    // Releases the socket: the generator's cleanup discards the rest of the body.
    void open?.body.return?.()?.catch?.(noop);
    open = undefined;
    const next = pending;
    pending = undefined;
    void next?.then((page) => page.res.cancel(), noop).catch(noop);
  };

  return createRecordStream<Record<string, unknown>>(
    async (_stream, signal) => {
      if (!ready) await start(signal);
      for (;;) {
        if (open === undefined) {
          if (finished) return null;
          await openNext(signal);
        }
        const page = open as OpenPage;
        const step = await page.body.next();
        const chunk = step.done ? undefined : step.value;
        if (chunk !== undefined && chunk.length > 0) {
          page.bytes += chunk.length;
          page.lastByte = chunk[chunk.length - 1];
        }
        const records = chunk === undefined ? await page.parser.end() : page.parser.write(chunk);
        if (records.length > 0) {
          page.records.push(records);
          page.rows += records.length;
        }
        if (!step.done) continue;
        // The page is handed on whole once checked, never a part of a page that turns out cut
        // short or miscounted: memory holds one page (its size is maxRecords or Salesforce's).
        open = undefined;
        const checked = checkedPage(page);
        finished = pending === undefined;
        if (checked.length > 0) return checked;
      }
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onClose: close,
    },
  );
}

/** {@link bulkQuery} with `operation: 'queryAll'`: deleted and archived rows too. */
export function bulkQueryAll(
  conn: Connection,
  soql: string,
  options: Omit<BulkQueryOptions, 'operation'> = {},
): RecordStream<Record<string, unknown>> {
  return bulkQuery(conn, soql, { ...options, operation: 'queryAll' });
}
