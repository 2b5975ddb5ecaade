import type { Connection } from '@sf/core';
import { createRecordStream, fromCSV, type RecordStream } from '@sf/record-stream';
import { bulkError, SOURCE } from './errors.js';
import type { ColumnDelimiter } from './ingest.js';
import { type PollOptions, pollUntil } from './poll.js';

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
  /** Type values from the object's describe: numbers, booleans; dates stay ISO strings. Default false. */
  types?: boolean;
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
const RECORDS_PER_PULL = 500;

type Cast = (value: string, column: string) => unknown;

async function describeCast(conn: Connection, object: string, signal: AbortSignal): Promise<Cast> {
  const describe = await conn.request<{ fields: { name: string; type: string }[] }>({
    path: `sobjects/${encodeURIComponent(object)}/describe`,
    signal,
    source: SOURCE,
  });
  const types = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f.type]));
  return (value, column) => {
    const type = types.get(column.toLowerCase());
    if (type === undefined) return value;
    if (NUMBER_TYPES.has(type)) return value === '' ? null : Number(value);
    if (type === 'boolean') return value === 'true';
    return value;
  };
}

/**
 * Runs a Bulk 2.0 query and streams its records page by page (each page's header row read as a
 * header): memory stays flat whatever the row count. The job is created when reading starts.
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
  let jobId = options.jobId;
  let ready = false;
  let locator: string | undefined;
  let finished = false;
  let page: AsyncIterator<Record<string, unknown>> | undefined;
  let cast: Cast | undefined;
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
    if (options.types) cast = await describeCast(conn, info.object, signal);
    ready = true;
  };

  const openPage = async (signal: AbortSignal) => {
    const res = await conn.requestRaw({
      path: `jobs/query/${encodeURIComponent(jobId as string)}/results`,
      query: { locator, maxRecords: options.maxRecords },
      headers: { accept: 'text/csv' },
      signal,
      source: SOURCE,
    });
    const next = res.headers['sforce-locator'];
    locator = next === undefined || next === 'null' || next === '' ? undefined : next;
    finished = locator === undefined;
    page = fromCSV(res.body(), {
      emptyAsNull,
      delimiter,
      ...(cast ? { cast } : {}),
    })[Symbol.asyncIterator]();
  };

  return createRecordStream<Record<string, unknown>>(
    async (_stream, signal) => {
      if (!ready) await start(signal);
      const out: Record<string, unknown>[] = [];
      while (out.length < RECORDS_PER_PULL) {
        if (!page) {
          if (finished) break;
          await openPage(signal);
        }
        const step = await (page as AsyncIterator<Record<string, unknown>>).next();
        if (step.done) {
          page = undefined;
          if (out.length > 0) break;
          continue;
        }
        out.push(step.value);
      }
      return out.length === 0 && finished && !page ? null : out;
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onClose: () => {
        void page?.return?.();
      },
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
