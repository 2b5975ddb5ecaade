// Bulk API 1.0 as node-salesforce's README (`shared/seeds/`) used it: jobs and batches with XML
// job control (X-SFDC-Session), CSV data, `queue`/`response`/`error` events, re-attaching by id,
// results per input row in input order, and PK-chunked queries. This file holds the entry point
// and its requests; the job, the batch, `load()` and `query()` each have their own file.

import type { Connection, TransportResponse } from '@sf/core';
import type { RecordStream } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import type { CallOptions } from './call-options.js';
import { readXml } from './bulk1-xml.js';
import { Job } from './bulk1-job.js';
import { type Bulk1LoadOptions, loadBulk1 } from './bulk1-load.js';
import { type Bulk1QueryOptions, queryBulk1 } from './bulk1-query.js';
import { SOURCE } from './errors.js';
import type { IngestInput } from './input.js';
import type { RecordResult } from './record-result.js';

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

/**
 * The outcome of one input row of a Bulk 1.0 batch or `load()`: the toolkit's one per-record
 * result, with `created` and `index` (the row's position in the batch's input, or in the whole
 * input for `load()`, from 0) always set. Errors are parsed from the result's `Error` column.
 */
export interface Bulk1BatchResult extends RecordResult {
  created: boolean;
  index: number;
}

export interface CreateJobOptions {
  /** Upsert key (sent as Salesforce's `externalIdFieldName`). */
  externalIdField?: string;
  concurrencyMode?: 'Parallel' | 'Serial';
  /** Query jobs: `true` or a chunk size (Salesforce's default is 100,000, at most 250,000). */
  pkChunking?: boolean | number;
}

export interface Bulk1Options {
  /** Poll interval for batches, in ms. Default 1,000. */
  pollIntervalMs?: number;
  /** Poll timeout, in ms. Default 10 minutes. */
  pollTimeoutMs?: number;
}

/** @internal One request under `/services/async/NN.0/`. */
export interface Bulk1Request extends CallOptions {
  method?: string;
  path: string;
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  contentType?: string;
  headers?: Record<string, string>;
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
  pollIntervalMs: number;
  pollTimeoutMs: number;

  constructor(conn: Connection, options: Bulk1Options = {}) {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('createBulk1', arguments, {
      options: 1,
      returns: 'a Bulk1 client. Write `const bulk = createBulk1(conn)`',
    });
    this.conn = conn;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.pollTimeoutMs = options.pollTimeoutMs ?? 600_000;
  }

  /**
   * One request under `/services/async/NN.0/`, with the session header. An expired session
   * (Salesforce answers HTTP 400 with `InvalidSessionId`) is renewed by the connection's
   * refresh middleware, as every request's is, and a request whose body can be sent again is.
   */
  async request(options: Bulk1Request): Promise<TransportResponse> {
    const { accessToken } = await this.conn.credentials(options.signal);
    return this.conn.requestRaw({
      method: options.method ?? 'GET',
      path: `/services/async/${this.conn.apiVersion}/${options.path}`,
      headers: {
        'x-sfdc-session': accessToken,
        accept: 'application/xml',
        ...(options.contentType ? { 'content-type': options.contentType } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      source: SOURCE,
    });
    // Core decodes Bulk 1.0's XML errors (`exceptionCode` becomes `errorCode`).
  }

  /** @internal A request whose XML answer's element `root` is returned. */
  async requestXml<T>(options: Bulk1Request, root: string): Promise<T> {
    const res = await this.request(options);
    return readXml<T>(await res.text(), root);
  }

  /** A new job (created on the server when first needed, or with `open()`). */
  createJob(object: string, operation: Bulk1Operation, options: CreateJobOptions = {}): Job {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('createJob', arguments, { options: 2 });
    return new Job(this, { object, operation, options });
  }

  /** Re-attaches to a job by id. */
  job(id: string): Job {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('bulk.job', arguments, { returns: 'a Job. Write `const job = bulk.job(id)`' });
    return new Job(this, { id });
  }

  /**
   * Loads in one call: records or CSV, split into batches within Salesforce's limits (10,000
   * records, 10,000,000 bytes and 10,000,000 characters a batch, or the lower caps given),
   * results per input row in input order (each with its `index`).
   *
   * A row Salesforce would refuse whatever the batch (a field over 32,000 characters, over
   * 400,000 characters or 5,000 fields in all) or that cannot fit in a batch under the caps
   * given is not sent: its result is a local failure (`id: null`, `success: false`, an error
   * such as `FIELD_TOO_LONG`), and every other row is loaded. A header row beyond those
   * limits, or a cap that is not a whole number from 1 to Salesforce's limit, rejects with
   * INVALID_ARGUMENT before anything is sent.
   *
   * @example
   * const results = await bulk.load('Account', 'insert', { file: 'accounts.csv' }, { maxBatchRecords: 2000 });
   * const refused = results.filter((r) => !r.success);
   */
  load(
    object: string,
    operation: Exclude<Bulk1Operation, 'query' | 'queryAll'>,
    input: IngestInput,
    options: Bulk1LoadOptions = {},
  ): Promise<Bulk1BatchResult[]> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('bulk.load', arguments, { data: [2], options: 3 });
    return loadBulk1(this, object, operation, input, options);
  }

  /**
   * A query through Bulk 1.0, streamed result file by result file; with `pkChunking`,
   * Salesforce splits the work into one batch per range of ids.
   */
  query(soql: string, options: Bulk1QueryOptions = {}): RecordStream<Record<string, unknown>> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('bulk.query', arguments, {
      options: 1,
      returns: 'a RecordStream. Write `for await (const r of bulk.query(soql))`',
    });
    return queryBulk1(this, soql, options);
  }
}

/** Bulk API 1.0 for a connection. */
export function createBulk1(conn: Connection, options: Bulk1Options = {}): Bulk1 {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('createBulk1', arguments, {
    options: 1,
    returns: 'a Bulk1 client. Write `const bulk = createBulk1(conn)`',
  });
  return new Bulk1(conn, options);
}
