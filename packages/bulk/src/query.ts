import type { Connection } from '@sf/core';
import { createRecordStream, type RecordStream } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import { bulkError, SOURCE } from './errors.js';
import { type ColumnDelimiter, DELIMITER_CHARS as DELIMITER } from './ingest.js';
import { type PollOptions, pollUntil } from './poll.js';
import type { CheckedPage } from './checked-page.js';
import type { Cast } from './query-page.js';
import {
  locatorSource,
  type PageContext,
  type PageSource,
  type PageTask,
  resultPagesSource,
  startPage,
} from './result-pages.js';

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
  /**
   * Result pages downloaded at once (API 58.0+, through `resultPages`). Default 4; 1 reads the
   * pages one after another by their locators. Memory holds up to this many pages plus one.
   */
  concurrency?: number;
  /** `'page'` (the default) hands records on in page order; `'arrival'` as each page is complete. */
  order?: 'page' | 'arrival';
  /**
   * Ask for gzip-compressed result pages (`Accept-Encoding: gzip`, which Salesforce honours) and
   * inflate them here. Default true: CSV shrinks about 5x, which pays on any link slower than
   * about 100 Mbit/s (a real org); on loopback it costs more than it saves (README, "Performance").
   */
  gzip?: boolean;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

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
  // One cast per column, chosen when the page's header is compiled, never looked up per cell.
  return (column) => {
    const type = types.get(column.toLowerCase());
    if (type === undefined) return undefined;
    if (NUMBER_TYPES.has(type)) return toNumber;
    if (type === 'boolean') return toBoolean;
    if (asDate && type === 'datetime') return toDateTime;
    if (asDate && type === 'date') return toDate;
    return undefined;
  };
}

const toNumber = (value: string): number | null => (value === '' ? null : Number(value));
const toBoolean = (value: string): boolean => value === 'true';
const toDateTime = (value: string): Date | string | null => {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date;
};
const toDate = (value: string): Date | string | null => {
  if (value === '') return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : date;
};

/** Records built and handed on at a time from a checked page. */
const BATCH = 2_000;
/** Pages downloaded at once from `resultPages` unless `concurrency` says otherwise. */
const DEFAULT_CONCURRENCY = 4;

/**
 * Runs a Bulk 2.0 query and streams its records page by page (each page's header row read as a
 * header). The job is created when reading starts. A page's records are handed on once the whole
 * page is read and checked: a page cut mid-row, or not holding the `Sforce-NumberOfRecords` rows
 * its header announces, rejects with MALFORMED_RESPONSE and none of its records goes out.
 *
 * From API 58.0, pages are downloaded `concurrency` at a time (default 4) from the URLs of
 * `resultPages`, and handed on in page order (`order: 'arrival'`: as each is complete); memory
 * holds at most `concurrency` pages being downloaded plus the one being read. Below 58.0, with
 * `concurrency: 1`, or where `resultPages` answers 404, each page's locator names the next, and
 * the next page is requested while one is read (two pages held, never more).
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
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('bulkQuery', arguments, {
    options: 2,
    returns: 'a RecordStream. Write `for await (const r of bulkQuery(conn, soql))`',
  });
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
  if (options.order !== undefined && options.order !== 'page' && options.order !== 'arrival') {
    throw invalid('order', ['page', 'arrival'], options.order);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw bulkError(
      `concurrency must be a whole number of pages, 1 or more; got ${String(options.concurrency)}`,
      {
        code: 'INVALID_ARGUMENT',
      },
    );
  }
  const parallel = concurrency > 1 && Number(conn.apiVersion) >= 58;
  const arrival = options.order === 'arrival';
  let jobId = options.jobId;
  let ready = false;
  let cast: Cast | undefined;
  let source: PageSource | undefined;
  let ctx: PageContext | undefined;
  // Pages started and not yet taken, in page order; the page being read; the last page started.
  const window: PageTask[] = [];
  let current: CheckedPage | undefined;
  let last: PageTask | undefined;
  let exhausted = false;
  let filling: Promise<void> | undefined;
  let fillError: unknown;
  let closed = false;
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
    ctx = {
      conn,
      jobId: id,
      maxRecords: options.maxRecords,
      gzip: options.gzip ?? true,
      parser: { delimiter, emptyAsNull, cast },
      signal,
    };
    source = parallel ? resultPagesSource(ctx) : locatorSource();
    ready = true;
  };

  /** Starts pages until `concurrency` (1 on the locators) are downloading, one fill at a time. */
  const fill = (): Promise<void> => {
    filling ??= (async () => {
      try {
        const width = parallel ? concurrency : 1;
        while (!exhausted && !closed && window.length < width) {
          const request = await (source as PageSource).next(last);
          if (request === undefined || closed) {
            exhausted = true;
            break;
          }
          last = startPage(ctx as PageContext, request, (last?.number ?? 0) + 1);
          window.push(last);
        }
      } catch (error) {
        fillError ??= error;
      } finally {
        filling = undefined;
      }
    })();
    return filling;
  };

  /** The next page to read: the first in page order, or (by arrival) the first complete. */
  const take = async (): Promise<PageTask | undefined> => {
    if (window.length === 0 && fillError === undefined) await fill();
    // Pages already started are read first; a failure to list more surfaces after them.
    if (window.length === 0) {
      if (fillError !== undefined) throw fillError;
      return undefined;
    }
    let index = 0;
    if (arrival && window.length > 1) {
      const settled = (t: PageTask) =>
        t.done.then(
          () => t,
          () => t,
        );
      const first = await Promise.race(window.map(settled));
      index = window.indexOf(first);
    }
    const [task] = window.splice(index, 1);
    void fill();
    return task;
  };

  const close = () => {
    closed = true;
    current = undefined;
    for (const task of window.splice(0)) task.cancel();
  };

  return createRecordStream<Record<string, unknown>>(
    async (_stream, signal) => {
      if (!ready) await start(signal);
      for (;;) {
        if (current !== undefined) {
          const records = current.next(BATCH);
          if (records === undefined) current = undefined;
          else if (records.length > 0) return records;
          continue;
        }
        const task = await take();
        if (task === undefined) return null;
        current = await task.done;
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
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('bulkQueryAll', arguments, {
    options: 2,
    returns: 'a RecordStream. Write `for await (const r of bulkQueryAll(conn, soql))`',
  });
  return bulkQuery(conn, soql, { ...options, operation: 'queryAll' });
}
