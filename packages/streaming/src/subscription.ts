// One channel's subscription as the application sees it: an async iterable of messages that
// also emits events. It drives the replay cursor (replay-cursor.ts: the id to resubscribe from,
// duplicates dropped by replay id, gaps) and updates the replay store as messages are delivered.

import {
  type CallOptions,
  Emitter,
  isSalesforceError,
  reportError,
  type SalesforceError,
  salesforceError,
  promiseForm,
  refuseCallback,
  type Deferred,
  deferred,
} from '@sf/core';
import {
  fallBack,
  type ReplayCursor,
  type ReplayPolicy,
  receive,
  resumeFrom,
  startCursor,
} from './replay-cursor.js';
import type { ReplayStore } from './replay-store.js';
import { untilAborted } from './until-aborted.js';

export type { ReplayPolicy } from './replay-cursor.js';

/** What a PushTopic, platform event, change event or generic message carries (Bayeux `data`). */
export interface StreamingMessage {
  event: { replayId: number; type?: string; createdDate?: string; [key: string]: unknown };
  /** PushTopic messages: the record's queried fields. */
  sobject?: Record<string, unknown>;
  /** Platform and change events: the event's fields; generic streaming: the pushed string. */
  payload?: any;
  schema?: string;
  [key: string]: unknown;
}

/** What replaying from a stored id could not deliver, reported before the first message after the gap. */
export interface ReplayGap {
  channel: string;
  /** The id asked for, which the server no longer retained. */
  requestedReplayId: number;
  /** How the subscription went on: `-2` (everything retained) or `-1` (new events only). */
  resumedFrom: -1 | -2;
  /** The first replay id delivered after the gap: events between the two were skipped. */
  nextReplayId: number | undefined;
}

export interface SubscriptionEvents<T> {
  message: (message: T) => void;
  /** The server acknowledged the subscription (again after every reconnect). */
  connect: () => void;
  /** The connection was lost; the client is reconnecting (`reason` says why). */
  disconnect: (reason: string) => void;
  /** Something went wrong; when `subscription.closed` is then true, it was fatal. */
  error: (error: SalesforceError) => void;
  /** The stored replay id was no longer retained and `onReplayUnavailable` chose to go on. */
  gap: (gap: ReplayGap) => void;
}

/**
 * A live subscription: `for await (const message of sub)`, or `sub.on('message', fn)`.
 * Until an iterator or a `message` listener is attached, messages are kept for the iterator.
 * `unsubscribe()` ends it; messages already received are still yielded. Aborting the `signal`
 * it was created with ends it too, but the iterator then rejects with `signal.reason` at once.
 */
export interface Subscription<T = StreamingMessage> extends AsyncIterable<T> {
  readonly channel: string;
  /** The newest replay id delivered to the application. */
  readonly replayId: number | undefined;
  readonly closed: boolean;
  on<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this;
  off<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this;
  once<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this;
  /**
   * Resolves once the server has acknowledged the first subscribe; rejects if the subscription
   * ends first (with `signal.reason` when aborted).
   */
  ready(): Promise<void>;
  /**
   * Ends the subscription and resolves once the replay store is written. After an abort (or a
   * `client.close()`), it waits for that same ending. `timeoutMs` bounds the goodbye to the
   * server (`/meta/unsubscribe`, and `/meta/disconnect` for `subscribe()`'s own client; 2,000 ms
   * each by default); aborting `signal` cuts it short and rejects with `signal.reason` at once:
   * the subscription ends anyway and the replay store is still written.
   */
  unsubscribe(options?: CallOptions): Promise<void>;
}

/** Every event a subscription emits. */
const SUBSCRIPTION_EVENTS = ['message', 'connect', 'disconnect', 'error', 'gap'] as const;

/** @internal The subscription's state, driven by the streaming client. */
export class SubscriptionImpl<T extends { event?: { replayId?: unknown } } = StreamingMessage>
  implements Subscription<T>
{
  readonly channel: string;
  readonly policy: ReplayPolicy;
  // nforce's stream emitted `data` (its README in shared/seeds/): a listener for it, or for any
  // name not emitted here, warns once, naming the event to use.
  readonly #emitter = new Emitter<SubscriptionEvents<T>>({
    events: SUBSCRIPTION_EVENTS,
    renamed: { data: 'message' },
    source: '@sf/streaming',
  });
  readonly #store: ReplayStore | undefined;
  readonly #onUnsubscribe: (sub: SubscriptionImpl<T>, options?: CallOptions) => Promise<void>;
  #queue: T[] = [];
  #waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  #iterating = false;
  #uncommitted: number | undefined;
  #cursor: ReplayCursor = startCursor(undefined, undefined);
  #delivered: number | undefined;
  // Set when the subscription ends with an error or an abort: the iterator rejects with it.
  #failure: { reason: unknown } | undefined;
  #closed = false;
  #ending: Promise<void> | undefined;
  #writes: Promise<void> = Promise.resolve();
  #ready: Deferred<void>;
  #acknowledged = false;
  // ready(), an iterator or unsubscribe() was used: a promise the application holds carries failures.
  #promiseUsed = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#abort();

  constructor(
    channel: string,
    options: {
      store?: ReplayStore | undefined;
      policy?: ReplayPolicy | undefined;
      signal?: AbortSignal | undefined;
    },
    onUnsubscribe: (sub: SubscriptionImpl<T>, options?: CallOptions) => Promise<void>,
  ) {
    this.channel = channel;
    this.policy = options.policy ?? 'fail';
    this.#store = options.store;
    this.#onUnsubscribe = onUnsubscribe;
    this.#signal = options.signal;
    this.#ready = deferred();
    // Removed in #end, whichever way the subscription ends: a long-lived signal must not keep
    // ended subscriptions alive.
    if (this.#signal && !this.#signal.aborted) {
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The caller's signal was already aborted: the supervisor ends this subscription at once. */
  get aborted(): boolean {
    return this.#signal?.aborted === true;
  }

  get replayId(): number | undefined {
    return this.#delivered;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Where the subscription starts: the stored id if any, else `replay`, else -1. */
  async init(replay: number | undefined): Promise<void> {
    const stored = await this.#store?.get(this.channel);
    this.#cursor = startCursor(stored, replay);
  }

  /** The replay id to subscribe with now: after the newest message received, or the start. */
  replayFrom(): number {
    return resumeFrom(this.#cursor);
  }

  /** The stored id is gone: go on from -2 or -1 as the policy says, reporting the gap later. */
  fallBack(): boolean {
    const next = fallBack(this.#cursor, this.policy);
    if (!next) return false;
    this.#cursor = next;
    return true;
  }

  acknowledged(): void {
    if (!this.#acknowledged) {
      this.#acknowledged = true;
      this.#ready.resolve();
    }
    this.#emitter.emit('connect');
  }

  disconnected(reason: string): void {
    this.#emitter.emit('disconnect', reason);
  }

  error(error: SalesforceError): void {
    this.#report(error);
  }

  /** A message from the server: dropped when its replay id was already received. */
  deliver(message: T): void {
    if (this.#closed) return;
    const id = message?.event?.replayId;
    const step = receive(this.#cursor, id);
    if (!step.accept) return;
    this.#cursor = step.cursor;
    if (step.gap) this.#emitter.emit('gap', { channel: this.channel, ...step.gap });
    this.#emitter.emit('message', message);
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#handOut(message);
      waiter.resolve({ value: message, done: false });
    } else if (this.#iterating || this.#emitter.listenerCount('message') === 0) {
      // Kept for an iterator (one may start later); with only listeners, nothing is kept.
      this.#queue.push(message);
    } else if (typeof id === 'number') {
      this.#commit(id);
    }
  }

  /** Ends the subscription with an error: iterators reject once the queue is drained. */
  fail(error: SalesforceError): void {
    if (this.#closed) return;
    this.#failure = { reason: error };
    this.#ready.reject(error);
    this.#report(error);
    this.#end();
  }

  /**
   * Ends the subscription because a signal was aborted: `ready()` and the iterator reject with
   * `reason` unchanged, at once (messages not yet handed out are dropped; their replay ids
   * were not stored, so a restart receives them again). Not an error: no `error` event.
   */
  abort(reason: unknown): void {
    if (this.#closed) return;
    this.#failure = { reason };
    this.#queue.length = 0;
    this.#ready.reject(reason);
    this.#end();
  }

  /** The subscription's own signal fired: end it and let the client clean up as on unsubscribe. */
  #abort(): void {
    if (this.#closed) return;
    this.abort(this.#signal?.reason);
    this.#ending ??= this.#onUnsubscribe(this);
    // Nobody awaits an abort; a store that cannot be written is reported as on any write.
    this.#ending.catch((cause: unknown) => this.#reportStoreFailure(cause));
  }

  /**
   * The subscription ended by itself (a fatal error): let the client clean up as on
   * unsubscribe (a client of its own closes), without counting as the application's use of it.
   */
  release(): void {
    this.#ending ??= this.#onUnsubscribe(this);
    this.#ending.catch((cause: unknown) => this.#reportStoreFailure(cause));
  }

  /** Ends the subscription cleanly. */
  end(): void {
    this.#ready.reject(
      salesforceError(
        '@sf/streaming',
        'UNSUBSCRIBED',
        `unsubscribed from ${this.channel} before it was acknowledged`,
      ),
    );
    this.#end();
  }

  async flush(): Promise<void> {
    if (this.#uncommitted !== undefined) this.#commit(this.#uncommitted);
    await this.#writes;
    await this.#store?.flush?.();
  }

  ready(): Promise<void> {
    // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
    refuseCallback('@sf/streaming', 'ready()', arguments, promiseForm('await sub.ready()'));
    this.#promiseUsed = true;
    return this.#ready.promise;
  }

  unsubscribe(options: CallOptions = {}): Promise<void> {
    // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
    refuseCallback('@sf/streaming', 'unsubscribe()', arguments, promiseForm('await sub.unsubscribe()'));
    const { timeoutMs } = options;
    if (
      timeoutMs !== undefined &&
      !(typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs < Infinity)
    ) {
      throw salesforceError(
        '@sf/streaming',
        'INVALID_ARGUMENT',
        'timeoutMs must be a finite number of milliseconds, at least 0',
      );
    }
    this.#promiseUsed = true;
    // One ending however many callers: after an abort or a close, this waits for that one.
    this.#ending ??= this.#onUnsubscribe(this, options);
    return untilAborted(this.#ending, options.signal);
  }

  /** @internal The supervisor's own ending of this subscription (close, abort of the client). */
  endedBy(ending: Promise<void>): void {
    this.#ending ??= ending;
  }

  on<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this {
    this.#emitter.on(event, listener);
    return this;
  }

  off<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this {
    this.#emitter.off(event, listener);
    return this;
  }

  once<K extends keyof SubscriptionEvents<T>>(event: K, listener: SubscriptionEvents<T>[K]): this {
    this.#emitter.once(event, listener);
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    this.#iterating = true;
    this.#promiseUsed = true;
    return {
      next: () => {
        // The message handed out before was processed: its replay id may now be stored.
        if (this.#uncommitted !== undefined) this.#commit(this.#uncommitted);
        const value = this.#queue.shift();
        if (value !== undefined) {
          this.#handOut(value);
          return Promise.resolve({ value, done: false });
        }
        if (this.#failure) return Promise.reject(this.#failure.reason);
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
      },
      return: async () => {
        if (this.#uncommitted !== undefined) this.#commit(this.#uncommitted);
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }

  #handOut(message: T): void {
    const id = message?.event?.replayId;
    if (typeof id === 'number') this.#uncommitted = id;
  }

  #commit(replayId: number): void {
    this.#uncommitted = undefined;
    this.#delivered = replayId;
    const store = this.#store;
    if (!store) return;
    this.#writes = this.#writes
      .then(() => store.set(this.channel, replayId))
      .catch((cause) => this.#reportStoreFailure(cause, replayId));
  }

  #reportStoreFailure(cause: unknown, replayId?: number): void {
    if (isSalesforceError(cause, 'REPLAY_STORE_FAILED')) {
      this.#report(cause);
      return;
    }
    const what = replayId === undefined ? 'the replay store' : `replay id ${replayId}`;
    this.#report(
      salesforceError('@sf/streaming', 'REPLAY_STORE_FAILED', `could not store ${what} for ${this.channel}`, {
        cause,
      }),
    );
  }

  /**
   * The error-event rule every package follows: an `error` listener gets it; without one, a
   * promise side in use (`ready()`, an iterator, `unsubscribe()`) carries it (a fatal error
   * rejects it; a transient one is dropped, since the subscription recovers on its own); with
   * neither, it is thrown, uncaught, as Node's EventEmitter would, because a failure nobody can
   * see must not be silent (core's `reportError`).
   */
  #report(error: SalesforceError): void {
    reportError(this.#emitter, error, () => this.#promiseUsed);
  }

  #end(): void {
    this.#closed = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#failure) waiter.reject(this.#failure.reason);
      else waiter.resolve({ value: undefined, done: true });
    }
  }
}
