import { EventEmitter } from 'node:events';
import { type Connection, isSalesforceError } from '@sf/core';
import { fromCSV, RecordStream } from '@sf/record-stream';
import { CsvSplitter } from './csv-split.js';
import { reportError } from './error-policy.js';
import { bulkError, inputFailed, SOURCE } from './errors.js';
import { type CsvOptions, type IngestInput, toCsvBytes, watchInput } from './input.js';
import { type PollOptions, pollUntil } from './poll.js';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type ColumnDelimiter = 'COMMA' | 'TAB' | 'SEMICOLON' | 'PIPE' | 'CARET' | 'BACKQUOTE';

/** A Bulk 2.0 ingest job as Salesforce reports it. */
export interface IngestJobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  object: string;
  operation: IngestOperation;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
  [field: string]: unknown;
}

/** A row Salesforce saved: its id, whether it was created, and the row as uploaded. */
export interface SuccessfulResult {
  id: string;
  created: boolean;
  record: Record<string, unknown>;
}

/** One error of a failed row, parsed from `sf__Error` (`CODE:message:fields --`). */
export interface RowError {
  errorCode: string;
  message: string;
  fields: string[];
}

/** A row Salesforce refused: the error (as sent and parsed) and the row as uploaded. */
export interface FailedResult {
  /** The record's id when it had one (update, delete); otherwise null. */
  id: string | null;
  error: string;
  errors: RowError[];
  record: Record<string, unknown>;
}

export interface CreateIngestJobOptions {
  object: string;
  operation: IngestOperation;
  /** Required for upsert. */
  externalIdFieldName?: string;
  lineEnding?: 'LF' | 'CRLF';
  columnDelimiter?: ColumnDelimiter;
  signal?: AbortSignal;
}

const FINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/** Parses Salesforce's `sf__Error`: `CODE:message:Field1,Field2 --`. */
export function parseRowError(text: string): RowError[] {
  const body = text.replace(/\s*--\s*$/, '');
  const first = body.indexOf(':');
  const last = body.lastIndexOf(':');
  if (first < 0) return [{ errorCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] }];
  if (last === first)
    return [{ errorCode: body.slice(0, first), message: body.slice(first + 1), fields: [] }];
  const fields = body.slice(last + 1).trim();
  return [
    {
      errorCode: body.slice(0, first),
      message: body.slice(first + 1, last),
      fields: fields === '' ? [] : fields.split(',').map((f) => f.trim()),
    },
  ];
}

/**
 * A Bulk 2.0 ingest job, new or re-attached by id with {@link ingestJob}. Every method sends
 * one request (or polls); results are streamed.
 *
 * @example
 * const job = ingestJob(conn, '750...');
 * const info = await job.wait({ pollInterval: 2000 });
 * for await (const failure of job.failedResults()) console.log(failure.error, failure.record);
 */
export class IngestJob {
  readonly id: string;
  readonly #conn: Connection;

  constructor(conn: Connection, id: string) {
    this.#conn = conn;
    this.id = id;
  }

  #path(suffix = ''): string {
    return `jobs/ingest/${encodeURIComponent(this.id)}${suffix}`;
  }

  info(signal?: AbortSignal): Promise<IngestJobInfo> {
    return this.#conn.request<IngestJobInfo>({
      path: this.#path(),
      source: SOURCE,
      ...(signal ? { signal } : {}),
    });
  }

  /** Sends the job's one CSV upload, streamed from `body`. */
  async upload(body: AsyncIterable<Uint8Array> | string | Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#conn.request({
      method: 'PUT',
      path: this.#path('/batches'),
      headers: { 'content-type': 'text/csv' },
      body,
      source: SOURCE,
      ...(signal ? { signal } : {}),
    });
  }

  #setState(state: 'UploadComplete' | 'Aborted', signal?: AbortSignal): Promise<IngestJobInfo> {
    return this.#conn.request<IngestJobInfo>({
      method: 'PATCH',
      path: this.#path(),
      body: { state },
      source: SOURCE,
      ...(signal ? { signal } : {}),
    });
  }

  /** Marks the upload complete: Salesforce starts processing. */
  close(signal?: AbortSignal): Promise<IngestJobInfo> {
    return this.#setState('UploadComplete', signal);
  }

  /** Stops the job; rows not yet processed are reported by {@link unprocessedRecords}. */
  abort(signal?: AbortSignal): Promise<IngestJobInfo> {
    return this.#setState('Aborted', signal);
  }

  /** Deletes the job and its results (only once it is closed or finished). */
  async delete(signal?: AbortSignal): Promise<void> {
    await this.#conn.request({
      method: 'DELETE',
      path: this.#path(),
      source: SOURCE,
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Polls until the job is JobComplete, Failed or Aborted. Resolves with the final info when it
   * completed; rejects with `JOB_FAILED` or `JOB_ABORTED` otherwise (results remain readable),
   * `TIMEOUT` after `pollTimeout`, or the signal's reason.
   */
  async wait(options: PollOptions & { onPoll?: (info: IngestJobInfo) => void } = {}): Promise<IngestJobInfo> {
    const info = await pollUntil(
      `ingest job ${this.id}`,
      async (signal) => {
        const current = await this.info(signal);
        options.onPoll?.(current);
        return FINAL.has(current.state) ? current : undefined;
      },
      options,
    );
    if (info.state === 'Failed') {
      throw bulkError(`ingest job ${this.id} failed: ${info.errorMessage ?? 'no message'}`, {
        code: 'JOB_FAILED',
      });
    }
    if (info.state === 'Aborted')
      throw bulkError(`ingest job ${this.id} was aborted`, { code: 'JOB_ABORTED' });
    return info;
  }

  #csv(suffix: string): RecordStream<Record<string, unknown>> {
    const conn = this.#conn;
    const path = this.#path(suffix);
    return RecordStream.from(
      (async function* () {
        const res = await conn.requestRaw({ path, headers: { accept: 'text/csv' }, source: SOURCE });
        yield* fromCSV(res.body());
      })(),
    );
  }

  /** Saved rows, streamed. */
  successfulResults(): RecordStream<SuccessfulResult> {
    return this.#csv('/successfulResults').map(({ sf__Id, sf__Created, ...record }) => ({
      id: String(sf__Id),
      created: sf__Created === 'true',
      record,
    }));
  }

  /** Refused rows with their errors, streamed. */
  failedResults(): RecordStream<FailedResult> {
    return this.#csv('/failedResults').map(({ sf__Id, sf__Error, ...record }) => ({
      // Salesforce leaves sf__Id empty on a failed row; an update or delete row names its record.
      id: sf__Id ? String(sf__Id) : typeof record.Id === 'string' && record.Id !== '' ? record.Id : null,
      error: String(sf__Error),
      errors: parseRowError(String(sf__Error)),
      record,
    }));
  }

  /** Rows never processed (the job was aborted or failed), streamed. */
  unprocessedRecords(): RecordStream<Record<string, unknown>> {
    return this.#csv('/unprocessedrecords');
  }
}

/** Creates a Bulk 2.0 ingest job (state Open). */
export async function createIngestJob(conn: Connection, options: CreateIngestJobOptions): Promise<IngestJob> {
  const info = await conn.request<IngestJobInfo>({
    method: 'POST',
    path: 'jobs/ingest',
    body: {
      object: options.object,
      operation: options.operation,
      ...(options.externalIdFieldName ? { externalIdFieldName: options.externalIdFieldName } : {}),
      contentType: 'CSV',
      lineEnding: options.lineEnding ?? 'LF',
      columnDelimiter: options.columnDelimiter ?? 'COMMA',
    },
    source: SOURCE,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new IngestJob(conn, info.id);
}

/** Re-attaches to an ingest job by id. */
export function ingestJob(conn: Connection, id: string): IngestJob {
  return new IngestJob(conn, id);
}

export interface LoadOptions extends PollOptions, CsvOptions {
  /** Required for upsert. */
  externalIdFieldName?: string;
  /** For CSV input with another delimiter. */
  columnDelimiter?: ColumnDelimiter;
  /** Largest upload per job, in raw bytes; larger input is split across jobs. Default 100 MB. */
  maxUploadBytes?: number;
  /** On abort of `signal`, also abort the jobs on the server (default true). */
  abortJobsOnSignal?: boolean;
}

/** What a load did: every input row is counted once, as succeeded, failed or unprocessed. */
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
  successfulResults(): RecordStream<SuccessfulResult>;
  failedResults(): RecordStream<FailedResult>;
  unprocessedRecords(): RecordStream<Record<string, unknown>>;
}

export interface LoadEvents<R extends LoadResult = LoadResult> {
  /** A job was created (before its upload). */
  job: [job: IngestJob];
  /** A job's upload finished and the job was closed. */
  upload: [info: { jobId: string; rows: number; bytes: number }];
  /** Each poll of a job. */
  progress: [info: IngestJobInfo];
  complete: [result: R];
  error: [error: unknown];
}

function concat<T>(jobs: readonly IngestJob[], pick: (job: IngestJob) => RecordStream<T>): RecordStream<T> {
  return RecordStream.from(
    (async function* () {
      for (const job of jobs) yield* pick(job);
    })(),
  );
}

/**
 * A running load: await it for the {@link LoadResult}, or listen to `job`, `upload`,
 * `progress`, `complete` and `error`. A failure goes to an `error` listener if there is one
 * (and rejects the promise too); with none, an awaited load (`then`, `catch`, `finally`) only
 * rejects, never throwing; a load neither listened to nor awaited throws it, as any emitter would.
 */
export class LoadOperation<R extends LoadResult = LoadResult>
  extends EventEmitter<LoadEvents<R>>
  implements PromiseLike<R>
{
  readonly #promise: Promise<R>;
  #awaited = false;

  constructor(run: (op: LoadOperation<R>) => Promise<R>) {
    super();
    this.#promise = Promise.resolve()
      .then(() => run(this))
      .then(
        (result) => {
          this.emit('complete', result);
          return result;
        },
        (error: unknown) => {
          reportError(this, error, () => this.#awaited);
          throw error;
        },
      );
    // The rejection is the awaiting caller's; reportError surfaces it when nobody awaits.
    this.#promise.catch(() => {});
  }

  // biome-ignore lint/suspicious/noThenProperty: a load is awaitable by design
  then<A = R, B = never>(
    onfulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#awaited = true;
    return this.#promise.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    this.#awaited = true;
    return this.#promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<R> {
    this.#awaited = true;
    return this.#promise.finally(onfinally);
  }
}

/**
 * Loads records or CSV with Bulk API 2.0 in one call: the input is written as CSV while it is
 * uploaded (never held whole in memory), split across jobs above `maxUploadBytes`, then each
 * job is polled to its end.
 *
 * @example
 * const result = await load(conn, 'Account', 'insert', [{ Name: 'Acme' }, { Name: 'Globex' }]);
 * console.log(result.numberRecordsSucceeded, result.numberRecordsFailed);
 * for await (const f of result.failedResults()) console.log(f.error, f.record);
 */
export function load(
  conn: Connection,
  object: string,
  operation: IngestOperation,
  input: IngestInput,
  options: LoadOptions = {},
): LoadOperation {
  return new LoadOperation(async (op) => {
    const { signal } = options;
    const source = watchInput(toCsvBytes(input, options));
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
          ...(options.externalIdFieldName ? { externalIdFieldName: options.externalIdFieldName } : {}),
          ...(options.columnDelimiter ? { columnDelimiter: options.columnDelimiter } : {}),
          ...(signal ? { signal } : {}),
        });
        const entry = { job, rows: 0, closed: false };
        jobs.push(entry);
        op.emit('job', job);
        await job.upload(part.body, signal);
        entry.rows = part.rows;
        await job.close(signal);
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
          infos.push(await job.info(signal));
        }
      }
      const uploaded = jobs.reduce((n, j) => n + j.rows, 0);
      const processed = infos.reduce((n, i) => n + (i.numberRecordsProcessed ?? 0), 0);
      const failed = infos.reduce((n, i) => n + (i.numberRecordsFailed ?? 0), 0);
      const list = jobs.map((j) => j.job);
      return {
        jobs: infos,
        state: aborted ? 'Aborted' : 'JobComplete',
        numberRecordsUploaded: uploaded,
        numberRecordsProcessed: processed,
        numberRecordsSucceeded: processed - failed,
        numberRecordsFailed: failed,
        numberRecordsUnprocessed: uploaded - processed,
        successfulResults: () => concat(list, (j) => j.successfulResults()),
        failedResults: () => concat(list, (j) => j.failedResults()),
        unprocessedRecords: () => concat(list, (j) => j.unprocessedRecords()),
      };
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
