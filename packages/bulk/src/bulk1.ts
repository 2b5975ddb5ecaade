// Bulk API 1.0 as the seed library used it: jobs and batches with XML job control
// (X-SFDC-Session), CSV data, `queue`/`response`/`error` events, poll(interval, timeout),
// re-attaching by id, results per input row in input order, and PK-chunked queries.

import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { type Connection, isSalesforceError, type TransportResponse } from '@sf/core';
import { fromCSV, RecordStream } from '@sf/record-stream';
import { Builder, parseStringPromise } from 'xml2js';
import { type CsvPart, type CsvRejectedRow, CsvSplitter, describeRejectedRow } from './csv-split.js';
import { bulkError, inputFailed, SOURCE } from './errors.js';
import {
  type BulkRecord,
  type CsvOptions,
  type IngestInput,
  isCsvInput,
  toCsvBytes,
  watchInput,
} from './input.js';
import { type PollOptions, pollUntil } from './poll.js';

const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

export type Bulk1Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete' | 'query' | 'queryAll';

export interface JobInfo {
  id: string;
  object: string;
  operation: Bulk1Operation;
  state: 'Open' | 'Closed' | 'Aborted' | 'Failed';
  [field: string]: unknown;
}

export interface BatchInfo {
  id: string;
  jobId: string;
  state: 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed' | 'Not Processed';
  stateMessage?: string;
  numberRecordsProcessed?: string;
  numberRecordsFailed?: string;
  [field: string]: unknown;
}

/** The outcome of one input row, in input order. */
export interface BatchResult {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: string[];
}

export interface CreateJobOptions {
  extIdField?: string;
  concurrencyMode?: 'Parallel' | 'Serial';
  /** Query jobs: `true` or a chunk size (Salesforce's default is 100,000, at most 250,000). */
  pkChunking?: boolean | number;
}

export interface Bulk1Options {
  /** Poll interval for batches (ms). Default 1,000. */
  pollInterval?: number;
  /** Poll timeout (ms). Default 10 minutes. */
  pollTimeout?: number;
}

const builder = new Builder({ xmldec: { version: '1.0', encoding: 'UTF-8' }, renderOpts: { pretty: false } });

async function parseXml(text: string): Promise<Record<string, unknown>> {
  return (await parseStringPromise(text, {
    explicitArray: false,
    ignoreAttrs: true,
    tagNameProcessors: [(n: string) => n.replace(/^.*:/, '')],
  })) as Record<string, unknown>;
}

function isReplayable(body: unknown): boolean {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/** An invalid or expired session: Bulk 1.0's `InvalidSessionId` (HTTP 400 from Salesforce), or a 401. */
function isSessionError(error: unknown): boolean {
  if (!isSalesforceError(error)) return false;
  const code = error.errorCode?.toLowerCase();
  return error.status === 401 || code === 'invalidsessionid' || code === 'invalid_session_id';
}

/** Salesforce's Bulk API 1.0 limits: per batch, and per record. */
const LIMITS = {
  batchRecords: 10_000,
  batchBytes: 10_000_000,
  batchChars: 10_000_000,
  fieldChars: 32_000,
  recordChars: 400_000,
  recordFields: 5_000,
} as const;

/** A `load()` cap: Salesforce's `limit` when not given, else a whole number from 1 to it. */
function batchCap(name: string, value: number | undefined, limit: number): number {
  if (value === undefined) return limit;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    const message = `${name} must be a whole number from 1 to ${limit} (Salesforce's limit); got ${String(value)}`;
    throw bulkError(message, { code: 'INVALID_ARGUMENT' });
  }
  return value;
}

/** The result of a row that was not sent, worded as Bulk 1.0 words a row's error. */
function notSent(row: CsvRejectedRow, records: boolean): BatchResult | undefined {
  let text: string;
  if (row.code === 'BLANK_ROW') {
    // A blank line of a CSV input is no record; a record that writes as one has nothing to load.
    if (!records) return undefined;
    text =
      'BLANK_ROW:the record has no value in its only column, so its CSV row is blank; it was not sent: --';
  } else {
    const cap =
      row.code === 'ROW_TOO_LARGE' ? (row.unit === 'bytes' ? ' (maxBatchBytes)' : ' (maxBatchChars)') : '';
    text = `${row.code}:${describeRejectedRow(row, 'batch')}${cap}; the row was not sent:${row.name ?? ''} --`;
  }
  return { id: null, success: false, created: false, errors: [text] };
}

/** The batches' results (rows sent, in order) with the rows left out slotted in at their positions. */
function inInputOrder(
  sent: BatchResult[],
  rejected: readonly CsvRejectedRow[],
  records: boolean,
): BatchResult[] {
  if (rejected.length === 0) return sent;
  const out: BatchResult[] = [];
  let next = 0;
  let index = 0;
  for (const row of rejected) {
    for (; index < row.index; index++) out.push(sent[next++] as BatchResult);
    const result = notSent(row, records);
    if (result) out.push(result);
    index = row.index + 1;
  }
  for (; next < sent.length; next++) out.push(sent[next] as BatchResult);
  return out;
}

/**
 * Bulk API 1.0 over a connection.
 *
 * @example
 * const bulk = createBulk1(conn);
 * const results = await bulk.load('Account', 'insert', [{ Name: 'Account #1' }]);
 * results.forEach((r, i) => console.log(`#${i + 1}`, r.success ? r.id : r.errors.join(', ')));
 */
export class Bulk1 {
  readonly conn: Connection;
  pollInterval: number;
  pollTimeout: number;

  constructor(conn: Connection, options: Bulk1Options = {}) {
    this.conn = conn;
    this.pollInterval = options.pollInterval ?? 1000;
    this.pollTimeout = options.pollTimeout ?? 600_000;
  }

  /**
   * One request under `/services/async/NN.0/`, with the session header. An invalid or expired
   * session is renewed once (shared by every request in flight) and the request sent again:
   * Salesforce answers it with HTTP 400 and `<exceptionCode>InvalidSessionId</exceptionCode>`,
   * so the code decides, whatever the status (401 is taken too). A streamed body cannot be
   * sent twice: its request rejects with the session error.
   */
  async request(options: {
    method?: string;
    path: string;
    body?: string | Uint8Array | AsyncIterable<Uint8Array>;
    contentType?: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  }): Promise<TransportResponse> {
    const send = async (token: string) =>
      this.conn.requestRaw({
        method: options.method ?? 'GET',
        path: `/services/async/${this.conn.apiVersion}/${options.path}`,
        headers: {
          'x-sfdc-session': token,
          accept: 'application/xml',
          ...(options.contentType ? { 'content-type': options.contentType } : {}),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.signal ? { signal: options.signal } : {}),
        source: SOURCE,
      });
    const { accessToken } = await this.conn.credentials(options.signal);
    try {
      return await send(accessToken);
    } catch (error) {
      if (isSessionError(error) && isReplayable(options.body)) {
        const renewed = await this.conn.renewCredentials(accessToken, options.signal);
        return await send(renewed.accessToken);
      }
      // Core decodes Bulk 1.0's XML errors (`exceptionCode` becomes `errorCode`).
      throw error;
    }
  }

  async requestXml<T>(options: Parameters<Bulk1['request']>[0], root: string): Promise<T> {
    const res = await this.request(options);
    const parsed = await parseXml(await res.text());
    return parsed[root] as T;
  }

  /** A new job (created on the server when first needed, or with `open()`). */
  createJob(object: string, operation: Bulk1Operation, options: CreateJobOptions = {}): Job {
    return new Job(this, { object, operation, options });
  }

  /** Re-attaches to a job by id. */
  job(id: string): Job {
    return new Job(this, { id });
  }

  /**
   * Loads in one call: records or CSV, split into batches within Salesforce's limits (10,000
   * records, 10,000,000 bytes and 10,000,000 characters a batch, or the lower caps given),
   * results per input row in input order.
   *
   * A row Salesforce would refuse whatever the batch (a field over 32,000 characters, over
   * 400,000 characters or 5,000 fields in all) or that cannot fit in a batch under the caps
   * given is not sent: its result is a local failure (`id: null`, `success: false`, an error
   * such as `FIELD_TOO_LONG:...`), and every other row is loaded. A header row beyond those
   * limits, or a cap that is not a whole number from 1 to Salesforce's limit, rejects with
   * INVALID_ARGUMENT before anything is sent.
   *
   * @example
   * const results = await bulk.load('Account', 'insert', { file: 'accounts.csv' }, { maxBatchRecords: 2000 });
   * const refused = results.filter((r) => !r.success);
   */
  async load(
    object: string,
    operation: Exclude<Bulk1Operation, 'query' | 'queryAll'>,
    input: IngestInput,
    options: CreateJobOptions &
      CsvOptions & {
        signal?: AbortSignal;
        /** Most records in a batch: 1 to 10,000 (the default). */
        maxBatchRecords?: number;
        /** Most bytes in a batch: 1 to 10,000,000 (the default). */
        maxBatchBytes?: number;
        /** Most characters (UTF-16 code units, as Salesforce counts) in a batch: 1 to 10,000,000 (the default). */
        maxBatchChars?: number;
      } = {},
  ): Promise<BatchResult[]> {
    const maxRows = batchCap('maxBatchRecords', options.maxBatchRecords, LIMITS.batchRecords);
    const maxBytes = batchCap('maxBatchBytes', options.maxBatchBytes, LIMITS.batchBytes);
    const maxChars = batchCap('maxBatchChars', options.maxBatchChars, LIMITS.batchChars);
    const job = this.createJob(object, operation, options);
    const source = watchInput(toCsvBytes(input, options));
    const splitter = new CsvSplitter(source.bytes, maxBytes, {
      maxRows,
      maxChars,
      rowLimits: { fieldChars: LIMITS.fieldChars, rowChars: LIMITS.recordChars, fields: LIMITS.recordFields },
      rejectRows: true,
    });
    const sent: { batch: Batch; part: CsvPart }[] = [];
    try {
      for (;;) {
        const part = await splitter.next();
        if (!part) break;
        const batch = job.createBatch();
        await batch.send(part.body, options.signal);
        sent.push({ batch, part });
      }
    } catch (error) {
      const opened = job.id !== undefined;
      if (options.signal?.aborted || sent.length === 0) {
        // Stopped by the caller (as a Bulk 2.0 load is, nothing more is processed), or nothing
        // whole was sent: an opened job is aborted rather than left open.
        if (opened) await job.abort().catch(() => {});
        throw options.signal?.aborted ? error : (source.failure()?.error ?? error);
      }
      // The input failed (a query behind the records, a mapper) or an upload did. The batch being
      // sent was never created; those sent before are whole, so the job is closed and they run on.
      await job.close().catch(() => {});
      const failure = source.failure();
      if (!failure) throw error;
      throw inputFailed(
        failure.error,
        sent.map(({ batch, part }) => ({
          jobId: job.id as string,
          batchId: batch.id as string,
          rows: part.rows,
        })),
      );
    }
    let lists: BatchResult[][];
    const failedBatches = new Map<Batch, unknown>();
    // A failed batch's rows are not lost with it: its results where Salesforce has them for
    // every row, else a local failure per row with the batch's stateMessage.
    const settled = async (batch: Batch, rows: number, signal?: AbortSignal): Promise<BatchResult[]> => {
      try {
        return await batch.result(signal);
      } catch (error) {
        if (!isSalesforceError(error, 'BATCH_FAILED')) throw error;
        const partial = await batch.readResults(signal).catch(() => []);
        if (partial.length === rows) return partial;
        failedBatches.set(batch, error);
        const reason = String(error.details[0]?.message ?? '').replaceAll(':', ';');
        const text = `BATCH_FAILED:batch ${batch.id} failed (${reason}); the row was not processed: --`;
        return Array.from({ length: rows }, () => ({
          id: null,
          success: false,
          created: false,
          errors: [text],
        }));
      }
    };
    try {
      if (sent.length > 0) await job.close(options.signal);
      lists = await Promise.all(sent.map(({ batch, part }) => settled(batch, part.rows, options.signal)));
      // Every batch failed: one reason for all (a header naming no field...), as a Bulk 2.0 job fails.
      if (failedBatches.size === sent.length && sent.length > 0) throw failedBatches.values().next().value;
    } catch (error) {
      if (options.signal?.aborted) await job.abort().catch(() => {});
      throw error;
    }
    for (const [i, { batch, part }] of sent.entries()) {
      const count = (lists[i] as BatchResult[]).length;
      // Rows left out are slotted in by position: a batch answering for more or fewer rows than
      // it was sent would move every later result onto the wrong row.
      if (count !== part.rows) {
        throw bulkError(
          `batch ${batch.id} of job ${job.id} answered ${count} results for ${part.rows} rows; results cannot be matched to input rows`,
          { code: 'MALFORMED_RESPONSE' },
        );
      }
    }
    return inInputOrder(lists.flat(), splitter.rejected, !isCsvInput(input));
  }

  /**
   * A query through Bulk 1.0, streamed result file by result file; with `pkChunking`,
   * Salesforce splits the work into one batch per range of ids.
   */
  query(
    soql: string,
    options: { pkChunking?: boolean | number; operation?: 'query' | 'queryAll'; signal?: AbortSignal } = {},
  ): RecordStream<Record<string, unknown>> {
    const object = /\bfrom\s+(\w+)/i.exec(soql)?.[1];
    if (!object)
      throw bulkError('cannot find the object of the query (FROM ...)', { code: 'INVALID_ARGUMENT' });
    const self = this;
    return RecordStream.from(
      (async function* () {
        const job = self.createJob(object, options.operation ?? 'query', {
          ...(options.pkChunking === undefined ? {} : { pkChunking: options.pkChunking }),
        });
        const first = job.createBatch();
        await first.send(soql, options.signal);
        await job.close(options.signal);
        let batches: BatchInfo[] = [];
        await pollUntil(
          `query job ${job.id}`,
          async (signal) => {
            batches = await job.list(signal);
            const failed = batches.find((b) => b.state === 'Failed');
            if (failed)
              throw bulkError(`batch ${failed.id} failed: ${failed.stateMessage ?? ''}`, {
                code: 'BATCH_FAILED',
              });
            const pending = batches.some((b) => b.state === 'Queued' || b.state === 'InProgress');
            // With PK chunking the first batch is NotProcessed once its chunks exist.
            return pending ? undefined : true;
          },
          {
            pollInterval: self.pollInterval,
            pollTimeout: self.pollTimeout,
            ...(options.signal ? { signal: options.signal } : {}),
          },
        );
        for (const info of batches) {
          if (info.state !== 'Completed') continue;
          const batch = job.batch(info.id);
          for (const resultId of await batch.resultIds(options.signal)) {
            const res = await self.request({
              path: `job/${job.id}/batch/${info.id}/result/${resultId}`,
              headers: { accept: 'text/csv' },
              ...(options.signal ? { signal: options.signal } : {}),
            });
            yield* fromCSV(res.body(), { emptyAsNull: true });
          }
        }
      })(),
    );
  }
}

/** Bulk API 1.0 for a connection. */
export function createBulk1(conn: Connection, options: Bulk1Options = {}): Bulk1 {
  return new Bulk1(conn, options);
}

/** A Bulk 1.0 job: create batches, close, abort, list batches. */
export class Job extends EventEmitter {
  readonly bulk: Bulk1;
  id: string | undefined;
  readonly object: string | undefined;
  readonly operation: Bulk1Operation | undefined;
  readonly #options: CreateJobOptions;
  #opening: Promise<JobInfo> | undefined;

  constructor(
    bulk: Bulk1,
    init: { id?: string; object?: string; operation?: Bulk1Operation; options?: CreateJobOptions },
  ) {
    super();
    this.bulk = bulk;
    this.id = init.id;
    this.object = init.object;
    this.operation = init.operation;
    this.#options = init.options ?? {};
  }

  /** Creates the job on the server (once); resolves with its info. */
  open(signal?: AbortSignal): Promise<JobInfo> {
    if (this.id !== undefined && this.#opening === undefined) return this.info(signal);
    this.#opening ??= (async () => {
      const jobInfo: Record<string, unknown> = {
        $: { xmlns: NS },
        operation: this.operation,
        object: this.object,
      };
      if (this.#options.extIdField) jobInfo.externalIdFieldName = this.#options.extIdField;
      if (this.#options.concurrencyMode) jobInfo.concurrencyMode = this.#options.concurrencyMode;
      jobInfo.contentType = 'CSV';
      const chunk = this.#options.pkChunking;
      const headers: Record<string, string> =
        chunk === undefined || chunk === false
          ? {}
          : { 'sforce-enable-pkchunking': chunk === true ? 'true' : `chunkSize=${chunk}` };
      const info = await this.bulk.requestXml<JobInfo>(
        {
          method: 'POST',
          path: 'job',
          body: builder.buildObject({ jobInfo }),
          contentType: 'application/xml; charset=UTF-8',
          headers,
          ...(signal ? { signal } : {}),
        },
        'jobInfo',
      );
      this.id = info.id;
      this.emit('open', info);
      return info;
    })();
    return this.#opening;
  }

  async #id(signal?: AbortSignal): Promise<string> {
    if (this.id === undefined) await this.open(signal);
    return this.id as string;
  }

  async info(signal?: AbortSignal): Promise<JobInfo> {
    const id = await this.#id(signal);
    return this.bulk.requestXml<JobInfo>({ path: `job/${id}`, ...(signal ? { signal } : {}) }, 'jobInfo');
  }

  async #setState(state: 'Closed' | 'Aborted', signal?: AbortSignal): Promise<JobInfo> {
    const id = await this.#id(signal);
    const info = await this.bulk.requestXml<JobInfo>(
      {
        method: 'POST',
        path: `job/${id}`,
        body: builder.buildObject({ jobInfo: { $: { xmlns: NS }, state } }),
        contentType: 'application/xml; charset=UTF-8',
        ...(signal ? { signal } : {}),
      },
      'jobInfo',
    );
    this.emit(state === 'Closed' ? 'close' : 'abort', info);
    return info;
  }

  close(signal?: AbortSignal): Promise<JobInfo> {
    return this.#setState('Closed', signal);
  }

  abort(signal?: AbortSignal): Promise<JobInfo> {
    return this.#setState('Aborted', signal);
  }

  /** Every batch of the job. */
  async list(signal?: AbortSignal): Promise<BatchInfo[]> {
    const id = await this.#id(signal);
    const list = await this.bulk.requestXml<{ batchInfo?: BatchInfo | BatchInfo[] } | string>(
      { path: `job/${id}/batch`, ...(signal ? { signal } : {}) },
      'batchInfoList',
    );
    const items = typeof list === 'object' && list ? list.batchInfo : undefined;
    return items === undefined ? [] : Array.isArray(items) ? items : [items];
  }

  /** A new batch: write records to it, pipe a query into it, or call `execute(input)`. */
  createBatch(): Batch {
    return new Batch(this);
  }

  /** Re-attaches to a batch by id. */
  batch(id: string): Batch {
    return new Batch(this, id);
  }
}

/**
 * A Bulk 1.0 batch. It is a writable record stream (`query.pipe(batch)`), and `execute(input)`
 * takes an array, a record stream or CSV. Events: `queue` (batch info, once the server has
 * the batch), `response` (results in input order), `error`. Awaiting it gives the results.
 */
export class Batch extends Writable {
  readonly job: Job;
  id: string | undefined;
  #records: Writable | undefined;
  #sending: Promise<BatchInfo> | undefined;
  #result: Promise<BatchResult[]> | undefined;
  #polling: { interval: number; timeout: number } | undefined;

  constructor(job: Job, id?: string) {
    super({ objectMode: true, highWaterMark: 16 });
    this.job = job;
    this.id = id;
    if (id !== undefined) this.#sending = Promise.resolve({ id, jobId: job.id ?? '', state: 'Queued' });
  }

  #fail(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** Sends the batch's body (CSV bytes, or SOQL for a query job); resolves when queued. */
  send(body: string | AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<BatchInfo> {
    if (this.#sending) {
      return Promise.reject(bulkError('this batch was already sent', { code: 'INVALID_ARGUMENT' }));
    }
    this.#sending = (async () => {
      const jobId = await this.job.open(signal).then((info) => info.id);
      const isQuery = this.job.operation === 'query' || this.job.operation === 'queryAll';
      const info = await this.job.bulk.requestXml<BatchInfo>(
        {
          method: 'POST',
          path: `job/${jobId}/batch`,
          body,
          contentType: isQuery ? 'text/plain; charset=UTF-8' : 'text/csv; charset=UTF-8',
          ...(signal ? { signal } : {}),
        },
        'batchInfo',
      );
      this.id = info.id;
      this.emit('queue', info);
      return info;
    })();
    this.#sending.catch((error: unknown) => this.#fail(error));
    return this.#sending;
  }

  /** Sends `input` (records, a record stream, CSV) as this batch, then polls for the results. */
  execute(input: IngestInput, options: CsvOptions = {}): this {
    void this.send(toCsvBytes(input, options)).then(
      () => this.result().catch(() => {}),
      () => {},
    );
    return this;
  }

  override _write(
    record: BulkRecord,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (!this.#records) {
      // What is written here is read by toCSV as it is uploaded; the writer waits while more
      // than 64 records are ahead of the upload.
      const queue: BulkRecord[] = [];
      let wake: (() => void) | undefined;
      let held: (() => void) | undefined;
      let ended = false;
      const source = (async function* () {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            if (held && queue.length < 16) {
              const release = held;
              held = undefined;
              release();
            }
            yield next;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      })();
      this.#records = new Writable({
        objectMode: true,
        highWaterMark: 16,
        write(r: BulkRecord, _e, cb) {
          queue.push(r);
          wake?.();
          if (queue.length < 64) cb();
          else held = () => cb();
        },
        final(cb) {
          ended = true;
          wake?.();
          cb();
        },
      });
      void this.send(toCsvBytes(source)).then(
        () => this.result().catch(() => {}),
        () => {},
      );
    }
    this.#records.write(record, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#records) {
      callback();
      return;
    }
    this.#records.end(() => {
      (this.#sending as Promise<BatchInfo>).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    });
  }

  async info(signal?: AbortSignal): Promise<BatchInfo> {
    const { id } = await this.#queued();
    return this.job.bulk.requestXml<BatchInfo>(
      { path: `job/${this.job.id}/batch/${id}`, ...(signal ? { signal } : {}) },
      'batchInfo',
    );
  }

  async #queued(): Promise<BatchInfo> {
    if (!this.#sending) throw bulkError('this batch has not been sent', { code: 'INVALID_ARGUMENT' });
    return this.#sending;
  }

  /** Starts polling every `interval` ms until done or `timeout`; `response` or `error` follow. */
  poll(interval: number, timeout: number): this {
    this.#polling = { interval, timeout };
    this.result().catch(() => {});
    return this;
  }

  /**
   * Fetches the batch's results now, without waiting for it: one per row, in input order. A
   * failed batch may have some (Salesforce can fail a batch after processing part of it).
   */
  async readResults(signal?: AbortSignal): Promise<BatchResult[]> {
    const { id } = await this.#queued();
    const res = await this.job.bulk.request({
      path: `job/${this.job.id}/batch/${id}/result`,
      headers: { accept: 'text/csv' },
      ...(signal ? { signal } : {}),
    });
    const results: BatchResult[] = [];
    for await (const row of fromCSV(res.body())) {
      const error = String(row.Error ?? '');
      results.push({
        id: row.Id ? String(row.Id) : null,
        success: row.Success === 'true',
        created: row.Created === 'true',
        errors: error === '' ? [] : [error],
      });
    }
    return results;
  }

  /** Waits for the batch to finish and fetches its results (once; later calls share it). */
  result(signal?: AbortSignal): Promise<BatchResult[]> {
    this.#result ??= (async () => {
      await this.#queued();
      const options: PollOptions = {
        pollInterval: this.#polling?.interval ?? this.job.bulk.pollInterval,
        maxPollInterval: this.#polling?.interval ?? this.job.bulk.pollInterval * 4,
        pollTimeout: this.#polling?.timeout ?? this.job.bulk.pollTimeout,
        ...(signal ? { signal } : {}),
      };
      const info = await pollUntil(
        `batch ${this.id}`,
        async (s) => {
          const current = await this.info(s);
          this.emit('progress', current);
          return current.state === 'Queued' || current.state === 'InProgress' ? undefined : current;
        },
        options,
      );
      if (info.state !== 'Completed') {
        throw bulkError(`batch ${this.id} ${info.state}: ${info.stateMessage ?? ''}`, {
          code: 'BATCH_FAILED',
          details: [{ errorCode: 'BATCH_FAILED', message: info.stateMessage ?? '', state: info.state }],
        });
      }
      const results = await this.readResults(signal);
      this.emit('response', results);
      return results;
    })();
    this.#result.catch((error: unknown) => this.#fail(error));
    return this.#result;
  }

  /** Query batches: the ids of their result files. */
  async resultIds(signal?: AbortSignal): Promise<string[]> {
    const { id } = await this.#queued();
    const list = await this.job.bulk.requestXml<{ result?: string | string[] } | string>(
      { path: `job/${this.job.id}/batch/${id}/result`, ...(signal ? { signal } : {}) },
      'result-list',
    );
    const items = typeof list === 'object' && list ? list.result : undefined;
    return items === undefined ? [] : Array.isArray(items) ? items : [items];
  }

  // biome-ignore lint/suspicious/noThenProperty: a batch is awaitable for its results, as in the seed
  then<A = BatchResult[], B = never>(
    onfulfilled?: ((value: BatchResult[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onfulfilled, onrejected);
  }
}
