// Bulk API 2.0's `load()`: the input written as CSV while it is uploaded, cut into parts of at
// most `maxUploadBytes` (one job each, closed as soon as its upload ends), each job polled to
// its end, and a LoadResult counting every input row once.

import { type Connection, isSalesforceError } from '@sf/core';
import { RecordStream } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import { type CallOptions, callOptions } from './call-options.js';
import { CsvSplitter } from './csv-split.js';
import { bulkError, inputFailed } from './errors.js';
import { guardedMethod, readByLibrary } from './guarded-method.js';
import {
  type ColumnDelimiter,
  createIngestJob,
  DELIMITER_CHARS,
  type FailedResult,
  type IngestJob,
  type IngestJobInfo,
  type IngestOperation,
  type SuccessfulResult,
} from './ingest.js';
import { type CsvOptions, type IngestInput, toCsvBytes, watchInput } from './input.js';
import { LoadOperation } from './load-operation.js';
import type { PollOptions } from './poll.js';

/** Options of Bulk 2.0's `load()`; `signal` and `timeoutMs` apply to every request it sends. */
export interface LoadOptions extends PollOptions, CsvOptions {
  /** Required for upsert (sent as Salesforce's `externalIdFieldName`). */
  externalIdField?: string;
  /**
   * The job's column delimiter (default COMMA): CSV input must be written with it; record input
   * is written with it. Results are read in it (or whichever the results' header row shows).
   */
  columnDelimiter?: ColumnDelimiter;
  /** Largest upload per job, in raw bytes; larger input is split across jobs. Default 100 MB. */
  maxUploadBytes?: number;
  /** On abort of `signal`, also abort the jobs on the server (default true). */
  abortJobsOnSignal?: boolean;
}

/**
 * What a load did: every input row is counted once, as succeeded, failed or unprocessed; the
 * per-record results are streamed by `successfulResults()` and `failedResults()` (Bulk API 2.0
 * does not keep input order, and a load may hold millions of rows). It is not an array: its
 * `length` throws INVALID_ARGUMENT, so node-salesforce's `for (i < rets.length)` loop fails
 * loudly instead of running zero times.
 */
export interface LoadResult {
  /** One per upload (more than one when the input was split). */
  jobs: IngestJobInfo[];
  /** `Aborted` when some job was aborted (its rows not processed are in `unprocessedRecords`). */
  state: 'JobComplete' | 'Aborted';
  numberRecordsUploaded: number;
  numberRecordsProcessed: number;
  numberRecordsSucceeded: number;
  numberRecordsFailed: number;
  numberRecordsUnprocessed: number;
  /**
   * Each job's successful rows in turn; `signal` stops the reading (rejects with its reason). A
   * method, not jsforce's array: `result.successfulResults.length` (and `[0]`) throws
   * INVALID_ARGUMENT; `(await result.successfulResults().toArray()).length` counts.
   */
  successfulResults(options?: CallOptions): RecordStream<SuccessfulResult>;
  /** Each job's failed rows in turn, with parsed `errors`. */
  failedResults(options?: CallOptions): RecordStream<FailedResult>;
  /** Each job's rows not processed (an aborted job's), as sent. */
  unprocessedRecords(options?: CallOptions): RecordStream<Record<string, unknown>>;
  /** Throws INVALID_ARGUMENT: a LoadResult is not an array of results (see above). */
  readonly length: never;
}

/** Each result method, and the count that goes with it. */
const RESULT_METHODS = {
  successfulResults: 'numberRecordsSucceeded',
  failedResults: 'numberRecordsFailed',
  unprocessedRecords: 'numberRecordsUnprocessed',
} as const;

function notAnArray(what: string): never {
  throw bulkError(what, { code: 'INVALID_ARGUMENT' });
}

/** The message for a result method read as an array (`result.failedResults.length`). */
function notAnArrayMessage(name: keyof typeof RESULT_METHODS): string {
  return `result.${name} is a method that streams the results, not an array (as jsforce's loadAndWaitForResults gives): count with result.${RESULT_METHODS[name]}, or read \`const rows = await result.${name}().toArray()\` (then rows.length, rows[0]) or \`for await (const r of result.${name}())\``;
}

/**
 * @internal `fields` as a {@link LoadResult}: with its `length` that throws (not enumerable),
 * and result methods whose `length` and `[0]` throw.
 */
export function loadResult<T extends Omit<LoadResult, 'length'>>(fields: T): T & LoadResult {
  for (const name of Object.keys(RESULT_METHODS) as (keyof typeof RESULT_METHODS)[]) {
    const method = fields[name] as unknown;
    if (typeof method === 'function') {
      // jsforce's loadAndWaitForResults gives arrays there, so `result.failedResults.length`
      // would silently be the function's arity: reading it (or [0]) throws instead.
      (fields as Record<string, unknown>)[name] = guardedMethod(
        name,
        method as (options?: CallOptions) => RecordStream<unknown>,
        notAnArrayMessage(name),
      );
    }
  }
  // The same for the result's own `length`; a library's read (lodash's isArrayLike, say) gets
  // undefined, as for any plain object.
  function length(): undefined {
    if (readByLibrary(length)) return undefined;
    return notAnArray(
      'a LoadResult is not an array of per-record results (Bulk API 2.0 keeps no input order): read `for await (const r of result.failedResults())` and `successfulResults()`, or use the counts (numberRecordsFailed...)',
    );
  }
  return Object.defineProperty(fields, 'length', { enumerable: false, get: length }) as T & LoadResult;
}

function concat<T>(
  jobs: readonly IngestJob[],
  options: CallOptions | undefined,
  pick: (job: IngestJob, call: CallOptions) => RecordStream<T>,
): RecordStream<T> {
  const call = callOptions(options);
  // One job (a load below maxUploadBytes): its own stream, without a second stream around it.
  if (jobs.length === 1) return pick(jobs[0] as IngestJob, call);
  return RecordStream.from(
    (async function* () {
      for (const job of jobs) {
        call.signal?.throwIfAborted();
        yield* pick(job, call);
      }
    })(),
  );
}

/**
 * Loads records or CSV with Bulk API 2.0 in one call: the input is written as CSV while it is
 * uploaded (never held whole in memory), split across jobs above `maxUploadBytes`, then each
 * job is polled to its end.
 *
 * @example
 * const result = await load(conn, 'Account', 'insert', [{ Name: 'Acme' }, { Name: 'Globex' }]);
 * console.log(result.numberRecordsSucceeded, result.numberRecordsFailed);
 * for await (const f of result.failedResults()) console.log(f.errors.join(', '), f.record);
 */
export function load(
  conn: Connection,
  object: string,
  operation: IngestOperation,
  input: IngestInput,
  options: LoadOptions = {},
): LoadOperation {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('load', arguments, { data: [3], options: 4 });
  return new LoadOperation(async (op) => {
    const { signal } = options;
    const call = callOptions(options);
    const source = watchInput(
      toCsvBytes(input, options, DELIMITER_CHARS[options.columnDelimiter ?? 'COMMA']),
    );
    const splitter = new CsvSplitter(source.bytes, options.maxUploadBytes ?? 100 * 1024 * 1024);
    const jobs: { job: IngestJob; rows: number; closed: boolean }[] = [];
    const abortAll = async () => {
      if (options.abortJobsOnSignal === false) return;
      await Promise.all(jobs.map(({ job }) => job.abort().catch(() => {})));
    };
    try {
      for (;;) {
        const part = await splitter.next();
        if (!part) break;
        const job = await createIngestJob(conn, {
          object,
          operation,
          lineEnding: splitter.lineEnding,
          ...(options.externalIdField ? { externalIdField: options.externalIdField } : {}),
          ...(options.columnDelimiter ? { columnDelimiter: options.columnDelimiter } : {}),
          ...call,
        });
        const entry = { job, rows: 0, closed: false };
        jobs.push(entry);
        op.emit('job', job);
        await job.upload(part.body, call);
        entry.rows = part.rows;
        await job.close(call);
        entry.closed = true;
        op.emit('upload', { jobId: job.id, rows: part.rows, bytes: part.bytes });
      }
      const infos: IngestJobInfo[] = [];
      let aborted = false;
      for (const { job } of jobs) {
        try {
          infos.push(await job.wait({ ...options, onPoll: (info) => op.emit('progress', info) }));
        } catch (error) {
          if (!isSalesforceError(error, 'JOB_ABORTED')) throw error;
          aborted = true;
          infos.push(await job.info(call));
        }
      }
      const uploaded = jobs.reduce((n, j) => n + j.rows, 0);
      const processed = infos.reduce((n, i) => n + (i.numberRecordsProcessed ?? 0), 0);
      const failed = infos.reduce((n, i) => n + (i.numberRecordsFailed ?? 0), 0);
      const list = jobs.map((j) => j.job);
      return loadResult({
        jobs: infos,
        state: aborted ? 'Aborted' : 'JobComplete',
        numberRecordsUploaded: uploaded,
        numberRecordsProcessed: processed,
        numberRecordsSucceeded: processed - failed,
        numberRecordsFailed: failed,
        numberRecordsUnprocessed: uploaded - processed,
        successfulResults: (o) => concat(list, o, (j, c) => j.successfulResults(c)),
        failedResults: (o) => concat(list, o, (j, c) => j.failedResults(c)),
        unprocessedRecords: (o) => concat(list, o, (j, c) => j.unprocessedRecords(c)),
      });
    } catch (error) {
      if (signal?.aborted) {
        await abortAll();
        throw signal.reason;
      }
      // The input failed (a query behind it, a mapper) or an upload did: a job whose upload did
      // not finish holds part of a part, so it is aborted rather than left open or processed.
      await Promise.all(jobs.filter((j) => !j.closed).map(({ job }) => job.abort().catch(() => {})));
      const failure = source.failure();
      if (!failure) throw error;
      const closed = jobs.filter((j) => j.closed);
      if (closed.length === 0) throw failure.error;
      throw inputFailed(
        failure.error,
        closed.map(({ job, rows }) => ({ jobId: job.id, rows })),
      );
    }
  });
}
