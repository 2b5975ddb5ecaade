// What a streaming client and its subscriptions take and emit: the options and interfaces of
// createStreamingClient() and subscribe() (streaming-client.ts implements them).

import type { BackoffOptions, CallOptions, SalesforceError } from '@sf/core';
import type { ReplayStore } from './replay-store.js';
import type { ReplayPolicy, StreamingMessage, Subscription } from './subscription.js';

export interface StreamingClientOptions {
  /**
   * Reconnect delays, core's backoff: exponential from `initialMs` (500) by `factor` (2) up to
   * `maxMs` (30,000), with `jitter` `'equal'` by default (each wait between half the ceiling and
   * the ceiling); reset by any successful exchange.
   */
  backoff?: BackoffOptions;
  /**
   * A long-poll unanswered this long past the server's advised timeout (clamped to
   * [0, 300,000] ms; Salesforce advises 110,000) counts as stalled and the client reconnects.
   * 5,000 ms by default.
   */
  stallMarginMs?: number;
  /**
   * The deadline of every other exchange (handshake, subscribe, unsubscribe; a disconnect gets
   * at most 2,000 ms). 10,000 ms by default.
   */
  requestTimeoutMs?: number;
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
   * abort of the client's `signal`, waits for that same ending). `timeoutMs` bounds the
   * `/meta/disconnect` (2,000 ms by default); aborting `signal` cuts it short and rejects with
   * `signal.reason` at once: the client closes anyway and the replay stores are still written.
   */
  close(options?: CallOptions): Promise<void>;
  on<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this;
  off<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this;
  once<K extends keyof StreamingClientEvents>(event: K, listener: StreamingClientEvents[K]): this;
}
