// A Bulk API 1.0 batch: a writable stream fed records (`query.pipe(batch)`) or CSV bytes
// (`fs.createReadStream('a.csv').pipe(batch)`), or sent with `execute(input)`; awaitable for its
// results, with `queue`/`progress`/`response`/`error` events.

import { Writable } from 'node:stream';
import { deferred } from '@sf/core';
import { fromCSV } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import type { BatchInfo, Bulk1BatchResult } from './bulk1.js';
import { Feed } from './bulk1-batch-feed.js';
import type { Job } from './bulk1-job.js';
import { listOf } from './bulk1-xml.js';
import { type CallOptions, callOptions } from './call-options.js';
import { bulkError } from './errors.js';
import { type CsvOptions, collectBytes, type IngestInput, toCsvBytes, watchInput } from './input.js';
import { type PollOptions, pollUntil } from './poll.js';
import { parseRecordErrors } from './record-result.js';

const noop = (): void => {};

type Body = string | Uint8Array | AsyncIterable<Uint8Array>;

function isBytes(chunk: unknown): chunk is string | Uint8Array {
  return typeof chunk === 'string' || chunk instanceof Uint8Array;
}

/**
 * A Bulk 1.0 batch. Write records to it or pipe a record stream into it (`query.pipe(batch)`),
 * pipe CSV bytes or text into it (`fs.createReadStream('accounts.csv').pipe(batch)`: the first
 * chunk decides), or call `execute(input)` with an array, a record stream or CSV. Events:
 * `queue` (batch info, once the server has the batch), `progress`, `response` (results in input
 * order), `error`. Awaiting it gives the results, one per input row, even before anything was
 * piped in (a source that ends empty gives none, and sends nothing).
 *
 * `error` follows the package's rule: an `error` listener gets it; without one, an awaited batch
 * (or `result()`, `send()`) rejects and nothing is thrown; a batch neither listened to nor
 * awaited throws it, as any emitter would. An error of a stream piped in fails the batch too.
 */
export class Batch extends Writable {
  readonly job: Job;
  id: string | undefined;
  #feed: Feed | undefined;
  #sending: Promise<BatchInfo> | undefined;
  /** Resolves with the sending once there is one, or undefined when the input ended empty. */
  readonly #start = deferred<BatchInfo | undefined>();
  /** A pipe or a write has begun: awaiting waits for the sending instead of refusing. */
  #fed = false;
  #result: Promise<Bulk1BatchResult[]> | undefined;
  #polling: { interval: number; timeout: number } | undefined;
  /** The promise side was used (`then`, `catch`, `finally`, `result()`). */
  #awaited = false;
  /** Errors the caller holds a promise for (a `send()` of their own). */
  readonly #carried = new Set<unknown>();
  readonly #reported = new Set<unknown>();
  /** Why the upload was stopped (an input error, a destroy): the error to give back. */
  #stopped: { error: unknown } | undefined;

  constructor(job: Job, id?: string) {
    super({ objectMode: true, highWaterMark: 16 });
    this.job = job;
    this.id = id;
    if (id !== undefined) {
      this.#sending = Promise.resolve({ id, jobId: job.id ?? '', state: 'Queued' });
      this.#start.resolve(this.#sending);
    }
    this.on('pipe', (source) => this.#piped(source));
  }

  /** A source piped in: its failure is the batch's (Node's pipe would leave the batch waiting). */
  #piped(source: NodeJS.ReadableStream): void {
    this.#fed = true;
    const onError = (error: unknown) => {
      this.#stop(error);
      this.#fail(error);
    };
    source.on('error', onError);
    const onUnpipe = (from: unknown) => {
      if (from !== source) return;
      this.off('unpipe', onUnpipe);
      // Kept once the batch failed: the source may still fail, and someone must hear it.
      if (this.#stopped === undefined) source.off('error', onError);
    };
    this.on('unpipe', onUnpipe);
  }

  // The rule for `error` (see the class): checked at each emission, including Node's own (a
  // failed write) and pipe's re-emission once it removed its listener.
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error') {
      const [error] = args;
      this.#reported.add(error);
      if (this.listenerCount('error') === 0 && (this.#awaited || this.#carried.has(error))) return false;
    }
    return super.emit(event, ...args);
  }

  /** Reports a failure once, by the rule for `error`; a live writable side is destroyed with it. */
  #fail(error: unknown): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    this.#start.reject(error);
    if (this.errored === error) return;
    if (!this.destroyed) this.destroy(error as Error);
    else this.emit('error', error);
  }

  /** Stops the upload under way (if any) with `error`, which the batch then rejects with. */
  #stop(error: unknown): void {
    this.#stopped ??= { error };
    this.#feed?.fail(error);
    this.#start.reject(error);
  }

  /** Sends the batch's body (CSV bytes, or SOQL for a query job); resolves when queued. */
  send(body: Body, options: CallOptions = {}): Promise<BatchInfo> {
    try {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      checkCall('batch.send', arguments, { opaque: [0], options: 1 });
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#sending) {
      return Promise.reject(bulkError('this batch was already sent', { code: 'INVALID_ARGUMENT' }));
    }
    const sending = this.#send(body, callOptions(options));
    // The caller holds this promise: a failure of the sending is theirs, not an uncaught error.
    sending.catch((error: unknown) => this.#carried.add(error));
    return sending;
  }

  #send(body: Body | Promise<Body>, call: CallOptions = {}): Promise<BatchInfo> {
    this.#sending = (async () => {
      const payload = await body;
      const watched =
        typeof payload === 'object' && Symbol.asyncIterator in payload ? watchInput(payload) : undefined;
      try {
        const jobId = await this.job.open(call).then((info) => info.id);
        const isQuery = this.job.operation === 'query' || this.job.operation === 'queryAll';
        const info = await this.job.bulk.requestXml<BatchInfo>(
          {
            method: 'POST',
            path: `job/${jobId}/batch`,
            body: watched ? watched.bytes : (payload as string | Uint8Array),
            contentType: isQuery ? 'text/plain; charset=UTF-8' : 'text/csv; charset=UTF-8',
            ...call,
          },
          'batchInfo',
        );
        this.id = info.id;
        this.emit('queue', info);
        return info;
      } catch (error) {
        // The transport reports a failing body as its own network error: give back the cause.
        throw this.#stopped?.error ?? watched?.failure()?.error ?? error;
      }
    })();
    this.#start.resolve(this.#sending);
    // Queued microtasks later: a caller's own send() has marked its error as carried by then.
    this.#sending.catch((error: unknown) => queueMicrotask(() => this.#fail(error)));
    return this.#sending;
  }

  /**
   * Sends `input` (records, a record stream, CSV) as this batch, then polls for the results.
   * An array, a string or bytes are sent from memory, so the request can be sent again after a
   * session renewal; a stream is uploaded as it is read.
   */
  execute(input: IngestInput, options: CsvOptions & CallOptions = {}): this {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('batch.execute', arguments, { data: [0], options: 1 });
    const { signal, timeoutMs, ...csv } = options;
    const call = callOptions({
      ...(signal ? { signal } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    const bytes = toCsvBytes(input, csv);
    if (this.#sending || this.#feed) {
      this.#fail(
        bulkError('this batch was already sent; create another batch', { code: 'INVALID_ARGUMENT' }),
      );
      return this;
    }
    const inMemory = Array.isArray(input) || isBytes(input);
    void this.#send(inMemory ? collectBytes(bytes) : bytes, call).then(
      () => this.#run(call).catch(noop),
      noop,
    );
    return this;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#fed = true;
    const kind = isBytes(chunk) ? 'csv' : typeof chunk === 'object' && chunk !== null ? 'records' : undefined;
    if (kind === undefined || (this.#feed && this.#feed.kind !== kind)) {
      const error = bulkError(
        kind === undefined
          ? `a batch takes records (objects) or CSV (bytes or text); got ${typeof chunk}`
          : `a batch takes records or CSV bytes, not both: a ${kind === 'csv' ? 'CSV chunk' : 'record'} followed ${this.#feed?.kind === 'csv' ? 'CSV bytes' : 'records'}`,
        { code: 'INVALID_ARGUMENT' },
      );
      this.#stop(error);
      this.#fail(error);
      callback();
      return;
    }
    if (!this.#feed) {
      if (this.#sending) {
        const error = bulkError('this batch was already sent; create another batch to write to', {
          code: 'INVALID_ARGUMENT',
        });
        this.#fail(error);
        callback();
        return;
      }
      this.#feed = new Feed(kind);
      void this.#send(this.#feed.body()).then(() => this.#run().catch(noop), noop);
    }
    this.#feed.push(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#fed = true;
    if (!this.#feed) {
      // Ended with nothing written: nothing to send (unless sent by execute or send).
      if (!this.#sending) this.#start.resolve(undefined);
      callback();
      return;
    }
    this.#feed.end();
    // 'finish' once the server has the batch. A failure must never finish (pipeline() would
    // resolve): Node destroys the batch with it, emitted by the rule for `error`.
    (this.#sending as Promise<BatchInfo>).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After 'finish' (autoDestroy) the upload is done; before it, what was being fed stops.
    if (error !== null) this.#stop(error);
    else if (!this.writableFinished) {
      // Destroyed without an error: the caller stopped it. Its promise rejects; no `error` event,
      // as Node emits none for destroy().
      const aborted = bulkError('the batch was destroyed before its upload ended', { code: 'ABORTED' });
      this.#reported.add(aborted);
      this.#stop(aborted);
    }
    callback(error);
  }

  async info(options: CallOptions = {}): Promise<BatchInfo> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('batch.info', arguments, { options: 0 });
    const { id } = await this.#queued();
    return this.job.bulk.requestXml<BatchInfo>(
      { path: `job/${this.job.id}/batch/${id}`, ...callOptions(options) },
      'batchInfo',
    );
  }

  async #queued(): Promise<BatchInfo> {
    if (!this.#sending) throw bulkError('this batch has not been sent', { code: 'INVALID_ARGUMENT' });
    return this.#sending;
  }

  /**
   * Starts polling every `interval` ms until done or `timeout` ms; `response` or `error`
   * follow. Positional, as node-salesforce's README (`shared/seeds/`) calls it; `options`
   * (`{ signal, timeoutMs }`) applies to each poll and to reading the results.
   */
  poll(interval: number, timeout: number, options: CallOptions = {}): this {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('batch.poll', arguments, { options: 2 });
    this.#polling = { interval, timeout };
    this.#run(callOptions(options)).catch(noop);
    return this;
  }

  /**
   * Fetches the batch's results now, without waiting for it: one per row, in input order. A
   * failed batch may have some (Salesforce can fail a batch after processing part of it).
   */
  async readResults(options: CallOptions = {}): Promise<Bulk1BatchResult[]> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('batch.readResults', arguments, { options: 0 });
    const { id } = await this.#queued();
    const res = await this.job.bulk.request({
      path: `job/${this.job.id}/batch/${id}/result`,
      headers: { accept: 'text/csv' },
      ...callOptions(options),
    });
    const results: Bulk1BatchResult[] = [];
    for await (const row of fromCSV(res.body())) {
      results.push({
        id: row.Id ? String(row.Id) : null,
        success: row.Success === 'true',
        created: row.Created === 'true',
        errors: parseRecordErrors(String(row.Error ?? '')),
        index: results.length,
      });
    }
    return results;
  }

  /**
   * Waits for the batch to be sent (when a pipe or writes feed it) and to finish, and fetches
   * its results (once; later calls share it).
   */
  result(options: CallOptions = {}): Promise<Bulk1BatchResult[]> {
    this.#awaited = true;
    try {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      checkCall('batch.result', arguments, { options: 0 });
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#run(callOptions(options));
  }

  #run(call: CallOptions = {}): Promise<Bulk1BatchResult[]> {
    if (!this.#result && !this.#sending && !this.#fed) {
      // Not kept: a pipe or a write may still come, and a later await then waits for it.
      return Promise.reject(
        bulkError(
          'this batch has not been sent: write or pipe records or CSV into it, or call execute(input)',
          {
            code: 'INVALID_ARGUMENT',
          },
        ),
      );
    }
    this.#result ??= (async () => {
      const sent = await this.#start.promise;
      if (sent === undefined) {
        this.emit('response', []);
        return [];
      }
      const bulk = this.job.bulk;
      const options: PollOptions = {
        pollIntervalMs: this.#polling?.interval ?? bulk.pollIntervalMs,
        maxPollIntervalMs: this.#polling?.interval ?? bulk.pollIntervalMs * 4,
        pollTimeoutMs: this.#polling?.timeout ?? bulk.pollTimeoutMs,
        ...call,
      };
      const info = await pollUntil(
        `batch ${this.id}`,
        async (signal) => {
          const current = await this.info({ ...call, ...(signal ? { signal } : {}) });
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
      const results = await this.readResults(call);
      this.emit('response', results);
      return results;
    })();
    this.#result.catch((error: unknown) => this.#fail(error));
    return this.#result;
  }

  /** Query batches: the ids of their result files. */
  async resultIds(options: CallOptions = {}): Promise<string[]> {
    // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
    checkCall('batch.resultIds', arguments, { options: 0 });
    const { id } = await this.#queued();
    const list = await this.job.bulk.requestXml<unknown>(
      { path: `job/${this.job.id}/batch/${id}/result`, ...callOptions(options) },
      'result-list',
    );
    return listOf<string>(list, 'result');
  }

  // biome-ignore lint/suspicious/noThenProperty: a batch is awaitable for its results, as in node-salesforce (README under shared/seeds/)
  then<A = Bulk1BatchResult[], B = never>(
    onfulfilled?: ((value: Bulk1BatchResult[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onfulfilled, onrejected);
  }

  catch<B = never>(
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<Bulk1BatchResult[] | B> {
    return this.result().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Bulk1BatchResult[]> {
    return this.result().finally(onfinally);
  }
}
