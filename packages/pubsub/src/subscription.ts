// A Subscribe (or ManagedSubscribe) stream as the application sees it: an async iterable of
// decoded events that also emits them, over as many gRPC streams as failures make necessary.
// One file because flow control, the replay position and reconnection share one state: the
// events received but not yet taken are kept across reconnects, so the stream resumes after the
// last event received, and each is delivered once.
//
// Flow control: `requested + buffered <= batchSize` always holds, where `requested` is what the
// server may still send and `buffered` what the consumer has not taken; more is asked for only
// as the consumer drains (below half the batch). Memory is bounded by `batchSize` events.

import type * as grpc from '@grpc/grpc-js';
import {
  type BackoffOptions,
  computeBackoff,
  type Deferred,
  deferred,
  Emitter,
  reportError,
  type SalesforceError,
} from '@sf/core';
import type { AvroCodec } from './avro.js';
import { decodeChangeEventHeader } from './bitmap.js';
import type { PubSubClient } from './client.js';
import { classify, errorFromGrpc, pubsubError } from './errors.js';
import { type ReplayId, replayIdFromBytes } from './replay-id.js';

/** A decoded event. */
export interface PubSubEvent<P = Record<string, unknown>> {
  /** The topic it came from. */
  topic: string;
  /** Opaque (base64 of the wire bytes): store it to resume after this event. */
  replayId: ReplayId;
  /** The event's id (for publishers: the correlation key). */
  id: string;
  schemaId: string;
  /** The Avro payload as a plain object; change events' bitmaps decoded into field names. */
  payload: P;
  headers: Record<string, string>;
}

/** The stored replay id could not be used and `onReplayUnavailable` chose to go on. */
export interface ReplayGap {
  topic: string;
  /** The id the server refused (corrupted, or older than its retention). */
  requestedReplayId: ReplayId;
  /** How the subscription went on: everything retained, or new events only. */
  resumedFrom: 'EARLIEST' | 'LATEST';
}

export interface SubscriptionEvents {
  event: (event: PubSubEvent) => void;
  /** A stream is open (again, after every reconnect) and the server answered. */
  connect: () => void;
  /** A stream failed or went silent; the subscription reconnects (`reason` says why). */
  disconnect: (reason: string) => void;
  /** A fatal failure: the subscription has ended. */
  error: (error: SalesforceError) => void;
  gap: (gap: ReplayGap) => void;
  /** The session was renewed after the server refused it. */
  renew: () => void;
}

/** Waits between reconnects: core's backoff (exponential, jittered), 500 ms to 30 s by default. */
export interface ReconnectOptions extends BackoffOptions {
  /** Consecutive failed attempts before the subscription fails; unlimited by default. */
  maxAttempts?: number;
}

const EVENTS = ['event', 'connect', 'disconnect', 'error', 'gap', 'renew'] as const;

/** What a subscription can do on a stored id the server refuses: fail, or go on from EARLIEST or LATEST. */
export type ReplayPolicy = 'fail' | 'fromEarliest' | 'fromNew';

/** Options both kinds of subscription take. */
export interface StreamOptions {
  /** Events asked for at a time, 1 to 100 (the API's limit per request); 100 by default. Also the most held in memory. */
  batchSize?: number;
  /** Ends the subscription; the iterator rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** A stream that says nothing (no events, no keepalive) for this long is reconnected; 300,000 (Salesforce sends a keepalive within 270 s). */
  keepaliveTimeoutMs?: number;
  /** Backoff between reconnects after `UNAVAILABLE`, `RST_STREAM` and the like. */
  reconnect?: ReconnectOptions;
  /** Replace change events' bitmaps by field names (default true). */
  decodeBitmaps?: boolean;
}

interface RawEvent {
  event: { id: string; schemaId: string; payload: Buffer; headers: Array<{ key: string; value: Buffer }> };
  replayId: Buffer;
}

interface FetchResponseLike {
  events: RawEvent[];
  latestReplayId: Buffer;
  pendingNumRequested: number;
  commitResponse?: {
    commitRequestId: string;
    replayId: Buffer;
    error?: { code: string; msg: string } | null;
  } | null;
}

/** @internal How one kind of stream opens and asks for more. */
export interface StreamProtocol {
  readonly method: 'Subscribe' | 'ManagedSubscribe';
  readonly name: string;
  /** The first request, given the room in the buffer and the replay position (Subscribe only). */
  first(room: number, resumeAfter: Buffer | undefined): Promise<Record<string, unknown>>;
  more(count: number): Record<string, unknown>;
  /** The server refused the replay position: the request to start again with, or a fatal error. */
  onReplayRefused?(requested: Buffer | undefined): { gap?: ReplayGap } | SalesforceError;
  onResponse?(response: FetchResponseLike): void;
  /** The consumer took this event (the store is written here). */
  onTaken?(event: PubSubEvent): void;
  flush?(): Promise<void>;
  /** The server, not the client, keeps the position (ManagedSubscribe): a new stream sends untaken events again. */
  readonly serverKeepsPosition?: boolean;
}

/**
 * A live subscription: `for await (const event of sub)`, or `sub.on('event', fn)`. A replay id
 * is committed (to the replay store, and as `sub.replayId`) only once the consumer has taken
 * the event: when the iterator is asked for the next one, or when `event` listeners returned.
 */
export class Subscription implements AsyncIterable<PubSubEvent> {
  readonly topic: string;
  readonly batchSize: number;
  readonly #client: PubSubClient;
  readonly #protocol: StreamProtocol;
  readonly #emitter = new Emitter<SubscriptionEvents>({ events: EVENTS, source: '@sf/pubsub' });
  readonly #options: StreamOptions;
  readonly #codecs = new Map<string, AvroCodec>();
  #buffer: RawEvent[] = [];
  #head = 0;
  #requested = 0;
  #resumeAfter: Buffer | undefined;
  #call: grpc.ClientDuplexStream<unknown, FetchResponseLike> | undefined;
  #generation = 0;
  #token = '';
  #attempt = 0;
  #authFailures = 0;
  #silence: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #waiter: (() => void) | undefined;
  #pulling: Promise<PubSubEvent | undefined> | undefined;
  #uncommitted: PubSubEvent | undefined;
  #delivered: ReplayId | undefined;
  #iterating = false;
  #pumping = false;
  #closed = false;
  #failure: { reason: unknown } | undefined;
  #ready: Deferred<void>;
  #openPending = false;
  #readyUsed = false;
  readonly #onAbort = () => this.#end({ reason: this.#options.signal?.reason });
  readonly #untrack: () => void;

  /** @internal Use `subscribe()` or `managedSubscribe()`. */
  constructor(client: PubSubClient, topic: string, protocol: StreamProtocol, options: StreamOptions) {
    const batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) {
      throw pubsubError('INVALID_ARGUMENT', `batchSize must be an integer from 1 to 100, got ${batchSize}`);
    }
    this.topic = topic;
    this.batchSize = batchSize;
    this.#client = client;
    this.#protocol = protocol;
    this.#options = options;
    this.#ready = deferred();
    this.#untrack = client.track(this);
    if (options.signal?.aborted) {
      this.#end({ reason: options.signal.reason });
      return;
    }
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    queueMicrotask(() => void this.#open());
  }

  /** The newest replay id the consumer has taken (and the store was given). */
  get replayId(): ReplayId | undefined {
    return this.#delivered;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Events received and not yet taken (never more than `batchSize`). */
  get buffered(): number {
    return this.#buffer.length - this.#head;
  }

  on<K extends keyof SubscriptionEvents>(event: K, listener: SubscriptionEvents[K]): this {
    this.#emitter.on(event, listener);
    if (event === 'event') queueMicrotask(() => void this.#pump());
    return this;
  }

  off<K extends keyof SubscriptionEvents>(event: K, listener: SubscriptionEvents[K]): this {
    this.#emitter.off(event, listener);
    return this;
  }

  once<K extends keyof SubscriptionEvents>(event: K, listener: SubscriptionEvents[K]): this {
    this.#emitter.once(event, listener);
    if (event === 'event') queueMicrotask(() => void this.#pump());
    return this;
  }

  /** Resolves once the server first answered; rejects if the subscription ends first. */
  ready(): Promise<void> {
    this.#readyUsed = true;
    return this.#ready.promise;
  }

  /** Ends the subscription and resolves once the replay store is written. */
  async close(): Promise<void> {
    this.#commit();
    this.#end(undefined);
    await this.#protocol.flush?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<PubSubEvent> {
    if (this.#iterating) throw pubsubError('INVALID_ARGUMENT', 'a subscription can be iterated only once');
    this.#iterating = true;
    return {
      next: async () => {
        this.#commit();
        const event = await this.#pull();
        if (!event) return { done: true, value: undefined };
        this.#uncommitted = event;
        return { done: false, value: event };
      },
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  // --- delivery -------------------------------------------------------------------------

  #commit(): void {
    const event = this.#uncommitted;
    if (!event) return;
    this.#uncommitted = undefined;
    this.#delivered = event.replayId;
    this.#protocol.onTaken?.(event);
  }

  /** The next event, decoded; undefined once the subscription ended. One pull at a time. */
  #pull(): Promise<PubSubEvent | undefined> {
    const previous = this.#pulling ?? Promise.resolve(undefined);
    const next = previous.then(
      () => this.#pullOne(),
      () => this.#pullOne(),
    );
    this.#pulling = next;
    return next;
  }

  async #pullOne(): Promise<PubSubEvent | undefined> {
    for (;;) {
      if (this.#failure) throw this.#failure.reason;
      if (this.#closed) return undefined;
      if (this.#head < this.#buffer.length) {
        const raw = this.#buffer[this.#head++] as RawEvent;
        if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
          this.#buffer = this.#buffer.slice(this.#head);
          this.#head = 0;
        }
        this.#drained();
        try {
          return await this.#decode(raw);
        } catch (error) {
          this.#fail(error as SalesforceError);
          throw error;
        }
      }
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  async #decode(raw: RawEvent): Promise<PubSubEvent> {
    const schemaId = raw.event.schemaId;
    let codec = this.#codecs.get(schemaId);
    if (!codec) {
      codec = await this.#client.schema(schemaId);
      this.#codecs.set(schemaId, codec);
    }
    let payload: Record<string, unknown>;
    try {
      payload = codec.decode(raw.event.payload);
    } catch (cause) {
      throw pubsubError(
        'MALFORMED_RESPONSE',
        `an event on ${this.topic} does not decode with schema ${schemaId}`,
        {
          cause,
        },
      );
    }
    if (this.#options.decodeBitmaps !== false) decodeChangeEventHeader(codec.schema, payload);
    const headers: Record<string, string> = {};
    for (const h of raw.event.headers ?? []) headers[h.key] = Buffer.from(h.value).toString('utf8');
    return {
      topic: this.topic,
      replayId: replayIdFromBytes(raw.replayId) ?? '',
      id: raw.event.id,
      schemaId,
      payload,
      headers,
    };
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#iterating) return;
    this.#pumping = true;
    try {
      while (!this.#closed && this.#emitter.listenerCount('event') > 0 && !this.#iterating) {
        let event: PubSubEvent | undefined;
        try {
          event = await this.#pull();
        } catch {
          return;
        }
        if (!event) return;
        this.#emitter.emit('event', event);
        this.#uncommitted = event;
        this.#commit();
      }
    } finally {
      this.#pumping = false;
    }
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  /** The consumer took one: ask for more once the batch is half drained. */
  #drained(): void {
    if (this.#openPending) {
      if (this.buffered < this.batchSize) {
        this.#openPending = false;
        void this.#open();
      }
      return;
    }
    const room = this.batchSize - this.#requested - this.buffered;
    if (!this.#call || room < Math.ceil(this.batchSize / 2)) return;
    this.#requested += room;
    this.#call.write(this.#protocol.more(room));
  }

  /** @internal Writes a request on the open stream; false when none is open. */
  send(request: Record<string, unknown>): boolean {
    if (!this.#call || this.#closed) return false;
    this.#call.write(request);
    return true;
  }

  // --- the gRPC stream ------------------------------------------------------------------

  async #open(): Promise<void> {
    if (this.#closed) return;
    if (this.#client.closed) {
      // client.close() ends its subscriptions, quietly: the caller asked for it.
      this.#end(undefined);
      return;
    }
    if (this.#protocol.serverKeepsPosition) {
      this.#buffer = [];
      this.#head = 0;
    }
    const room = this.batchSize - this.buffered;
    if (room <= 0) {
      this.#openPending = true;
      return;
    }
    const generation = ++this.#generation;
    let first: Record<string, unknown>;
    let metadata: grpc.Metadata;
    try {
      const m = await this.#client.metadata(this.#options.signal);
      metadata = m.metadata;
      this.#token = m.token;
      first = await this.#protocol.first(room, this.#resumeAfter);
    } catch (error) {
      if (generation === this.#generation) this.#retryOrFail(error, generation);
      return;
    }
    if (this.#closed || generation !== this.#generation) return;
    let call: grpc.ClientDuplexStream<unknown, FetchResponseLike>;
    try {
      call = this.#client.grpc[this.#protocol.method]!(metadata);
    } catch (error) {
      if (this.#client.closed) this.#end(undefined);
      else this.#retryOrFail(error, generation);
      return;
    }
    this.#call = call;
    this.#requested = room;
    call.on('data', (response: FetchResponseLike) => this.#onResponse(generation, response));
    call.on('error', (error: unknown) => this.#onStreamError(generation, error));
    call.on('status', (status: grpc.StatusObject) => {
      // A stream the server ends cleanly is reopened too: a subscription has no natural end.
      if (status.code === 0)
        this.#onStreamError(generation, { code: 14, details: 'the server ended the stream' });
    });
    this.#armSilence(generation);
    call.write(first);
  }

  #armSilence(generation: number): void {
    clearTimeout(this.#silence);
    const ms = this.#options.keepaliveTimeoutMs ?? 300_000;
    this.#silence = setTimeout(() => {
      if (generation !== this.#generation || this.#closed) return;
      this.#onStreamError(generation, { code: 4, details: `no event or keepalive for ${ms} ms` });
    }, ms);
    this.#silence.unref?.();
  }

  #onResponse(generation: number, response: FetchResponseLike): void {
    if (generation !== this.#generation || this.#closed) return;
    this.#armSilence(generation);
    this.#attempt = 0;
    this.#authFailures = 0;
    const first = !this.#connectedGeneration(generation);
    const events = response.events ?? [];
    if (events.length > 0) {
      for (const raw of events) this.#buffer.push(raw);
      this.#requested = Math.max(0, this.#requested - events.length);
      this.#resumeAfter = (events[events.length - 1] as RawEvent).replayId;
    } else if (this.#requested > 0 && response.latestReplayId?.length) {
      // Nothing to send while we could take more: everything up to latest_replay_id was delivered.
      this.#resumeAfter = response.latestReplayId;
    }
    this.#protocol.onResponse?.(response);
    if (first) {
      this.#ready.resolve();
      this.#emitter.emit('connect');
    }
    if (events.length > 0) this.#wake();
  }

  #connected = 0;
  #connectedGeneration(generation: number): boolean {
    if (this.#connected === generation) return true;
    this.#connected = generation;
    return false;
  }

  #onStreamError(generation: number, error: unknown): void {
    if (generation !== this.#generation || this.#closed) return;
    this.#generation++;
    clearTimeout(this.#silence);
    const call = this.#call;
    this.#call = undefined;
    call?.removeAllListeners('data');
    call?.on('error', () => {});
    call?.cancel();
    const kind = classify(error);
    if (kind === 'auth') {
      if (++this.#authFailures > 2) {
        this.#fail(errorFromGrpc(error, `Subscribe ${this.topic}`));
        return;
      }
      const token = this.#token;
      this.#client.renew(token, this.#options.signal).then(
        () => {
          this.#emitter.emit('renew');
          void this.#open();
        },
        (e: unknown) => this.#fail(e as SalesforceError),
      );
      return;
    }
    if (kind === 'replay-id' && this.#protocol.onReplayRefused) {
      const outcome = this.#protocol.onReplayRefused(this.#resumeAfter);
      if (!('gap' in outcome) && outcome instanceof Error) {
        this.#fail(outcome);
        return;
      }
      this.#resumeAfter = undefined;
      if (outcome.gap) this.#emitter.emit('gap', outcome.gap);
      void this.#open();
      return;
    }
    this.#retryOrFail(error, generation);
  }

  #retryOrFail(error: unknown, _generation: number): void {
    if (this.#closed) return;
    const kind = classify(error);
    const typed = (error as SalesforceError)?.name === 'SalesforceError';
    if (typed || kind === 'fatal' || kind === 'replay-id') {
      this.#fail(
        typed ? (error as SalesforceError) : errorFromGrpc(error, `${this.#protocol.method} ${this.topic}`),
      );
      return;
    }
    const max = this.#options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (this.#attempt >= max) {
      this.#fail(
        errorFromGrpc(error, `${this.#protocol.method} ${this.topic} (after ${this.#attempt} reconnects)`),
      );
      return;
    }
    const reason = String((error as { details?: unknown })?.details ?? (error as Error)?.message ?? error);
    this.#emitter.emit('disconnect', reason);
    const delay = computeBackoff(this.#attempt++, {
      initialMs: 500,
      maxMs: 30_000,
      jitter: 'equal',
      ...this.#options.reconnect,
    });
    this.#retryTimer = setTimeout(() => void this.#open(), delay);
  }

  // --- the end --------------------------------------------------------------------------

  /** A fatal failure, under the toolkit's one rule for an `error` nobody listens to (core's reportError). */
  #fail(error: SalesforceError): void {
    if (this.#closed) return;
    this.#end({ reason: error });
    reportError(this.#emitter, error, () => this.#iterating || this.#readyUsed);
  }

  #end(failure: { reason: unknown } | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#untrack();
    this.#failure = failure;
    this.#generation++;
    clearTimeout(this.#silence);
    clearTimeout(this.#retryTimer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const call = this.#call;
    this.#call = undefined;
    if (call) {
      call.removeAllListeners('data');
      call.on('error', () => {});
      call.cancel();
    }
    this.#buffer = [];
    this.#head = 0;
    if (failure) this.#ready.reject(failure.reason);
    else this.#ready.reject(pubsubError('ABORTED', `the subscription to ${this.topic} was closed`));
    this.#wake();
  }
}
