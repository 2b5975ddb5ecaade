/// <reference path="./faye.d.ts" />
// The CometD client: faye's client for the wire, and a supervisor around it that decides what
// to do when the stream breaks. Any broken session (expired token, unknown client, lost network,
// stalled long-poll) is handled the same way: the faye client is thrown away and a new one
// handshakes and resubscribes from the newest replay id received, after renewing the token when
// the server refused it.

import { type Connection, Emitter, isSalesforceError, SalesforceError } from '@sf/core';
import faye, { type Client, type ClientCallback, type ClientMessage } from 'faye';
import type { ReplayStore } from './replay-store.js';
import {
  type ReplayPolicy,
  type StreamingMessage,
  type Subscription,
  SubscriptionImpl,
} from './subscription.js';

export interface StreamingClientOptions {
  /** Reconnect delays: exponential from `initialMs` (500) to `maxMs` (30,000), with full jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * A long-poll unanswered this long past the server's advised timeout counts as stalled and
   * the client reconnects. 10,000 ms by default.
   */
  stallMarginMs?: number;
  /**
   * Aborting closes the client as `close()` does: every subscription ends, and a pending
   * `for await` or `ready()` rejects with `signal.reason`. The listener is removed on close.
   */
  signal?: AbortSignal;
}

export interface SubscribeOptions {
  /**
   * Where to start when the replay store has nothing for the channel: `-1` new events only
   * (the default), `-2` everything the server retains, or a replay id to resume after.
   */
  replay?: number;
  /** Keeps the last delivered replay id, so a restarted process resumes where it stopped. */
  replayStore?: ReplayStore;
  /**
   * When the replay id is no longer retained: `'fail'` (the default) ends the subscription
   * with `REPLAY_ID_UNAVAILABLE`; `'fromEarliest'` resumes with -2, `'fromNew'` with -1, and a
   * `gap` event reports what was skipped.
   */
  onReplayUnavailable?: ReplayPolicy;
  /**
   * Aborting ends this subscription as `unsubscribe()` does, except that a pending
   * `for await` and `ready()` reject with `signal.reason` at once (messages not yet handed out
   * are dropped, not stored, so a restart receives them again). The listener is removed when the
   * subscription ends, however it ends.
   */
  signal?: AbortSignal;
}

export interface StreamingClientEvents {
  /** The first successful long-poll of a (re)connected session. */
  connect: () => void;
  disconnect: (reason: string) => void;
  error: (error: SalesforceError) => void;
}

/** A CometD session to one org shared by any number of channel subscriptions. */
export interface StreamingClient {
  readonly connected: boolean;
  subscribe<T = StreamingMessage>(channel: string, options?: SubscribeOptions): Subscription<T>;
  /**
   * Ends every subscription, disconnects, and waits for replay stores to be written (after an
   * abort of the client's `signal`, waits for that same ending).
   */
  close(): Promise<void>;
  on<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this;
  off<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this;
}

const SOURCE = '@sf/streaming';
const DISCONNECTED = 4;

function streamingError(message: string, code: string, cause?: unknown): SalesforceError {
  return new SalesforceError(message, { code, source: SOURCE, ...(cause === undefined ? {} : { cause }) });
}

function isAuthFailure(text: string | undefined): boolean {
  return text !== undefined && /^401:/.test(text);
}

/**
 * Creates a streaming client over a connection's credentials. Subscriptions share one
 * CometD session at `{instanceUrl}/cometd/{apiVersion}`.
 *
 * @example
 * const client = createStreamingClient(conn);
 * const sub = client.subscribe(topic('InvoiceStatementUpdates'), { replay: -2 });
 * for await (const message of sub) console.log(message.event.type, message.sobject?.Id);
 */
export function createStreamingClient(
  conn: Connection,
  options: StreamingClientOptions = {},
): StreamingClient {
  return new Supervisor(conn, options);
}

/**
 * Subscribes to one channel on a client of its own; `unsubscribe()` (or aborting `signal`)
 * also closes that client.
 *
 * @example
 * const sub = subscribe(conn, platformEvent('Order__e'), {
 *   replayStore: createFileReplayStore('replay.json'),
 *   signal: AbortSignal.timeout(60_000),
 * });
 * sub.on('message', (m) => console.log(m.payload));
 */
export function subscribe<T = StreamingMessage>(
  conn: Connection,
  channel: string,
  options: SubscribeOptions & StreamingClientOptions = {},
): Subscription<T> {
  // The signal belongs to the subscription, whose ending closes the client.
  const { signal: _signal, ...clientOptions } = options;
  const client = new Supervisor(conn, clientOptions);
  return client.subscribe<T>(channel, options, () => client.close());
}

class Supervisor implements StreamingClient {
  readonly #conn: Connection;
  readonly #emitter = new Emitter<StreamingClientEvents>();
  readonly #subs = new Map<string, SubscriptionImpl<any>>();
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #stallMarginMs: number;
  #faye: Client | undefined;
  #generation = 0;
  #token: string | undefined;
  #connected = false;
  #failures = 0;
  #recovering = false;
  #closed = false;
  #starting: Promise<void> | undefined;
  #stallTimer: NodeJS.Timeout | undefined;
  #adviceTimeoutMs = 110_000;
  #wake: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  // Set when the client's signal ended it: later subscriptions are born aborted with this.
  #aborted: { reason: unknown } | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#abort();
  // Cancels a token request or renewal still in flight when the client closes.
  readonly #life = new AbortController();

  constructor(conn: Connection, options: StreamingClientOptions) {
    this.#conn = conn;
    this.#initialMs = options.backoff?.initialMs ?? 500;
    this.#maxMs = options.backoff?.maxMs ?? 30_000;
    this.#stallMarginMs = options.stallMarginMs ?? 10_000;
    this.#signal = options.signal;
    if (this.#signal?.aborted) {
      this.#closed = true;
      this.#aborted = { reason: this.#signal.reason };
      this.#closing = Promise.resolve();
    } else {
      this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  get connected(): boolean {
    return this.#connected;
  }

  on<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this {
    this.#emitter.on(event, listener);
    return this;
  }

  off<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this {
    this.#emitter.off(event, listener);
    return this;
  }

  subscribe<T = StreamingMessage>(
    channel: string,
    options: SubscribeOptions = {},
    onEnd?: () => Promise<void>,
  ): Subscription<T> {
    if (this.#closed && !this.#aborted) {
      throw streamingError('the streaming client is closed', 'CLIENT_CLOSED');
    }
    if (!/^\/(topic|event|data|u)\/./.test(channel)) {
      throw new SalesforceError(
        `not a streaming channel: "${channel}" (expected /topic/, /event/, /data/ or /u/)`,
        { code: 'INVALID_ARGUMENT', source: SOURCE },
      );
    }
    if (this.#subs.has(channel)) {
      throw new SalesforceError(`already subscribed to ${channel} on this client`, {
        code: 'INVALID_ARGUMENT',
        source: SOURCE,
      });
    }
    const sub = new SubscriptionImpl<any>(
      channel,
      { store: options.replayStore, policy: options.onReplayUnavailable, signal: options.signal },
      async (s) => {
        await this.#remove(s);
        await onEnd?.();
      },
    );
    // Already aborted (the subscription's signal or the client's): an ended subscription whose
    // iterator and ready() reject with the reason, as a later abort would; nothing is sent.
    const aborted = sub.aborted ? { reason: options.signal?.reason } : this.#aborted;
    if (aborted) {
      sub.abort(aborted.reason);
      sub.endedBy(onEnd?.() ?? Promise.resolve());
      return sub as Subscription<T>;
    }
    this.#subs.set(channel, sub);
    void sub.init(options.replay).then(
      () => {
        if (sub.closed || this.#closed) return;
        if (this.#faye) this.#fayeSubscribe(this.#faye, sub);
        else this.#ensureStarted();
      },
      (error: unknown) => {
        if (this.#subs.get(channel) === sub) this.#subs.delete(channel);
        sub.fail(
          isSalesforceError(error)
            ? error
            : streamingError(`cannot read the replay store for ${channel}`, 'REPLAY_STORE_FAILED', error),
        );
      },
    );
    return sub as Subscription<T>;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown(undefined);
    return this.#closing;
  }

  #abort(): void {
    this.#closing ??= this.#shutdown({ reason: this.#signal?.reason });
    this.#closing.catch(() => {});
  }

  /** One ending for close() and an abort; subscriptions' unsubscribe() waits for it too. */
  async #shutdown(aborted: { reason: unknown } | undefined): Promise<void> {
    this.#closed = true;
    this.#aborted = aborted;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#life.abort();
    this.#wake?.();
    const subs = [...this.#subs.values()];
    this.#subs.clear();
    const ending = (async () => {
      // An abort settles pending iterators at once; close() lets in-flight messages land first.
      if (aborted) for (const sub of subs) sub.abort(aborted.reason);
      await this.#teardown(true);
      // Not a `disconnect` event: that one means "reconnecting".
      this.#connected = false;
      for (const sub of subs) sub.end();
      await Promise.all(subs.map((s) => s.flush().catch(() => {})));
    })();
    for (const sub of subs) sub.endedBy(ending);
    await ending;
  }

  // ---- lifecycle ----

  #ensureStarted(): void {
    if (this.#faye || this.#starting || this.#recovering || this.#closed) return;
    this.#starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
  }

  async #start(): Promise<void> {
    const generation = ++this.#generation;
    let token: string;
    try {
      token = (await this.#conn.credentials(this.#life.signal)).accessToken;
    } catch (error) {
      if (this.#closed) return;
      if (generation === this.#generation) this.#fatalOrRetry(error, 'could not get credentials');
      return;
    }
    if (this.#closed || generation !== this.#generation) return;
    const instanceUrl = this.#conn.instanceUrl;
    if (!instanceUrl) {
      this.#failAll(streamingError('the connection has no instanceUrl', 'INVALID_ARGUMENT'));
      return;
    }
    this.#token = token;
    const client = new faye.Client(`${instanceUrl}/cometd/${this.#conn.apiVersion}`, {
      timeout: this.#adviceTimeoutMs / 1000,
      retry: 5,
    });
    client.setHeader('Authorization', `Bearer ${token}`);
    client.addExtension({
      outgoing: (message, callback) => this.#outgoing(generation, message, callback),
      incoming: (message, callback) => this.#incoming(generation, message, callback),
    });
    client.on('transport:down', () => {
      if (generation === this.#generation) void this.#recover('network failure');
    });
    this.#faye = client;
    for (const sub of this.#subs.values()) this.#fayeSubscribe(client, sub);
  }

  #fayeSubscribe(client: Client, sub: SubscriptionImpl<any>): void {
    client
      .subscribe(sub.channel, (data) => sub.deliver(data))
      .then(
        () => {},
        () => {},
      );
  }

  #outgoing(generation: number, message: ClientMessage, callback: ClientCallback): void {
    if (generation !== this.#generation) {
      callback(null);
      return;
    }
    if (message.channel === '/meta/subscribe' && typeof message.subscription === 'string') {
      const sub = this.#subs.get(message.subscription);
      if (sub) message.ext = { ...message.ext, replay: { [sub.channel]: sub.replayFrom() } };
    } else if (message.channel === '/meta/connect') {
      clearTimeout(this.#stallTimer);
      this.#stallTimer = setTimeout(() => {
        if (generation === this.#generation) void this.#recover('stalled long-poll', { immediate: true });
      }, this.#adviceTimeoutMs + this.#stallMarginMs);
      this.#stallTimer.unref?.();
    }
    callback(message);
  }

  #incoming(generation: number, message: ClientMessage, callback: ClientCallback): void {
    if (generation !== this.#generation) {
      callback(null);
      return;
    }
    const error = message.error;
    switch (message.channel) {
      case '/meta/handshake': {
        if (message.successful) break;
        const reason = (message.ext?.sfdc?.failureReason as string | undefined) ?? error;
        if (isAuthFailure(reason) || isAuthFailure(error)) {
          void this.#recover('authentication invalid', { renew: true, immediate: true });
        } else {
          this.#emitError(
            streamingError(`handshake denied: ${reason ?? 'no reason given'}`, 'HANDSHAKE_DENIED'),
          );
          void this.#recover('handshake denied');
        }
        callback(null);
        return;
      }
      case '/meta/connect': {
        clearTimeout(this.#stallTimer);
        if (message.successful) {
          if (typeof message.advice?.timeout === 'number') this.#adviceTimeoutMs = message.advice.timeout;
          if (!this.#connected) {
            this.#connected = true;
            this.#failures = 0;
            this.#emitter.emit('connect');
          }
          break;
        }
        if (isAuthFailure(error))
          void this.#recover('authentication invalid', { renew: true, immediate: true });
        else if (/^403::Unknown client/.test(error ?? '') || message.advice?.reconnect === 'handshake') {
          void this.#recover('unknown client', { immediate: true });
        } else void this.#recover(`connect failed: ${error ?? 'unknown error'}`);
        callback(null);
        return;
      }
      case '/meta/subscribe': {
        const channel = typeof message.subscription === 'string' ? message.subscription : undefined;
        const sub = channel === undefined ? undefined : this.#subs.get(channel);
        if (message.successful) {
          sub?.acknowledged();
          break;
        }
        if (isAuthFailure(error))
          void this.#recover('authentication invalid', { renew: true, immediate: true });
        else if (/^403::Unknown client/.test(error ?? ''))
          void this.#recover('unknown client', { immediate: true });
        else if (sub && /replay ?id/i.test(error ?? '')) this.#replayUnavailable(sub, error ?? '');
        else if (sub) {
          this.#subs.delete(sub.channel);
          sub.fail(streamingError(`subscribe to ${sub.channel} failed: ${error}`, 'SUBSCRIBE_FAILED'));
        }
        callback(null);
        return;
      }
    }
    callback(message);
  }

  #replayUnavailable(sub: SubscriptionImpl<any>, error: string): void {
    const requested = sub.replayFrom();
    if (sub.fallBack()) {
      // faye resubscribes a channel only on a new handshake, so the session starts over.
      void this.#recover('replay id unavailable', { immediate: true });
      return;
    }
    this.#subs.delete(sub.channel);
    sub.fail(
      streamingError(
        `replay id ${requested} of ${sub.channel} is no longer retained by the server (${error})`,
        'REPLAY_ID_UNAVAILABLE',
      ),
    );
  }

  /** Throws the session away and starts another, after a backoff and a token renewal if asked. */
  async #recover(reason: string, how: { renew?: boolean; immediate?: boolean } = {}): Promise<void> {
    if (this.#closed || this.#recovering) return;
    this.#recovering = true;
    const rejected = this.#token;
    await this.#teardown(false);
    if (this.#connected) {
      this.#connected = false;
      this.#emitter.emit('disconnect', reason);
      for (const sub of this.#subs.values()) sub.disconnected(reason);
    }
    let renew = how.renew === true;
    let immediate = how.immediate === true;
    try {
      while (!this.#closed) {
        const delay = immediate && this.#failures === 0 ? 0 : this.#backoff();
        this.#failures++;
        immediate = false;
        if (delay > 0) await this.#sleep(delay);
        if (this.#closed) return;
        if (!renew || rejected === undefined) break;
        try {
          await this.#conn.renewCredentials(rejected, this.#life.signal);
          renew = false;
          break;
        } catch (error) {
          if (this.#closed) return;
          if (isSalesforceError(error, 'AUTH_FAILED')) {
            this.#failAll(
              streamingError('the session expired and could not be renewed', 'AUTH_FAILED', error),
            );
            return;
          }
          this.#emitError(streamingError('token renewal failed; retrying', 'AUTH_RENEWAL_FAILED', error));
        }
      }
    } finally {
      this.#recovering = false;
    }
    if (!this.#closed && this.#subs.size > 0) this.#ensureStarted();
  }

  #fatalOrRetry(error: unknown, what: string): void {
    if (isSalesforceError(error, 'AUTH_FAILED') || isSalesforceError(error, 'INVALID_ARGUMENT')) {
      this.#failAll(streamingError(what, 'AUTH_FAILED', error));
    } else {
      this.#emitError(streamingError(`${what}; retrying`, 'NETWORK', error));
      void this.#recover(what);
    }
  }

  #backoff(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#failures, 16));
    return Math.max(this.#initialMs / 2, Math.random() * ceiling);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #emitError(error: SalesforceError): void {
    this.#emitter.emit('error', error);
    for (const sub of this.#subs.values()) sub.error(error);
  }

  #failAll(error: SalesforceError): void {
    this.#emitter.emit('error', error);
    const subs = [...this.#subs.values()];
    this.#subs.clear();
    for (const sub of subs) sub.fail(error);
    void this.#teardown(false);
  }

  async #remove(sub: SubscriptionImpl<any>): Promise<void> {
    if (this.#subs.get(sub.channel) === sub) {
      this.#subs.delete(sub.channel);
      this.#faye?.unsubscribe(sub.channel);
    }
    sub.end();
    await sub.flush();
  }

  /** Stops the faye client: no timers, no requests, no further callbacks. */
  async #teardown(graceful: boolean): Promise<void> {
    clearTimeout(this.#stallTimer);
    const client = this.#faye;
    this.#faye = undefined;
    if (!client) {
      this.#generation++;
      return;
    }
    if (graceful && client._state === 3) {
      const bye = client.disconnect();
      if (bye) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          bye.then(
            () => {
              clearTimeout(timer);
              resolve();
            },
            () => {
              clearTimeout(timer);
              resolve();
            },
          );
        });
      }
    }
    this.#generation++;
    client._advice.reconnect = 'none';
    client._state = DISCONNECTED;
    const dispatcher = client._dispatcher;
    for (const envelope of dispatcher._envelopes.values()) {
      if (envelope.timer) clearTimeout(envelope.timer);
      envelope.timer = null;
      void envelope.request?.then((req: { destroy?: () => void } | undefined) => req?.destroy?.());
      envelope.request = null;
    }
    dispatcher._envelopes.clear();
    dispatcher.close();
  }
}
