// The emulator's Streaming API: the Bayeux endpoint, the retention buffer, and the sources of
// events (PushTopics, change data capture, platform events, generic streaming pushes), plus
// the fault injection tests need (`emu.streaming.dropAllClients()` and friends).

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { EmulatorContext } from '../context.js';
import { errorResponse, readBody, readJsonObject, sendJson } from '../http-util.js';
import { type RestContext, restRoute } from '../rest-guard.js';
import { type RequestContext, Router } from '../router.js';
import { formatDateTime } from '../field-values.js';
import { BayeuxServer } from './bayeux.js';
import {
  changeEventChannel,
  changeEventPayload,
  changeEventPayloadLater,
  objectOfChangeEventChannel,
} from './change-events.js';
import { PushTopicEvaluator } from './push-topics.js';
import { ReplayBuffer, type RetentionOptions } from './replay-buffer.js';

export interface StreamingOptions {
  /** Seconds a `/meta/connect` long-poll is held (the `advice.timeout`); 110 by default, as Salesforce. */
  timeoutSeconds?: number;
  /** How many events, and for how long, each channel keeps for replay. */
  retention?: RetentionOptions;
  /** Objects that publish change events: `'all'` (the default) or a list of names. */
  changeEvents?: 'all' | string[];
  /** Platform events (`Name__e`) the org defines from the start. */
  platformEvents?: PlatformEventDefinition[];
}

/** A custom platform event: `{ name: 'Order__e', fields: ['OrderId__c', 'Amount__c'] }`. */
export interface PlatformEventDefinition {
  /** API name, ending in `__e`. */
  name: string;
  /** Custom field names (ending in `__c`); leave out to accept any. */
  fields?: string[];
}

const SKIP_CHANGE_EVENTS = new Set(['PushTopic', 'Organization']);

/**
 * `emu.streaming`: publish events and inject the faults long-lived subscriptions must survive.
 *
 * @example
 * emu.streaming.definePlatformEvent({ name: 'Order__e' });
 * emu.streaming.dropAllClients(); // every client's next request: 403::Unknown client
 */
export class EmulatorStreaming {
  readonly buffer: ReplayBuffer;
  readonly #ctx: EmulatorContext;
  readonly #bayeux: BayeuxServer;
  readonly #topics: PushTopicEvaluator;
  readonly #events = new Map<string, PlatformEventDefinition>();
  readonly #channels = new Map<string, string>();
  readonly #routes = new Router();
  readonly #changeEvents: 'all' | Set<string>;
  readonly #unsubscribe: () => void;
  readonly #publishListeners = new Set<(channel: string) => void>();
  #eventCount = 0;
  #commitNumber = 0;

  constructor(ctx: EmulatorContext, options: StreamingOptions = {}) {
    this.#ctx = ctx;
    this.buffer = new ReplayBuffer(options.retention);
    this.#topics = new PushTopicEvaluator(ctx.store);
    this.#changeEvents =
      options.changeEvents === undefined || options.changeEvents === 'all'
        ? 'all'
        : new Set(options.changeEvents.map((n) => n.toLowerCase()));
    for (const def of options.platformEvents ?? []) this.definePlatformEvent(def);
    this.#bayeux = new BayeuxServer({
      sessions: ctx.sessions,
      buffer: this.buffer,
      timeoutSeconds: options.timeoutSeconds ?? 110,
      checkChannel: (channel) => this.#checkChannel(channel),
    });
    this.#unsubscribe = ctx.store.onChange((change) => {
      for (const n of this.#topics.notificationsFor(change)) this.publish(n.channel, n.build);
      if (SKIP_CHANGE_EVENTS.has(change.objectName)) return;
      if (this.#changeEvents !== 'all' && !this.#changeEvents.has(change.objectName.toLowerCase())) return;
      // With no client connected nobody receives the event now: it is kept unbuilt until a
      // replay asks for it (a Bulk ingest changes 200,000 rows, and most events are evicted unread).
      const later = this.#bayeux.clientCount === 0;
      const payload = later
        ? changeEventPayloadLater(change, ctx.apiVersion, ++this.#commitNumber)
        : (() => {
            const built = changeEventPayload(change, ctx.apiVersion, ++this.#commitNumber);
            return () => built;
          })();
      for (const channel of [changeEventChannel(change.objectName), '/data/ChangeEvents']) {
        const build = (replayId: number) => ({
          schema: schemaId(channel),
          payload: payload(),
          event: { replayId },
        });
        if (later) this.buffer.appendLater(channel, build);
        else this.publish(channel, build);
      }
    });
    this.#registerRoutes();
  }

  /** Declares a platform event; `POST /sobjects/{name}` then publishes on `/event/{name}`. */
  definePlatformEvent(def: PlatformEventDefinition): void {
    if (!/^\w+__e$/.test(def.name)) {
      throw new TypeError(`[@sf/emulator] platform event names end in __e: ${def.name}`);
    }
    this.#events.set(def.name.toLowerCase(), def);
  }

  /** Creates (or finds) a generic streaming channel `/u/...` and returns its StreamingChannel id. */
  createChannel(name: string): string {
    if (!name.startsWith('/u/'))
      throw new TypeError(`[@sf/emulator] generic channels start with /u/: ${name}`);
    let id = this.#channels.get(name);
    if (!id) {
      // A channel is a StreamingChannel record, so it can be queried, retrieved and described.
      const row = [...this.#ctx.store.rows('StreamingChannel')].find((r) => r.Name === name);
      id =
        (row?.Id as string | undefined) ??
        this.#ctx.store.insert('StreamingChannel', { Name: name }, { asSystem: true });
      this.#channels.set(name, id);
    }
    return id;
  }

  /** Retains an event (the replay id goes into `build`'s result) and delivers it to subscribers. */
  publish(channel: string, build: (replayId: number) => Record<string, unknown>): number {
    const event = this.buffer.append(channel, build);
    this.#bayeux.publish(channel, event.data);
    for (const listener of this.#publishListeners) listener(channel);
    return event.replayId;
  }

  /**
   * @internal Hears the channel of every event retained by {@link publish} (change events,
   * PushTopics, REST publishing, `emu.streaming.publish`), after it was retained: how the
   * Pub/Sub server serves the same events. Returns the function that stops listening.
   */
  onPublish(listener: (channel: string) => void): () => void {
    this.#publishListeners.add(listener);
    return () => this.#publishListeners.delete(listener);
  }

  /** @internal The platform event named `name` (any case), its fields as names, if defined. */
  platformEvent(name: string): PlatformEventDefinition | undefined {
    const def = this.#events.get(name.toLowerCase());
    if (!def) return undefined;
    if (def.fields === undefined) return { name: def.name };
    // Declarations may be typed (`{ name, type }`, see startEmulator's `streaming.platformEvents`).
    const fields = (def.fields as ReadonlyArray<unknown>).map((f) =>
      typeof f === 'string' ? f : (f as { name: string }).name,
    );
    return { name: def.name, fields };
  }

  /** Every connected client is forgotten; its next request is answered `403::Unknown client`. */
  dropAllClients(): void {
    this.#bayeux.dropAllClients();
  }

  /** A new Bayeux server replaces the running one; retained events survive. */
  restartServer(): void {
    this.#bayeux.restart();
  }

  /** The next `count` long-polls are never answered, as a stalled proxy would leave them. */
  stallNextConnects(count = 1): void {
    this.#bayeux.stallNextConnects(count);
  }

  /**
   * Cuts every long-poll the server is holding right now (its connection destroyed, no answer),
   * as a load balancer's idle timeout or a proxy restart does; returns how many were cut.
   */
  cutLongPolls(): number {
    return this.#bayeux.cutLongPolls();
  }

  /**
   * The next `count` long-poll answers that carry events are cut in the middle of their body:
   * the server has taken those events off the client's queue, so only a replay brings them back.
   */
  cutNextDeliveries(count = 1): void {
    this.#bayeux.cutNextDeliveries(count);
  }

  /** Every access token stops working (clients must renew and handshake again). */
  expireSessions(): void {
    this.#ctx.sessions.expireAll();
  }

  /** Clients with a live handshake. */
  get clientCount(): number {
    return this.#bayeux.clientCount;
  }

  /** Answers CometD and streaming REST requests; false for anything else. */
  async handle(rc: RequestContext): Promise<boolean> {
    if (BayeuxServer.handles(rc.url.pathname)) {
      this.#bayeux.handle(rc.req, rc.res);
      return true;
    }
    const match = this.#routes.match(rc.method, rc.url.pathname);
    if (match.kind !== 'found') return false;
    const name = match.params.sobject;
    if (name !== undefined && !/__e$/i.test(name) && name !== 'StreamingChannel') return false;
    rc.params = match.params;
    if (match.params.composite !== undefined) return this.#collections(rc, match.handler);
    await match.handler(rc);
    return true;
  }

  /**
   * sObject Collections whose records are all platform events are published here; any other
   * collection goes, body and all, to the module that serves collections.
   */
  async #collections(
    rc: RequestContext,
    mine: (rc: RequestContext) => void | Promise<void>,
  ): Promise<boolean> {
    const body = await readBody(rc.req);
    let records: unknown;
    try {
      records = (JSON.parse(body.toString('utf8')) as { records?: unknown }).records;
    } catch {
      records = undefined;
    }
    const replay = Object.assign(Readable.from([body]), {
      headers: rc.req.headers,
      method: rc.req.method,
      url: rc.req.url,
    }) as unknown as IncomingMessage;
    const events =
      Array.isArray(records) &&
      records.length > 0 &&
      records.every((r) =>
        /__e$/i.test(String((r as { attributes?: { type?: unknown } })?.attributes?.type ?? '')),
      );
    const other = this.#ctx.router.match(rc.method, rc.url.pathname);
    if (!events && other.kind === 'found') {
      await other.handler({ ...rc, req: replay, params: other.params });
    } else {
      await mine({ ...rc, req: replay });
    }
    return true;
  }

  close(): void {
    this.#unsubscribe();
    this.#bayeux.close();
  }

  #checkChannel(channel: string): string | undefined {
    const missing = `400::The channel you requested to subscribe to does not exist {${channel}}`;
    if (channel.startsWith('/topic/')) return this.#topics.exists(channel.slice(7)) ? undefined : missing;
    if (channel.startsWith('/event/'))
      return this.#events.has(channel.slice(7).toLowerCase()) ? undefined : missing;
    if (channel === '/data/ChangeEvents') return undefined;
    if (channel.startsWith('/data/')) {
      const object = objectOfChangeEventChannel(channel);
      return object && this.#ctx.store.describe(object) ? undefined : missing;
    }
    if (/^\/u\/[\w/-]+$/.test(channel)) {
      // Dynamic streaming channel creation, as orgs with the setting on allow.
      this.createChannel(channel);
      return undefined;
    }
    return missing;
  }

  #publishPlatformEvent(rc: RestContext, name: string, body: Record<string, unknown>) {
    const def = this.#events.get(name.toLowerCase());
    if (!def)
      throw errorResponse(404, { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
    const payload: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'attributes') continue;
      const field =
        def.fields?.find((f) => f.toLowerCase() === key.toLowerCase()) ?? (def.fields ? undefined : key);
      if (!field) {
        throw errorResponse(400, {
          errorCode: 'INVALID_FIELD',
          message: `No such column '${key}' on sobject of type ${def.name}`,
        });
      }
      payload[field] = value;
    }
    payload.CreatedDate = formatDateTime(new Date());
    payload.CreatedById = rc.session.userId;
    const eventUuid = crypto.randomUUID();
    const id = `e00${String(++this.#eventCount).padStart(12, '0')}AAA`;
    this.publish(`/event/${def.name}`, (replayId) => ({
      schema: schemaId(def.name),
      payload,
      event: { EventUuid: eventUuid, replayId },
    }));
    return { id, success: true, errors: [] as unknown[] };
  }

  #registerRoutes(): void {
    const r = this.#routes;
    const base = '/services/data/:version';
    r.add(
      'POST',
      `${base}/sobjects/:sobject`,
      restRoute(this.#ctx, async (rc) => {
        const name = rc.params.sobject ?? '';
        const body = await readJsonObject(rc.req);
        if (name === 'StreamingChannel') {
          const channel = String(body.Name ?? '');
          if (!/^\/u\/[\w/-]+$/.test(channel)) {
            throw errorResponse(400, {
              errorCode: 'FIELD_INTEGRITY_EXCEPTION',
              message: 'Streaming Channel Name: generic streaming channel names start with /u/',
            });
          }
          if (this.#channels.has(channel)) {
            throw errorResponse(400, {
              errorCode: 'DUPLICATE_VALUE',
              message: `duplicate value found: Name`,
            });
          }
          return sendJson(rc.res, 201, { id: this.createChannel(channel), success: true, errors: [] });
        }
        sendJson(rc.res, 201, this.#publishPlatformEvent(rc, name, body));
      }),
    );
    r.add(
      'POST',
      `${base}/sobjects/:sobject/:id/push`,
      restRoute(this.#ctx, async (rc) => {
        const channel =
          (this.#ctx.store.get('StreamingChannel', rc.params.id ?? '')?.Name as string | undefined) ??
          [...this.#channels].find(([, id]) => id === rc.params.id)?.[0];
        if (rc.params.sobject !== 'StreamingChannel' || !channel) {
          throw errorResponse(404, {
            errorCode: 'NOT_FOUND',
            message: 'The requested resource does not exist',
          });
        }
        const body = await readJsonObject(rc.req);
        const pushEvents = Array.isArray(body.pushEvents)
          ? (body.pushEvents as Record<string, unknown>[])
          : [];
        for (const push of pushEvents) {
          const payload = push.payload;
          const createdDate = formatDateTime(new Date());
          this.publish(channel, (replayId) => ({ event: { createdDate, replayId }, payload }));
        }
        // One push result per push event, in an array, as Salesforce answers.
        sendJson(
          rc.res,
          200,
          pushEvents.map(() => ({ fanoutCount: -1, userOnlineStatus: {} })),
        );
      }),
    );
    // sObject Collections carrying platform events (when no other module serves collections).
    r.add(
      'POST',
      `${base}/:composite/sobjects`,
      restRoute(this.#ctx, async (rc) => {
        if (rc.params.composite !== 'composite') {
          throw errorResponse(404, {
            errorCode: 'NOT_FOUND',
            message: 'The requested resource does not exist',
          });
        }
        const body = await readJsonObject(rc.req);
        const records = Array.isArray(body.records) ? (body.records as Record<string, unknown>[]) : [];
        const results = records.map((record) => {
          const type = String((record.attributes as { type?: unknown } | undefined)?.type ?? '');
          try {
            return this.#publishPlatformEvent(rc, type, record);
          } catch {
            return {
              success: false,
              errors: [
                {
                  statusCode: 'INVALID_TYPE',
                  message: `Only platform events are supported here: ${type}`,
                  fields: [],
                },
              ],
            };
          }
        });
        sendJson(rc.res, 200, results);
      }),
    );
  }
}

const schemaIds = new Map<string, string>();
/** A stable stand-in for Salesforce's schema id (a hash of the event's fields), computed once. */
function schemaId(name: string): string {
  let id = schemaIds.get(name);
  if (id === undefined) schemaIds.set(name, (id = computeSchemaId(name)));
  return id;
}

function computeSchemaId(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36).padStart(22, 'x').slice(0, 22);
}
