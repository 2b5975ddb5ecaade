// A Bulk API 2.0 ingest job's control: create, re-attach, upload, close, abort, delete, wait,
// and its three result streams. `load()` (load.ts) runs jobs for a whole input.

import type { Connection } from '@sf/core';
import type { RecordStream } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import { type CallOptions, callOptions } from './call-options.js';
import { bulkError, SOURCE } from './errors.js';
import { type PollOptions, pollUntil } from './poll.js';
import { resultRecords } from './result-csv.js';
import { parseRecordErrors, type RecordError, type RecordResult } from './record-result.js';

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

/** A row Salesforce saved: the toolkit's per-record result, with the row as uploaded. */
export interface SuccessfulResult extends RecordResult {
  id: string;
  success: true;
  created: boolean;
  errors: [];
  record: Record<string, unknown>;
}

/**
 * A row Salesforce refused: the toolkit's per-record result, its `errors` parsed from
 * `sf__Error` (`CODE:message:fields --`; each prints as `CODE: message`), with the row as
 * uploaded. Bulk 2.0 results are not in input order: the row is how to find it.
 */
export interface FailedResult extends RecordResult {
  /** The record's id when it had one (update, delete); otherwise null. */
  id: string | null;
  success: false;
  errors: RecordError[];
  record: Record<string, unknown>;
}

export interface CreateIngestJobOptions extends CallOptions {
  object: string;
  operation: IngestOperation;
  /** Required for upsert (sent as Salesforce's `externalIdFieldName`). */
  externalIdField?: string;
  lineEnding?: 'LF' | 'CRLF';
  columnDelimiter?: ColumnDelimiter;
}

const FINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/** The character each Bulk 2.0 `columnDelimiter` names (`PIPE` → `|`). */
export const DELIMITER_CHARS: Readonly<Record<ColumnDelimiter, string>> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};

/**
 * A Bulk 2.0 ingest job, new or re-attached by id with {@link ingestJob}. Every method sends
 * one request (or polls) and takes `{ signal, timeoutMs }` last; results are streamed.
 *
 * @example
 * const job = ingestJob(conn, '750...');
 * const info = await job.wait({ pollIntervalMs: 2000 });
 * for await (const failure of job.failedResults()) console.log(failure.errors.join(', '), failure.record);
 */
export class IngestJob {
  readonly id: string;
  readonly #conn: Connection;
  readonly #delimiter: string | undefined;

  /**
   * `columnDelimiter` is the job's, when known (a job re-attached by id reads its results'
   * delimiter from their header row alone).
   */
  constructor(conn: Connection, id: string, columnDelimiter?: ColumnDelimiter) {
    this.#conn = conn;
    this.id = id;
    this.#delimiter = columnDelimiter === undefined ? undefined : DELIMITER_CHARS[columnDelimiter];
  }

  #path(suffix = ''): string {
    return `jobs/ingest/${encodeURIComponent(this.id)}${suffix}`;
  }

  async info(options: CallOptions = {}): Promise<IngestJobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.info', arguments, { options: 0 });
    return this.#conn.request<IngestJobInfo>({ path: this.#path(), source: SOURCE, ...callOptions(options) });
  }

  /** Sends the job's one CSV upload, streamed from `body`. */
  async upload(
    body: AsyncIterable<Uint8Array> | string | Uint8Array,
    options: CallOptions = {},
  ): Promise<void> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.upload', arguments, { opaque: [0], options: 1 });
    await this.#conn.request({
      method: 'PUT',
      path: this.#path('/batches'),
      headers: { 'content-type': 'text/csv' },
      body,
      source: SOURCE,
      ...callOptions(options),
    });
  }

  #setState(state: 'UploadComplete' | 'Aborted', options: CallOptions): Promise<IngestJobInfo> {
    return this.#conn.request<IngestJobInfo>({
      method: 'PATCH',
      path: this.#path(),
      body: { state },
      source: SOURCE,
      ...callOptions(options),
    });
  }

  /** Marks the upload complete: Salesforce starts processing. */
  async close(options: CallOptions = {}): Promise<IngestJobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.close', arguments, { options: 0 });
    return this.#setState('UploadComplete', options);
  }

  /** Stops the job; rows not yet processed are reported by {@link unprocessedRecords}. */
  async abort(options: CallOptions = {}): Promise<IngestJobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.abort', arguments, { options: 0 });
    return this.#setState('Aborted', options);
  }

  /** Deletes the job and its results (only once it is closed or finished). */
  async delete(options: CallOptions = {}): Promise<void> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.delete', arguments, { options: 0 });
    await this.#conn.request({
      method: 'DELETE',
      path: this.#path(),
      source: SOURCE,
      ...callOptions(options),
    });
  }

  /**
   * Polls until the job is JobComplete, Failed or Aborted. Resolves with the final info when it
   * completed; rejects with `JOB_FAILED` or `JOB_ABORTED` otherwise (results remain readable),
   * `TIMEOUT` after `pollTimeoutMs`, or the signal's reason.
   */
  async wait(options: PollOptions & { onPoll?: (info: IngestJobInfo) => void } = {}): Promise<IngestJobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.wait', arguments, { options: 0 });
    const call = callOptions(options);
    const info = await pollUntil(
      `ingest job ${this.id}`,
      async (signal) => {
        const current = await this.info({ ...call, ...(signal ? { signal } : {}) });
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

  #csv<T = Record<string, unknown>>(
    suffix: string,
    options: CallOptions,
    map: (record: Record<string, unknown>) => T = (record) => record as T,
  ): RecordStream<T> {
    // The query's fast CSV path (result-csv.ts), each record mapped as its chunk is parsed; the
    // delimiter is the job's (Salesforce writes results in it), checked against the header row.
    return resultRecords(this.#conn, this.#path(suffix), callOptions(options), map, this.#delimiter);
  }

  /**
   * Saved rows, streamed. Read in the job's `columnDelimiter` (as Salesforce writes them) or
   * whichever of the six the header row shows; LF or CRLF.
   */
  successfulResults(options: CallOptions = {}): RecordStream<SuccessfulResult> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.successfulResults', arguments, {
      options: 0,
      returns: 'a RecordStream. Write `for await (const r of job.successfulResults())`',
    });
    return this.#csv(
      '/successfulResults',
      options,
      ({ sf__Id, sf__Created, ...record }): SuccessfulResult => ({
        id: String(sf__Id),
        success: true,
        created: sf__Created === 'true',
        errors: [],
        record,
      }),
    );
  }

  /** Refused rows with their errors, streamed. */
  failedResults(options: CallOptions = {}): RecordStream<FailedResult> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.failedResults', arguments, {
      options: 0,
      returns: 'a RecordStream. Write `for await (const r of job.failedResults())`',
    });
    return this.#csv(
      '/failedResults',
      options,
      ({ sf__Id, sf__Error, ...record }): FailedResult => ({
        // Salesforce leaves sf__Id empty on a failed row; an update or delete row names its record.
        id: sf__Id ? String(sf__Id) : typeof record.Id === 'string' && record.Id !== '' ? record.Id : null,
        success: false,
        errors: parseRecordErrors(String(sf__Error ?? '')),
        record,
      }),
    );
  }

  /** Rows never processed (the job was aborted or failed), streamed. */
  unprocessedRecords(options: CallOptions = {}): RecordStream<Record<string, unknown>> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.unprocessedRecords', arguments, {
      options: 0,
      returns: 'a RecordStream. Write `for await (const r of job.unprocessedRecords())`',
    });
    return this.#csv('/unprocessedrecords', options);
  }
}

/** Creates a Bulk 2.0 ingest job (state Open). */
export async function createIngestJob(conn: Connection, options: CreateIngestJobOptions): Promise<IngestJob> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('createIngestJob', arguments, { options: 1 });
  const info = await conn.request<IngestJobInfo>({
    method: 'POST',
    path: 'jobs/ingest',
    body: {
      object: options.object,
      operation: options.operation,
      ...(options.externalIdField ? { externalIdFieldName: options.externalIdField } : {}),
      contentType: 'CSV',
      lineEnding: options.lineEnding ?? 'LF',
      columnDelimiter: options.columnDelimiter ?? 'COMMA',
    },
    source: SOURCE,
    ...callOptions(options),
  });
  return new IngestJob(conn, info.id, options.columnDelimiter ?? 'COMMA');
}

/** Re-attaches to an ingest job by id. */
export function ingestJob(conn: Connection, id: string): IngestJob {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('ingestJob', arguments, {
    returns: 'an IngestJob. Write `const job = ingestJob(conn, id)`, then `await job.wait()`',
  });
  return new IngestJob(conn, id);
}
