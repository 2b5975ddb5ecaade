// The awaitable emitter every Bulk 2.0 load returns (load(), the switching writes), following
// the toolkit's one rule for an `error` event nobody listens to (error-policy.ts).

import { EventEmitter } from 'node:events';
import { warnUnknownEvent } from '@sf/core';
import { reportError } from './error-policy.js';
import { SOURCE } from './errors.js';
import type { IngestJob, IngestJobInfo } from './ingest.js';
import type { LoadResult } from './load.js';

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

/** Every event a LoadOperation emits, and Node's own listener events. */
const EVENTS: readonly string[] = [
  'job',
  'upload',
  'progress',
  'complete',
  'error',
  'newListener',
  'removeListener',
];
// jsforce's IngestJobV2 and Bulk 1.0 Batch event names, and ours to listen to instead.
const RENAMED: Readonly<Record<string, string>> = {
  open: 'job',
  uploadComplete: 'upload',
  inProgress: 'progress',
  jobComplete: 'complete',
  response: 'complete',
  failed: 'error',
  aborted: 'error',
};

/**
 * A running load: await it for the {@link LoadResult}, or listen to `job`, `upload`,
 * `progress`, `complete` and `error`. A failure goes to an `error` listener if there is one
 * (and rejects the promise too); with none, an awaited load (`then`, `catch`, `finally`) only
 * rejects, never throwing; a load neither listened to nor awaited throws it, as any emitter would.
 * A listener for any other event (jsforce's `jobComplete`, say) warns once per name, naming ours.
 */
export class LoadOperation<R extends LoadResult = LoadResult>
  extends EventEmitter<LoadEvents<R>>
  implements PromiseLike<R>
{
  readonly #promise: Promise<R>;
  #awaited = false;

  constructor(run: (op: LoadOperation<R>) => Promise<R>) {
    super();
    // Node announces every listener (on, once, addListener, prepend...) before adding it.
    this.on('newListener' as keyof LoadEvents<R>, warn as never);
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

function warn(event: unknown): void {
  if (typeof event === 'string' || typeof event === 'symbol')
    warnUnknownEvent(SOURCE, event, EVENTS, RENAMED);
}
