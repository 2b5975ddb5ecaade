// Bulk API 1.0 as the seed library used it: jobs and batches with XML job control
// (X-SFDC-Session), CSV data, `queue`/`response`/`error` events, poll(interval, timeout),
// re-attaching by id, results per input row in input order, and PK-chunked queries.

import { EventEmitter } from 'node:events';
import { type Connection, isSalesforceError, type TransportResponse } from '@sf/core';
import { fromCSV, RecordStream } from '@sf/record-stream';
import { Builder, parseStringPromise } from 'xml2js';
import { type CsvPart, type CsvRejectedRow, CsvSplitter, describeRejectedRow } from './csv-split.js';
import { bulkError, inputFailed, SOURCE } from './errors.js';
import {
  type CsvOptions,
  collectBytes,
  type IngestInput,
  isCsvInput,
  toCsvBytes,
  watchInput,
} from './input.js';
import { Batch } from './batch.js';
import { reportError } from './error-policy.js';
import { pollUntil } from './poll.js';

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
        // Read whole first (at most maxBatchBytes): a batch sent from memory can be sent again
        // when its session expired, as a long load's later batches may find.
        await batch.send(await collectBytes(part.body), options.signal);
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

/**
 * A Bulk 1.0 job: create batches, close, abort, list batches. Events: `open`, `close`, `abort`
 * (with the job's info) and `error`. Every failure rejects the promise of the call that met it;
 * an `error` listener hears it as well (with none, nothing is thrown: the promise carries it).
 */
export class Job extends EventEmitter {
  readonly bulk: Bulk1;
  id: string | undefined;
  readonly object: string | undefined;
  readonly operation: Bulk1Operation | undefined;
  readonly #options: CreateJobOptions;
  #opening: Promise<JobInfo> | undefined;
  readonly #reported = new WeakSet<object>();

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

  /** The call's promise, its failure also told to an `error` listener (once per error). */
  #watch<T>(promise: Promise<T>): Promise<T> {
    promise.catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) {
        if (this.#reported.has(error)) return;
        this.#reported.add(error);
      }
      reportError(this, error, () => true);
    });
    return promise;
  }

  /** Creates the job on the server (once); resolves with its info. */
  open(signal?: AbortSignal): Promise<JobInfo> {
    if (this.id !== undefined && this.#opening === undefined) return this.info(signal);
    this.#opening ??= this.#watch(this.#create(signal));
    return this.#opening;
  }

  async #create(signal?: AbortSignal): Promise<JobInfo> {
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
  }

  async #id(signal?: AbortSignal): Promise<string> {
    if (this.id === undefined) await this.open(signal);
    return this.id as string;
  }

  info(signal?: AbortSignal): Promise<JobInfo> {
    return this.#watch(
      (async () => {
        const id = await this.#id(signal);
        return this.bulk.requestXml<JobInfo>({ path: `job/${id}`, ...(signal ? { signal } : {}) }, 'jobInfo');
      })(),
    );
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
    return this.#watch(this.#setState('Closed', signal));
  }

  abort(signal?: AbortSignal): Promise<JobInfo> {
    return this.#watch(this.#setState('Aborted', signal));
  }

  /** Every batch of the job. */
  list(signal?: AbortSignal): Promise<BatchInfo[]> {
    return this.#watch(this.#list(signal));
  }

  async #list(signal?: AbortSignal): Promise<BatchInfo[]> {
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
