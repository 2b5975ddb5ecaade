/// <reference path="./faye.d.ts" />
// The CometD endpoint: faye's Bayeux server at /cometd/NN.0, taught Salesforce's manners. A
// server extension checks the bearer token, validates channels, answers replay requests from
// the retention buffer and rewrites faye's error strings into Salesforce's.

import type { IncomingMessage, ServerResponse } from 'node:http';
import faye, { type FayeMessage, type NodeAdapter, type ServerCallback } from 'faye';
import { bearerToken } from '../http-util.js';
import type { SessionRegistry } from '../sessions.js';
import { LongPollCutter } from './long-poll-cutter.js';
import type { ReplayBuffer, RetainedEvent } from './replay-buffer.js';

export interface BayeuxOptions {
  sessions: SessionRegistry;
  buffer: ReplayBuffer;
  /** Seconds a `/meta/connect` long-poll is held open (Salesforce advises 110). */
  timeoutSeconds: number;
  /** Why a channel cannot be subscribed to, in Salesforce's words; undefined when it can. */
  checkChannel(channel: string): string | undefined;
}

const UNKNOWN_CLIENT = /^401:[^:]*:Unknown client$/;
const HANDSHAKE_DENIED = '403::Handshake denied';
const AUTH_INVALID = '401::Authentication invalid';

/** Salesforce's answer to a replay id it no longer (or never) retained. */
export function invalidReplayIdError(replayId: unknown): string {
  return `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
}

/** One faye Bayeux server; `restart()` replaces it, so every client becomes unknown. */
export class BayeuxServer {
  readonly #options: BayeuxOptions;
  #adapter: NodeAdapter;
  readonly #clients = new Set<string>();
  /** Replays waiting for their subscribe reply, keyed by client, channel and message id. */
  readonly #pendingReplays = new Map<string, RetainedEvent[]>();
  #stalls = 0;
  readonly #cutter = new LongPollCutter();
  /** Clients whose first `/meta/connect` was answered (Salesforce answers that one at once). */
  readonly #polled = new Set<string>();

  constructor(options: BayeuxOptions) {
    this.#options = options;
    this.#adapter = this.#create();
  }

  /** Whether a request path belongs to the CometD endpoint. */
  static handles(path: string): boolean {
    return /^\/cometd\/\d{2,3}\.0(\/|$)/.test(path);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.#cutter.track(req, res);
    this.#adapter.handle(req, res);
  }

  /** Delivers `data` to the channel's current subscribers. */
  publish(channel: string, data: Record<string, unknown>): void {
    // Without a handshaken client nobody can receive it (later ones replay from the buffer);
    // faye's publish costs microseconds each, and a Bulk ingest publishes one per row.
    if (this.#clients.size === 0) return;
    this.#adapter._server._engine.publish({ channel, data });
  }

  /** Client ids with a live handshake. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Forgets every client: their next request is answered `403::Unknown client`. */
  dropAllClients(): void {
    const engine = this.#adapter._server._engine;
    for (const clientId of [...this.#clients]) engine.destroyClient(clientId);
    this.#clients.clear();
    this.#polled.clear();
  }

  /** Replaces the Bayeux server with a new one (retained events survive, clients do not). */
  restart(): void {
    const old = this.#adapter;
    this.#clients.clear();
    this.#polled.clear();
    this.#pendingReplays.clear();
    this.#adapter = this.#create();
    old.close();
  }

  /** The next `count` `/meta/connect` requests are never answered (a stalled long-poll). */
  stallNextConnects(count: number): void {
    this.#stalls += Math.max(0, count);
  }

  /** Destroys the connections of the long-polls held right now; returns how many were cut. */
  cutLongPolls(): number {
    return this.#cutter.cutHeld();
  }

  /** The next `count` long-poll answers carrying events are cut mid-body (those events are lost to that client). */
  cutNextDeliveries(count: number): void {
    this.#cutter.cutNextDeliveries(count);
  }

  close(): void {
    this.#adapter.close();
  }

  #create(): NodeAdapter {
    // Mounted at /cometd so one server answers every API version's /cometd/NN.0.
    const adapter = new faye.NodeAdapter({ mount: '/cometd', timeout: this.#options.timeoutSeconds });
    adapter.on('disconnect', (clientId) => this.#polled.delete(clientId));
    // A message with no HTTP request is the server's own: it passes as it is, both ways.
    const fromClients =
      (handle: (message: FayeMessage, request: IncomingMessage, callback: ServerCallback) => void) =>
      (message: FayeMessage, request: IncomingMessage | null, callback: ServerCallback) =>
        request === null ? callback(message) : handle(message, request, callback);
    adapter.addExtension({
      incoming: fromClients((message, request, callback) => this.#incoming(message, request, callback)),
      outgoing: fromClients((message, _request, callback) => this.#outgoing(adapter, message, callback)),
    });
    return adapter;
  }

  #incoming(message: FayeMessage, request: IncomingMessage, callback: ServerCallback): void {
    const channel = message.channel;
    if (channel === '/meta/connect') this.#cutter.markLongPoll(request);
    if (channel === '/meta/connect' && this.#stalls > 0) {
      this.#stalls--;
      return; // never answered
    }
    if (
      channel === '/meta/connect' &&
      typeof message.clientId === 'string' &&
      !this.#polled.has(message.clientId)
    ) {
      // Salesforce answers a client's first long-poll at once, with the advice; faye would hold
      // it (it reads a requested timeout of 0 as "the default"), so ask it for 1 ms.
      this.#polled.add(message.clientId);
      message.advice = { ...(message.advice as object | undefined), timeout: 1 };
    }
    if (!channel.startsWith('/meta/')) {
      message.error = '403::Publish denied';
      callback(message);
      return;
    }
    if (channel === '/meta/disconnect' || channel === '/meta/unsubscribe') {
      callback(message);
      return;
    }
    const token = bearerToken(request);
    const session = token ? this.#options.sessions.lookup(token) : undefined;
    if (!session) {
      message.error = channel === '/meta/handshake' ? HANDSHAKE_DENIED : AUTH_INVALID;
      callback(message);
      return;
    }
    if (channel !== '/meta/subscribe') {
      callback(message);
      return;
    }

    const subscriptions = ([] as string[]).concat(message.subscription ?? []);
    for (const sub of subscriptions) {
      const problem = this.#options.checkChannel(sub);
      if (problem) {
        message.error = problem;
        callback(message);
        return;
      }
      const requested = (message.ext?.replay as Record<string, unknown> | undefined)?.[sub];
      if (requested === undefined) continue;
      const replayId = Number(requested);
      const replay = this.#options.buffer.since(sub, replayId);
      if (!replay.ok) {
        message.error = invalidReplayIdError(requested);
        callback(message);
        return;
      }
      if (replay.events.length > 0) {
        this.#pendingReplays.set(`${message.clientId}|${sub}|${message.id}`, replay.events);
      }
    }
    callback(message);
  }

  #outgoing(adapter: NodeAdapter, message: FayeMessage, callback: ServerCallback): void {
    if (typeof message.error === 'string' && UNKNOWN_CLIENT.test(message.error)) {
      message.error = '403::Unknown client';
      message.advice = { reconnect: 'handshake', interval: 0 };
    }
    switch (message.channel) {
      case '/meta/handshake':
        if (message.successful && message.clientId) {
          this.#clients.add(message.clientId);
          message.supportedConnectionTypes = ['long-polling'];
          message.ext = { replay: true, 'payload.format': true };
        } else if (message.error === HANDSHAKE_DENIED) {
          message.ext = { sfdc: { failureReason: AUTH_INVALID }, replay: true, 'payload.format': true };
          message.advice = { reconnect: 'none' };
        }
        break;
      case '/meta/connect':
        if (message.error === AUTH_INVALID) message.advice = { reconnect: 'none' };
        break;
      case '/meta/disconnect':
        if (message.successful && message.clientId) {
          this.#clients.delete(message.clientId);
          this.#polled.delete(message.clientId);
        }
        break;
      case '/meta/subscribe':
        if (message.error === AUTH_INVALID) message.advice = { reconnect: 'none' };
        for (const sub of ([] as string[]).concat(message.subscription ?? [])) {
          const key = `${message.clientId}|${sub}|${message.id}`;
          const events = this.#pendingReplays.get(key);
          this.#pendingReplays.delete(key);
          if (events && message.successful && message.clientId)
            this.#deliver(adapter, message.clientId, sub, events);
        }
        break;
    }
    callback(message);
  }

  /** Queues replayed events for one client, ahead of anything published after this moment. */
  #deliver(adapter: NodeAdapter, clientId: string, channel: string, events: RetainedEvent[]): void {
    const memory = adapter._server._engine._engine;
    const queue: unknown[] = memory._messages.get(clientId) ?? [];
    for (const event of events) queue.push({ channel, data: structuredClone(event.data) });
    memory._messages.set(clientId, queue);
    memory.emptyQueue(clientId);
  }
}
