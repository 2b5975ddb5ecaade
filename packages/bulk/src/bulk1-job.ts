// A Bulk API 1.0 job's control: create (with PK chunking for queries), info, close, abort, list
// its batches, and the batches themselves (bulk1-batch.ts).

import { EventEmitter } from 'node:events';
import { Batch } from './bulk1-batch.js';
import type { BatchInfo, Bulk1, Bulk1Operation, CreateJobOptions, JobInfo } from './bulk1.js';
import { jobInfoXml, listOf } from './bulk1-xml.js';
import { checkCall } from './arguments.js';
import { type CallOptions, callOptions } from './call-options.js';
import { reportError } from './error-policy.js';

/** The `Sforce-Enable-PKChunking` header of a job's creation, if it asks for chunks. */
function pkChunkingHeader(chunk: boolean | number | undefined): Record<string, string> {
  if (chunk === undefined || chunk === false) return {};
  return { 'sforce-enable-pkchunking': chunk === true ? 'true' : `chunkSize=${chunk}` };
}

/**
 * A Bulk 1.0 job: create batches, close, abort, list batches. Events: `open`, `close`, `abort`
 * (with the job's info) and `error`. Every failure rejects the promise of the call that met it;
 * an `error` listener hears it as well (with none, nothing is thrown: the promise carries it).
 * Every call takes `{ signal, timeoutMs }` last.
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
  open(options: CallOptions = {}): Promise<JobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.open', arguments, { options: 0 });
    if (this.id !== undefined && this.#opening === undefined) return this.info(options);
    this.#opening ??= this.#watch(this.#create(options));
    return this.#opening;
  }

  async #create(options: CallOptions): Promise<JobInfo> {
    const body = jobInfoXml({
      operation: this.operation,
      object: this.object,
      externalIdFieldName: this.#options.externalIdField,
      concurrencyMode: this.#options.concurrencyMode,
      contentType: 'CSV',
    });
    const info = await this.bulk.requestXml<JobInfo>(
      {
        method: 'POST',
        path: 'job',
        body,
        contentType: 'application/xml; charset=UTF-8',
        headers: pkChunkingHeader(this.#options.pkChunking),
        ...callOptions(options),
      },
      'jobInfo',
    );
    this.id = info.id;
    this.emit('open', info);
    return info;
  }

  async #id(options: CallOptions): Promise<string> {
    if (this.id === undefined) await this.open(options);
    return this.id as string;
  }

  info(options: CallOptions = {}): Promise<JobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.info', arguments, { options: 0 });
    return this.#watch(
      (async () => {
        const id = await this.#id(options);
        return this.bulk.requestXml<JobInfo>({ path: `job/${id}`, ...callOptions(options) }, 'jobInfo');
      })(),
    );
  }

  async #setState(state: 'Closed' | 'Aborted', options: CallOptions): Promise<JobInfo> {
    const id = await this.#id(options);
    const info = await this.bulk.requestXml<JobInfo>(
      {
        method: 'POST',
        path: `job/${id}`,
        body: jobInfoXml({ state }),
        contentType: 'application/xml; charset=UTF-8',
        ...callOptions(options),
      },
      'jobInfo',
    );
    this.emit(state === 'Closed' ? 'close' : 'abort', info);
    return info;
  }

  close(options: CallOptions = {}): Promise<JobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.close', arguments, { options: 0 });
    return this.#watch(this.#setState('Closed', options));
  }

  abort(options: CallOptions = {}): Promise<JobInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.abort', arguments, { options: 0 });
    return this.#watch(this.#setState('Aborted', options));
  }

  /** Every batch of the job. */
  list(options: CallOptions = {}): Promise<BatchInfo[]> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.list', arguments, { options: 0 });
    return this.#watch(
      (async () => {
        const id = await this.#id(options);
        const list = await this.bulk.requestXml<unknown>(
          { path: `job/${id}/batch`, ...callOptions(options) },
          'batchInfoList',
        );
        return listOf<BatchInfo>(list, 'batchInfo');
      })(),
    );
  }

  /** A new batch: write records to it, pipe a query into it, or call `execute(input)`. */
  createBatch(): Batch {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.createBatch', arguments);
    return new Batch(this);
  }

  /** Re-attaches to a batch by id. */
  batch(id: string): Batch {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('job.batch', arguments);
    return new Batch(this, id);
  }
}
