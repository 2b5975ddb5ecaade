// The CometD client: a small Bayeux long-polling client whose every exchange goes through the
// connection's request machinery (bayeux-exchange.ts), and a supervisor that decides what to do
// when the stream breaks. Any broken session (expired token, unknown client, a failed or
// unanswered exchange, a body cut short) is handled the same way: the session is thrown away
// and a new one handshakes and resubscribes from the newest replay id received, after renewing
// the token when the server refused it. A new session, never a retried long-poll with the same
// client id: what the server wrote into a long-poll that was cut is gone from its queue, and
// only a subscribe with a replay id brings it back.
//
// One file over the ~400 lines of CONVENTIONS.md rule 7, on purpose: it is one state machine (a
// session's handshake, subscribes, long-polls, recovery and backoff) whose steps share the
// supervisor's private state, which a split would have to expose to each part. Everything that
// stands alone is elsewhere: options and interfaces (streaming-types.ts), one HTTP exchange
// (bayeux-exchange.ts), the advice (bayeux-advice.ts), cookies, subscriptions, replay cursors.

import {
  type BackoffOptions,
  type CallOptions,
  type Connection,
  computeBackoff,
  Emitter,
  isSalesforceError,
  type SalesforceError,
  type SalesforceErrorCode,
  salesforceError,
  promiseForm,
  refuseCallback,
  refuseCredentials,
} from '@sf/core';
import { type Advice, applyAdvice, DEFAULT_ADVICE } from './bayeux-advice.js';
import { type BayeuxMessage, exchange } from './bayeux-exchange.js';
import { CookieJar } from './cookie-jar.js';
import { type StreamingMessage, type Subscription, SubscriptionImpl } from './subscription.js';
import type {
  StreamingClient,
  StreamingClientEvents,
  StreamingClientOptions,
  SubscribeOptions,
} from './streaming-types.js';
import { untilAborted } from './until-aborted.js';

const SOURCE = '@sf/streaming';

function streamingError(message: string, code: SalesforceErrorCode, cause?: unknown): SalesforceError {
  return salesforceError(SOURCE, code, message, cause === undefined ? {} : { cause });
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
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseCredentials(SOURCE, 'createStreamingClient()', arguments);
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
  refuseListener('subscribe', "subscribe(conn, topic(name)).on('message', fn)", options);
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseCredentials(SOURCE, 'subscribe()', arguments);
  // The signal belongs to the subscription, whose ending closes the client.
  const { signal: _signal, ...clientOptions } = options;
  const client = new Supervisor(conn, clientOptions);
  return client.subscribe<T>(channel, options, (goodbye) => client.close(goodbye));
}

/** One handshake's life: its client id, and a controller that ends every exchange it has in flight. */
interface Session {
  readonly generation: number;
  readonly controller: AbortController;
  clientId: string | undefined;
  /** The token the handshake went out with: the one to report as refused. */
  readonly token: string;
  /** A long-poll of this session has succeeded. */
  connected: boolean;
  /** Subscriptions sent on this session. */
  readonly subscribed: WeakSet<SubscriptionImpl<any>>;
}

const DISCONNECT_DEADLINE_MS = 2_000;

/** How long a goodbye exchange may take, and the caller's signal that may cut it short. */
interface Goodbye {
  deadlineMs: number;
  signal: AbortSignal | undefined;
}

class Supervisor implements StreamingClient {
  readonly #conn: Connection;
  readonly #emitter = new Emitter<StreamingClientEvents>({
    events: ['connect', 'disconnect', 'error'],
    source: '@sf/streaming',
  });
  readonly #subs = new Map<string, SubscriptionImpl<any>>();
  // Subscriptions whose replay store was read: a handshake subscribes these.
  readonly #startable = new WeakSet<SubscriptionImpl<any>>();
  readonly #backoffOptions: BackoffOptions;
  readonly #stallMarginMs: number;
  readonly #requestTimeoutMs: number;
  readonly #cookies = new CookieJar();
  #session: Session | undefined;
  #generation = 0;
  #messageId = 0;
  #advice: Advice = { ...DEFAULT_ADVICE, reconnect: undefined };
  #connected = false;
  // Failed attempts since the last successful exchange (any exchange): the backoff exponent.
  #failures = 0;
  // Refused tokens since the last successful exchange: the first renews at once.
  #authFailures = 0;
  #recovering = false;
  #closed = false;
  #starting: Promise<void> | undefined;
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
    this.#backoffOptions = {
      jitter: 'equal',
      ...options.backoff,
      initialMs: nonNegative(options.backoff?.initialMs, 500, 'backoff.initialMs'),
      maxMs: nonNegative(options.backoff?.maxMs, 30_000, 'backoff.maxMs'),
    };
    this.#stallMarginMs = nonNegative(options.stallMarginMs, 5_000, 'stallMarginMs');
    this.#requestTimeoutMs = nonNegative(options.requestTimeoutMs, 10_000, 'requestTimeoutMs');
    // Every other call takes { signal, timeoutMs }; here it would be ignored, silently.
    if ((options as { timeoutMs?: unknown }).timeoutMs !== undefined) {
      throw streamingError(
        'a streaming client takes requestTimeoutMs (the deadline of each handshake, subscribe and unsubscribe exchange), not timeoutMs: a subscription runs until it is ended (unsubscribe(), close() or the signal)',
        'INVALID_ARGUMENT',
      );
    }
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

  once<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this {
    this.#emitter.once(event, listener);
    return this;
  }

  subscribe<T = StreamingMessage>(
    channel: string,
    options: SubscribeOptions = {},
    onEnd?: (options?: CallOptions) => Promise<void>,
  ): Subscription<T> {
    if (this.#closed && !this.#aborted) {
      throw streamingError('the streaming client is closed', 'CLIENT_CLOSED');
    }
    refuseListener('client.subscribe', "client.subscribe(topic(name)).on('message', fn)", options);
    // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
    refuseCredentials(SOURCE, 'client.subscribe()', arguments);
    if (typeof channel !== 'string' || !/^\/(topic|event|data|u)\/./.test(channel)) {
      throw streamingError(
        `not a streaming channel: "${String(channel)}" (expected /topic/, /event/, /data/ or /u/)`,
        'INVALID_ARGUMENT',
      );
    }
    if (this.#subs.has(channel)) {
      throw streamingError(`already subscribed to ${channel} on this client`, 'INVALID_ARGUMENT');
    }
    const sub = new SubscriptionImpl<any>(
      channel,
      { store: options.replayStore, policy: options.onReplayUnavailable, signal: options.signal },
      async (s, goodbye) => {
        await this.#remove(s, goodbye);
        // The caller's signal rejects its own promise; the ending itself goes on to the end.
        await onEnd?.(goodbye)?.catch((error: unknown) => {
          if (error !== goodbye?.signal?.reason) throw error;
        });
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
        if (sub.closed || this.#closed || this.#subs.get(channel) !== sub) return;
        this.#startable.add(sub);
        const session = this.#session;
        // A session not yet confirmed subscribes every startable subscription once it is.
        if (session?.connected) void this.#subscribeAll(session, [sub]);
        else this.#ensureStarted();
      },
      (error: unknown) => {
        if (this.#subs.get(channel) === sub) this.#subs.delete(channel);
        sub.fail(
          isSalesforceError(error)
            ? error
            : streamingError(`cannot read the replay store for ${channel}`, 'REPLAY_STORE_FAILED', error),
        );
        sub.release();
      },
    );
    return sub as Subscription<T>;
  }

  close(options: CallOptions = {}): Promise<void> {
    // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
    refuseCallback('@sf/streaming', 'close()', arguments, promiseForm('await client.close()'));
    this.#closing ??= this.#shutdown(undefined, this.#goodbye(options));
    return untilAborted(this.#closing, options.signal);
  }

  /** The deadline and signal of a goodbye exchange (`/meta/unsubscribe`, `/meta/disconnect`). */
  #goodbye(options: CallOptions): { deadlineMs: number; signal: AbortSignal | undefined } {
    const fallback = Math.min(this.#requestTimeoutMs, DISCONNECT_DEADLINE_MS);
    return {
      deadlineMs: nonNegative(options.timeoutMs, fallback, 'timeoutMs'),
      signal: options.signal,
    };
  }

  #abort(): void {
    this.#closing ??= this.#shutdown({ reason: this.#signal?.reason });
    this.#closing.catch(() => {});
  }

  /** One ending for close() and an abort; subscriptions' unsubscribe() waits for it too. */
  async #shutdown(aborted: { reason: unknown } | undefined, goodbye?: Goodbye): Promise<void> {
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
      await this.#teardown(true, goodbye);
      // Not a `disconnect` event: that one means "reconnecting".
      this.#connected = false;
      for (const sub of subs) sub.end();
      await Promise.all(subs.map((s) => s.flush().catch(() => {})));
    })();
    for (const sub of subs) sub.endedBy(ending);
    await ending;
  }

  // ---- one session: handshake, subscribe, long-poll ----

  #ensureStarted(): void {
    if (this.#session || this.#starting || this.#recovering || this.#closed) return;
    this.#starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
  }

  #current(session: Session): boolean {
    return !this.#closed && this.#session === session && session.generation === this.#generation;
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
    if (!this.#conn.instanceUrl) {
      this.#failAll(streamingError('the connection has no instanceUrl', 'INVALID_ARGUMENT'));
      return;
    }
    const session: Session = {
      generation,
      controller: new AbortController(),
      clientId: undefined,
      token,
      connected: false,
      subscribed: new WeakSet(),
    };
    this.#session = session;
    const replies = await this.#send(
      session,
      [
        {
          channel: '/meta/handshake',
          version: '1.0',
          minimumVersion: '1.0',
          supportedConnectionTypes: ['long-polling'],
        },
      ],
      this.#requestTimeoutMs,
    );
    if (!replies) return;
    const reply = replies.find((m) => m.channel === '/meta/handshake');
    if (!reply) return this.#malformed(session, 'the handshake answer has no /meta/handshake reply');
    this.#advice = applyAdvice(this.#advice, reply.advice);
    if (!reply.successful) {
      const reason = (reply.ext?.sfdc?.failureReason as string | undefined) ?? reply.error;
      if (isAuthFailure(reason) || isAuthFailure(reply.error)) {
        void this.#recover('authentication invalid', { renew: true });
      } else {
        this.#emitError(
          streamingError(`handshake denied: ${reason ?? 'no reason given'}`, 'HANDSHAKE_DENIED'),
        );
        void this.#recover('handshake denied');
      }
      return;
    }
    if (typeof reply.clientId !== 'string' || reply.clientId === '') {
      return this.#malformed(session, 'the handshake reply has no clientId');
    }
    this.#succeeded();
    session.clientId = reply.clientId;
    this.#dispatch(replies);
    // As CometD clients do against Salesforce: the first long-poll (answered at once) confirms
    // the session, and the subscriptions go out once it is answered.
    void this.#longPoll(session);
  }

  /** Subscribes with each subscription's replay id; false when the session broke meanwhile. */
  async #subscribeAll(session: Session, subs: SubscriptionImpl<any>[]): Promise<boolean> {
    const clientId = session.clientId;
    if (clientId === undefined) return false;
    for (const sub of subs) session.subscribed.add(sub);
    const messages: BayeuxMessage[] = subs.map((sub) => ({
      channel: '/meta/subscribe',
      clientId,
      subscription: sub.channel,
      ext: { replay: { [sub.channel]: sub.replayFrom() } },
    }));
    const replies = await this.#send(session, messages, this.#requestTimeoutMs);
    if (!replies) return false;
    const answers = messages.map((m) =>
      replies.find(
        (r) => r.channel === '/meta/subscribe' && (r.id === m.id || r.subscription === m.subscription),
      ),
    );
    if (answers.some((a) => a === undefined)) {
      this.#malformed(session, 'the subscribe answer has no reply for every subscription');
      return false;
    }
    this.#dispatch(replies);
    for (const [i, sub] of subs.entries()) this.#subscribed(session, sub, answers[i] as BayeuxMessage);
    return this.#current(session);
  }

  #subscribed(session: Session, sub: SubscriptionImpl<any>, reply: BayeuxMessage): void {
    if (!this.#current(session)) return;
    const error = reply.error;
    if (reply.successful) {
      this.#succeeded();
      if (this.#subs.get(sub.channel) === sub) sub.acknowledged();
      return;
    }
    if (isAuthFailure(error)) void this.#recover('authentication invalid', { renew: true });
    else if (/^403::Unknown client/.test(error ?? ''))
      void this.#recover('unknown client', { immediate: true });
    else if (this.#subs.get(sub.channel) !== sub) return;
    else if (/replay ?id/i.test(error ?? '')) this.#replayUnavailable(session, sub, error ?? '');
    else {
      this.#subs.delete(sub.channel);
      sub.fail(streamingError(`subscribe to ${sub.channel} failed: ${error}`, 'SUBSCRIBE_FAILED'));
      sub.release();
    }
  }

  /** The `/meta/connect` loop: each long-poll's deadline is the advised hold plus the margin. */
  async #longPoll(session: Session): Promise<void> {
    const clientId = session.clientId;
    while (clientId !== undefined && this.#current(session)) {
      const replies = await this.#send(
        session,
        [
          {
            channel: '/meta/connect',
            clientId,
            connectionType: 'long-polling',
            // As CometD clients do: the first long-poll is answered at once, which confirms the session.
            ...(session.connected ? {} : { advice: { timeout: 0 } }),
          },
        ],
        this.#advice.timeoutMs + this.#stallMarginMs,
      );
      if (!replies) return;
      this.#dispatch(replies);
      if (!this.#current(session)) return;
      const reply = replies.find((m) => m.channel === '/meta/connect');
      if (!reply) return this.#malformed(session, 'the long-poll answer has no /meta/connect reply');
      this.#advice = applyAdvice(this.#advice, reply.advice);
      if (!reply.successful) {
        const error = reply.error;
        if (isAuthFailure(error)) void this.#recover('authentication invalid', { renew: true });
        else if (/^403::Unknown client/.test(error ?? '') || this.#advice.reconnect === 'handshake') {
          void this.#recover('unknown client', { immediate: true });
        } else void this.#recover(`connect failed: ${error ?? 'unknown error'}`);
        return;
      }
      this.#succeeded();
      if (!session.connected) {
        session.connected = true;
        if (!this.#connected) {
          this.#connected = true;
          this.#emitter.emit('connect');
        }
        const subs = [...this.#subs.values()].filter(
          (s) => this.#startable.has(s) && !session.subscribed.has(s),
        );
        if (subs.length > 0) void this.#subscribeAll(session, subs);
      }
      if (this.#advice.intervalMs > 0) {
        const waited = await sleepUnless(this.#advice.intervalMs, session.controller.signal);
        if (!waited) return;
      }
    }
  }

  /**
   * One exchange of the session, with ids on the messages; undefined when it failed (the failure
   * is handled here) or the session was thrown away meanwhile.
   */
  async #send(
    session: Session,
    messages: BayeuxMessage[],
    deadlineMs: number,
  ): Promise<BayeuxMessage[] | undefined> {
    for (const message of messages) message.id = String(++this.#messageId);
    const what = messages[0]?.channel ?? 'exchange';
    try {
      const replies = await exchange(this.#conn, messages, {
        deadlineMs,
        signal: session.controller.signal,
        cookies: this.#cookies,
        what,
      });
      return this.#current(session) ? replies : undefined;
    } catch (error) {
      if (this.#current(session)) this.#exchangeFailed(what, error);
      return undefined;
    }
  }

  /** What a failed exchange means: renew on HTTP 401, a stalled long-poll, or a broken network. */
  #exchangeFailed(what: string, error: unknown): void {
    if (!isSalesforceError(error)) {
      void this.#recover('network failure');
      return;
    }
    if (error.status === 401) {
      void this.#recover('authentication invalid', { renew: true });
    } else if (error.code === 'AUTH_FAILED') {
      // The connection's own renewal on a 401 failed for good.
      this.#failAll(streamingError('the session expired and could not be renewed', 'AUTH_FAILED', error));
    } else if (error.code === 'TIMEOUT' && what === '/meta/connect') {
      void this.#recover('stalled long-poll', { immediate: true });
    } else if (error.status !== undefined) {
      void this.#recover(`HTTP ${error.status} on ${what}`);
    } else if (error.code === 'MALFORMED_RESPONSE') {
      void this.#recover(`malformed answer to ${what}`);
    } else {
      void this.#recover('network failure');
    }
  }

  #malformed(session: Session, why: string): void {
    if (this.#current(session)) void this.#recover(`malformed answer: ${why}`);
  }

  /** Data messages go to their channel's subscription, in the order the server sent them. */
  #dispatch(replies: BayeuxMessage[]): void {
    for (const message of replies) {
      if (message.channel.startsWith('/meta/') || message.data === undefined) continue;
      this.#subs.get(message.channel)?.deliver(message.data);
    }
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#authFailures = 0;
  }

  #replayUnavailable(session: Session, sub: SubscriptionImpl<any>, error: string): void {
    const requested = sub.replayFrom();
    if (sub.fallBack()) {
      void this.#subscribeAll(session, [sub]);
      return;
    }
    this.#subs.delete(sub.channel);
    sub.fail(
      streamingError(
        `replay id ${requested} of ${sub.channel} is no longer retained by the server (${error})`,
        'REPLAY_ID_UNAVAILABLE',
      ),
    );
    sub.release();
  }

  /**
   * Throws the session away and starts another: a refused token is renewed and the handshake
   * sent at once (after a backoff only if the renewed token is refused too); an unknown client
   * handshakes at once; anything else after a backoff. Every successful exchange resets it.
   */
  async #recover(reason: string, how: { renew?: boolean; immediate?: boolean } = {}): Promise<void> {
    if (this.#closed || this.#recovering) return;
    this.#recovering = true;
    const rejected = this.#session?.token;
    await this.#teardown(false);
    if (this.#connected) {
      this.#connected = false;
      this.#emitter.emit('disconnect', reason);
      for (const sub of this.#subs.values()) sub.disconnected(reason);
    }
    let renew = how.renew === true;
    let immediate = renew ? this.#authFailures === 0 : how.immediate === true && this.#failures === 0;
    if (renew) this.#authFailures++;
    try {
      while (!this.#closed) {
        const delay = immediate ? 0 : this.#backoff();
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
    return computeBackoff(this.#failures, this.#backoffOptions);
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

  async #remove(sub: SubscriptionImpl<any>, options: CallOptions = {}): Promise<void> {
    const goodbye = this.#goodbye(options);
    if (this.#subs.get(sub.channel) === sub) {
      this.#subs.delete(sub.channel);
      const session = this.#session;
      if (session?.clientId !== undefined && session.subscribed.has(sub)) {
        // Best effort: the session goes on for the other channels whatever the answer.
        await exchange(
          this.#conn,
          [
            {
              channel: '/meta/unsubscribe',
              clientId: session.clientId,
              subscription: sub.channel,
              id: String(++this.#messageId),
            },
          ],
          {
            deadlineMs: goodbye.deadlineMs,
            signal: goodbye.signal
              ? AbortSignal.any([session.controller.signal, goodbye.signal])
              : session.controller.signal,
            cookies: this.#cookies,
            what: '/meta/unsubscribe',
          },
        ).catch(() => {});
      }
    }
    sub.end();
    await sub.flush();
  }

  /** Ends the session: every exchange in flight is aborted; `graceful` says goodbye to the server. */
  async #teardown(graceful: boolean, goodbye?: Goodbye): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#generation++;
    if (!session) return;
    session.controller.abort(streamingError('the CometD session ended', 'SESSION_ENDED'));
    if (!graceful || session.clientId === undefined) return;
    await exchange(
      this.#conn,
      [{ channel: '/meta/disconnect', clientId: session.clientId, id: String(++this.#messageId) }],
      {
        deadlineMs: goodbye?.deadlineMs ?? Math.min(this.#requestTimeoutMs, DISCONNECT_DEADLINE_MS),
        signal: goodbye?.signal ?? new AbortController().signal,
        cookies: this.#cookies,
        what: '/meta/disconnect',
      },
    ).catch(() => {});
  }
}

/**
 * node-salesforce's `conn.topic(name).subscribe(fn)` (its README in shared/seeds/) passed the
 * message listener here; it would be taken for options and never called, so it is refused.
 */
function refuseListener(name: string, usage: string, options: unknown): void {
  if (typeof options === 'function') {
    throw streamingError(
      `${name}() takes options, not a listener: it returns a Subscription. Write \`${usage}\` (node-salesforce's conn.topic(name).subscribe(fn))`,
      'INVALID_ARGUMENT',
    );
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw streamingError(`${name} must be a finite number of milliseconds, at least 0`, 'INVALID_ARGUMENT');
  }
  return Math.min(value, 2 ** 31 - 1);
}

/** Waits `ms`; false if the signal fired first. */
function sleepUnless(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
