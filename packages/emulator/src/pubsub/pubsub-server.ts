// The emulator's Pub/Sub API: a gRPC server (insecure h2c, 127.0.0.1 only) serving the same
// platform events and change events as the CometD side, from the same retention buffer, with
// Subscribe honouring num_requested, keepalives, ManagedSubscribe with server-side commits,
// Publish and PublishStream, and the faults long-lived clients must survive.
// One file because every RPC shares the stream registry and the fault switches.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { EmulatorContext } from '../context.js';
import { formatDateTime } from '../field-values.js';
import type { RetainedEvent } from '../streaming/replay-buffer.js';
import type { EmulatorStreaming, PlatformEventDefinition } from '../streaming/streaming.js';
import {
  type CompiledSchema,
  changeEventSchema,
  type EventFieldType,
  platformEventSchema,
} from './avro-schemas.js';
import { EXACT_PAYLOAD, type EncodedEvent, encodeChangeEvent, encodePlatformEvent } from './event-codec.js';

// From src/pubsub/ and from dist/pubsub/ alike (the .proto ships in src/).
const PROTO_PATH = fileURLToPath(new URL('../../src/pubsub/pubsub_api.proto', import.meta.url));

/** @internal The org's platform events by name (any case): the streaming side's definitions. */
export interface PlatformEvents {
  get(name: string): PlatformEventDefinition | undefined;
}

export interface PubSubOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** An empty FetchResponse (keepalive) after this long without one; 270,000 by default, Salesforce's bound. */
  keepaliveIntervalMs?: number;
  /** Avro types of platform event fields, by event: `{ Order__e: { Amount__c: 'double' } }`; others are strings. */
  eventFields?: Record<string, Record<string, EventFieldType>>;
  /** Managed subscriptions (Salesforce: ManagedEventSubscription records) the org has. */
  managedSubscriptions?: ManagedSubscriptionDefinition[];
}

export interface ManagedSubscriptionDefinition {
  developerName: string;
  topicName: string;
  /** Where a subscription with no commit starts; LATEST by default. */
  defaultReplay?: 'LATEST' | 'EARLIEST';
}

/** One open Subscribe or ManagedSubscribe stream, as tests observe it. */
export interface PubSubStreamInfo {
  readonly kind: 'Subscribe' | 'ManagedSubscribe';
  readonly topic: string;
  /** Events the client asked for and has not been sent yet. */
  readonly pending: number;
  /** The largest `pending` ever was on this stream. */
  readonly maxPending: number;
  readonly sent: number;
}

const AUTH_ERROR = 'sfdc.platform.eventbus.grpc.service.auth.error';
const REPLAY_CORRUPTED = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
const MAX_REQUESTED = 100;

class GrpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    errorCode?: string,
  ) {
    super(details);
    this.metadata = new grpc.Metadata();
    if (errorCode) this.metadata.set('error-code', errorCode);
  }
  readonly metadata: grpc.Metadata;
}

function replayBytes(id: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(Math.max(0, id)));
  return buf;
}

function replayNumber(bytes: Buffer | undefined): number | undefined {
  if (bytes?.length !== 8) return undefined;
  const n = bytes.readBigUInt64BE(0);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(n);
}

interface StreamState extends PubSubStreamInfo {
  kind: 'Subscribe' | 'ManagedSubscribe';
  topic: string;
  pending: number;
  maxPending: number;
  sent: number;
  cursor: number;
  token: string;
  silenced: boolean;
  lastSentAt: number;
  managed?: { name: string };
  call: grpc.ServerDuplexStream<any, any>;
}

/**
 * `emu.pubsub`: the gRPC server's address, what its streams are doing, and fault injection.
 *
 * @example
 * const emu = await startEmulator({ pubsub: true });
 * emu.pubsub!.dropStreams(); // every Subscribe stream ends UNAVAILABLE
 */
export class EmulatorPubSub {
  readonly port: number;
  /** `http://127.0.0.1:PORT` (insecure h2c). */
  readonly url: string;
  readonly #server: grpc.Server;
  readonly #ctx: EmulatorContext;
  readonly #streaming: EmulatorStreaming;
  readonly #options: PubSubOptions;
  readonly #streams = new Set<StreamState>();
  readonly #schemas = new Map<string, CompiledSchema>();
  readonly #eventSchemas = new Map<string, CompiledSchema>();
  readonly #changeSchemas = new Map<string, CompiledSchema>();
  readonly #platformEvents: PlatformEvents;
  readonly #managed = new Map<string, ManagedSubscriptionDefinition & { committed?: number }>();
  readonly #keepalive: NodeJS.Timeout;
  #corruptReplayIds = 0;
  #failEvents = 0;
  /** Subscribe and ManagedSubscribe calls received. */
  subscribeCalls = 0;

  private constructor(
    server: grpc.Server,
    port: number,
    ctx: EmulatorContext,
    streaming: EmulatorStreaming,
    platformEvents: PlatformEvents,
    options: PubSubOptions,
  ) {
    this.#server = server;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.#ctx = ctx;
    this.#streaming = streaming;
    this.#platformEvents = platformEvents;
    this.#options = options;
    for (const def of options.managedSubscriptions ?? []) this.defineManagedSubscription(def);
    const interval = options.keepaliveIntervalMs ?? 270_000;
    this.#keepalive = setInterval(
      () => this.#sendKeepalives(interval),
      Math.max(5, Math.min(interval, 1000) / 2),
    );
    this.#keepalive.unref();
  }

  /** @internal Started by `startEmulator({ pubsub })`. */
  static async start(
    ctx: EmulatorContext,
    streaming: EmulatorStreaming,
    platformEvents: PlatformEvents,
    options: PubSubOptions,
  ): Promise<EmulatorPubSub> {
    const definition = protoLoader.loadSync(PROTO_PATH, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: false,
    });
    const service = (grpc.loadPackageDefinition(definition) as any).eventbus.v1.PubSub.service;
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const pubsub = new EmulatorPubSub(server, port, ctx, streaming, platformEvents, options);
    server.addService(service, pubsub.#handlers());
    return pubsub;
  }

  /** The open streams, oldest first. */
  get streams(): readonly PubSubStreamInfo[] {
    return [...this.#streams];
  }

  /** Declares a managed subscription (Salesforce: a ManagedEventSubscription record). */
  defineManagedSubscription(def: ManagedSubscriptionDefinition): void {
    this.#managed.set(def.developerName, { ...def });
  }

  /** The replay id (8 bytes, base64) last committed for a managed subscription. */
  committedReplayId(developerName: string): string | undefined {
    const c = this.#managed.get(developerName)?.committed;
    return c === undefined ? undefined : replayBytes(c).toString('base64');
  }

  // --- fault injection ----------------------------------------------------------------

  /** Ends every open stream with `UNAVAILABLE` (or `INTERNAL`, as an `RST_STREAM` reaches grpc-js clients); returns how many. */
  dropStreams(options: { status?: 'UNAVAILABLE' | 'INTERNAL' } = {}): number {
    const count = this.#streams.size;
    const internal = options.status === 'INTERNAL';
    for (const s of [...this.#streams]) {
      this.#endStream(
        s,
        new GrpcError(
          internal ? grpc.status.INTERNAL : grpc.status.UNAVAILABLE,
          internal
            ? 'Received RST_STREAM with code 2 (Internal server error)'
            : 'the emulator dropped the stream',
        ),
      );
    }
    return count;
  }

  /** Closes every HTTP/2 connection at once (streams die with them); the port keeps listening. */
  dropConnections(): void {
    this.#server.drain(`127.0.0.1:${this.port}`, 0);
  }

  /** Open streams stop answering (no events, no keepalives) until the client gives up on them. */
  silenceStreams(): number {
    for (const s of this.#streams) s.silenced = true;
    return this.#streams.size;
  }

  /** Every access token stops working; open streams end `UNAUTHENTICATED`, as an expired session does. */
  expireSessions(): void {
    this.#ctx.sessions.expireAll();
    for (const s of [...this.#streams]) {
      this.#endStream(s, new GrpcError(grpc.status.UNAUTHENTICATED, 'the session expired', AUTH_ERROR));
    }
  }

  /** The next `count` subscriptions starting from a replay id are refused as corrupted. */
  corruptNextReplayIds(count = 1): void {
    this.#corruptReplayIds += count;
  }

  /** The next `count` published events each get a PUBLISH error result (the others in their request are published). */
  failNextEvents(count = 1): void {
    this.#failEvents += count;
  }

  close(): void {
    clearInterval(this.#keepalive);
    for (const s of [...this.#streams])
      this.#endStream(s, new GrpcError(grpc.status.UNAVAILABLE, 'shutting down'));
    this.#server.forceShutdown();
  }

  /** @internal The CometD side retained an event: serve it to streams on its channel. */
  published(channel: string): void {
    for (const s of this.#streams) if (s.topic === channel) this.#pump(s);
  }

  // --- topics and schemas -----------------------------------------------------------------

  #platformSchema(name: string): CompiledSchema | undefined {
    const def = this.#platformEvents.get(name.toLowerCase());
    if (!def) return undefined;
    let schema = this.#eventSchemas.get(def.name);
    if (!schema) {
      schema = platformEventSchema(def.name, def.fields, this.#options.eventFields?.[def.name]);
      this.#eventSchemas.set(def.name, schema);
      this.#schemas.set(schema.id, schema);
    }
    return schema;
  }

  #changeSchema(objectName: string): CompiledSchema | undefined {
    const describe = this.#ctx.store.describe(objectName);
    if (!describe) return undefined;
    let schema = this.#changeSchemas.get(describe.name);
    if (!schema) {
      const entity = `${describe.name.replace(/__c$/, '__')}ChangeEvent`;
      schema = changeEventSchema(describe, entity);
      this.#changeSchemas.set(describe.name, schema);
      this.#schemas.set(schema.id, schema);
    }
    return schema;
  }

  /** The topic's kind and schema; throws NOT_FOUND for topics the org does not have. */
  #topic(name: string): { kind: 'event' | 'change'; schema: CompiledSchema | undefined } {
    if (name.startsWith('/event/')) {
      const schema = this.#platformSchema(name.slice(7));
      if (schema) return { kind: 'event', schema };
    } else if (name === '/data/ChangeEvents') {
      return { kind: 'change', schema: undefined };
    } else {
      const m = /^\/data\/(\w+?)(__)?ChangeEvent$/.exec(name);
      const object = m?.[1] ? (m[2] ? `${m[1]}__c` : m[1]) : undefined;
      const schema = object ? this.#changeSchema(object) : undefined;
      if (schema) return { kind: 'change', schema };
    }
    throw new GrpcError(
      grpc.status.NOT_FOUND,
      `topic not found: ${name}`,
      'sfdc.platform.eventbus.grpc.service.topic.notfound',
    );
  }

  #encode(topic: string, data: Record<string, unknown>): EncodedEvent {
    if (topic.startsWith('/event/')) return encodePlatformEvent(this.#platformSchema(topic.slice(7))!, data);
    const header = (data.payload as { ChangeEventHeader?: { entityName?: string } } | undefined)
      ?.ChangeEventHeader;
    return encodeChangeEvent(this.#changeSchema(header?.entityName ?? '')!, data);
  }

  // --- auth -------------------------------------------------------------------------------

  #authenticate(metadata: grpc.Metadata): string {
    const token = String(metadata.get('accesstoken')[0] ?? '');
    const tenant = String(metadata.get('tenantid')[0] ?? '');
    const instance = String(metadata.get('instanceurl')[0] ?? '');
    if (!token || !this.#ctx.sessions.lookup(token)) {
      throw new GrpcError(grpc.status.UNAUTHENTICATED, 'the access token is invalid or expired', AUTH_ERROR);
    }
    if (tenant !== this.#ctx.store.orgId || !instance) {
      throw new GrpcError(
        grpc.status.UNAUTHENTICATED,
        'tenantid and instanceurl must name this org',
        AUTH_ERROR,
      );
    }
    return token;
  }

  // --- the RPCs ---------------------------------------------------------------------------

  #handlers(): grpc.UntypedServiceImplementation {
    const unary =
      (fn: (request: any, metadata: grpc.Metadata) => unknown) =>
      (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
        try {
          this.#authenticate(call.metadata);
          callback(null, fn(call.request, call.metadata) as any);
        } catch (error) {
          callback(error as grpc.ServiceError);
        }
      };
    return {
      GetTopic: unary((request: { topicName: string }) => {
        const topic = this.#topic(request.topicName);
        return {
          topicName: request.topicName,
          tenantGuid: this.#ctx.store.orgId,
          canPublish: topic.kind === 'event',
          canSubscribe: true,
          schemaId: topic.schema?.id ?? '',
          rpcId: crypto.randomUUID(),
        };
      }),
      GetSchema: unary((request: { schemaId: string }) => {
        const schema = this.#schemas.get(request.schemaId);
        if (!schema) throw new GrpcError(grpc.status.NOT_FOUND, `no schema ${request.schemaId}`);
        return { schemaJson: schema.json, schemaId: schema.id, rpcId: crypto.randomUUID() };
      }),
      Publish: unary((request: any, metadata) => this.#publish(request, metadata)),
      PublishStream: (call: grpc.ServerDuplexStream<any, any>) => {
        call.on('data', (request) => {
          try {
            this.#authenticate(call.metadata);
            call.write(this.#publish(request, call.metadata));
          } catch (error) {
            call.emit('error', error);
          }
        });
        call.on('end', () => call.end());
        call.on('error', () => {});
      },
      Subscribe: (call: grpc.ServerDuplexStream<any, any>) => this.#subscribe(call, 'Subscribe'),
      ManagedSubscribe: (call: grpc.ServerDuplexStream<any, any>) =>
        this.#subscribe(call, 'ManagedSubscribe'),
    };
  }

  #publish(request: { topicName: string; events: any[] }, metadata: grpc.Metadata) {
    const token = String(metadata.get('accesstoken')[0] ?? '');
    const userId = this.#ctx.sessions.lookup(token)?.userId ?? '';
    const topic = this.#topic(request.topicName);
    if (topic.kind !== 'event' || !topic.schema) {
      throw new GrpcError(grpc.status.PERMISSION_DENIED, `publishing to ${request.topicName} is not allowed`);
    }
    const schema = topic.schema;
    const results = (request.events ?? []).map((event: { id: string; schemaId: string; payload: Buffer }) => {
      const correlationKey = event.id || crypto.randomUUID();
      const failure = (msg: string) => ({
        replayId: Buffer.alloc(0),
        error: { code: 'PUBLISH', msg },
        correlationKey,
      });
      if (event.schemaId !== schema.id)
        return failure(`schema ${event.schemaId} is not the topic's schema ${schema.id}`);
      if (event.payload.length > 1024 * 1024) return failure('the event is larger than 1 MB');
      if (this.#failEvents > 0) {
        this.#failEvents--;
        return failure('the emulator refused this event (failNextEvents)');
      }
      let record: Record<string, unknown>;
      try {
        record = schema.type.fromBuffer(event.payload) as Record<string, unknown>;
      } catch (error) {
        return failure(`the payload does not decode with the topic's schema: ${(error as Error).message}`);
      }
      // As Salesforce does, the server sets who published and when.
      record.CreatedById = userId;
      record.CreatedDate = Date.now();
      const exact: EncodedEvent = {
        id: correlationKey,
        schemaId: schema.id,
        payload: schema.type.toBuffer(record),
      };
      const payload: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record)) {
        payload[k] = typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v;
      }
      payload.CreatedDate = formatDateTime(new Date(record.CreatedDate as number));
      const replayId = this.#streaming.publish(request.topicName, (rid) => {
        const data: Record<string, unknown> = {
          schema: schema.id,
          payload,
          event: { EventUuid: correlationKey, replayId: rid },
        };
        Object.defineProperty(data, EXACT_PAYLOAD, { value: exact, enumerable: false });
        return data;
      });
      return { replayId: replayBytes(replayId), error: null, correlationKey };
    });
    return { results, schemaId: schema.id, rpcId: crypto.randomUUID() };
  }

  #subscribe(call: grpc.ServerDuplexStream<any, any>, kind: 'Subscribe' | 'ManagedSubscribe'): void {
    this.subscribeCalls++;
    let state: StreamState | undefined;
    call.on('error', () => {});
    call.on('cancelled', () => state && this.#streams.delete(state));
    call.on('end', () => {
      if (state) this.#endStream(state, undefined);
      else call.end();
    });
    call.on('data', (request: any) => {
      try {
        const token = this.#authenticate(call.metadata);
        if (!state) {
          state =
            kind === 'Subscribe'
              ? this.#openSubscribe(call, request, token)
              : this.#openManaged(call, request, token);
          this.#streams.add(state);
          this.#send(state, []);
        }
        if (kind === 'ManagedSubscribe' && request.commitReplayIdRequest)
          this.#commit(state, request.commitReplayIdRequest);
        const n = Number(request.numRequested ?? 0);
        if (n < 0 || n > MAX_REQUESTED) {
          throw new GrpcError(
            grpc.status.INVALID_ARGUMENT,
            `num_requested must be between 1 and ${MAX_REQUESTED}`,
          );
        }
        state.pending += n;
        state.maxPending = Math.max(state.maxPending, state.pending);
        this.#pump(state);
      } catch (error) {
        if (state) this.#endStream(state, error as GrpcError);
        else call.emit('error', error);
      }
    });
  }

  #openSubscribe(call: grpc.ServerDuplexStream<any, any>, request: any, token: string): StreamState {
    const topic = String(request.topicName ?? '');
    this.#topic(topic);
    let cursor: number;
    const retained = this.#streaming.buffer.since(topic, -2);
    const events = retained.ok ? retained.events : [];
    if (request.replayPreset === 'CUSTOM') {
      const id = replayNumber(request.replayId);
      const corrupt = this.#corruptReplayIds > 0;
      if (corrupt) this.#corruptReplayIds--;
      if (corrupt || id === undefined || !this.#streaming.buffer.since(topic, id).ok) {
        throw new GrpcError(
          grpc.status.INVALID_ARGUMENT,
          'The Replay ID validation failed.',
          REPLAY_CORRUPTED,
        );
      }
      cursor = id;
    } else if (request.replayPreset === 'EARLIEST') {
      cursor = (events[0]?.replayId ?? this.#latest(topic) + 1) - 1;
    } else {
      cursor = this.#latest(topic);
    }
    return this.#state(call, 'Subscribe', topic, cursor, token);
  }

  #openManaged(call: grpc.ServerDuplexStream<any, any>, request: any, token: string): StreamState {
    const name = String(request.developerName || request.subscriptionId || '');
    const def = this.#managed.get(name) ?? [...this.#managed.values()].find((d) => d.developerName === name);
    if (!def) throw new GrpcError(grpc.status.NOT_FOUND, `no managed subscription ${name}`);
    this.#topic(def.topicName);
    const retained = this.#streaming.buffer.since(def.topicName, -2);
    const first = retained.ok ? retained.events[0]?.replayId : undefined;
    const cursor =
      def.committed ??
      (def.defaultReplay === 'EARLIEST'
        ? (first ?? this.#latest(def.topicName) + 1) - 1
        : this.#latest(def.topicName));
    const state = this.#state(call, 'ManagedSubscribe', def.topicName, cursor, token);
    state.managed = { name: def.developerName };
    return state;
  }

  #latest(topic: string): number {
    const retained = this.#streaming.buffer.since(topic, -2);
    const last = retained.ok ? retained.events[retained.events.length - 1] : undefined;
    // Nothing retained: 0 stands for "before the first", which every later id follows.
    return last?.replayId ?? 0;
  }

  #state(
    call: grpc.ServerDuplexStream<any, any>,
    kind: StreamState['kind'],
    topic: string,
    cursor: number,
    token: string,
  ): StreamState {
    return {
      kind,
      topic,
      pending: 0,
      maxPending: 0,
      sent: 0,
      cursor,
      token,
      silenced: false,
      lastSentAt: 0,
      call,
    };
  }

  #commit(state: StreamState, request: { commitRequestId: string; replayId: Buffer }): void {
    const def = state.managed && this.#managed.get(state.managed.name);
    const id = replayNumber(request.replayId);
    const ok = def !== undefined && id !== undefined;
    if (ok) def.committed = id;
    this.#write(state, {
      events: [],
      latestReplayId: replayBytes(state.cursor),
      pendingNumRequested: state.pending,
      commitResponse: {
        commitRequestId: request.commitRequestId,
        replayId: request.replayId,
        error: ok ? null : { code: 'COMMIT', msg: 'the replay id cannot be committed' },
        processTime: String(Date.now()),
      },
    });
  }

  /** Sends what the client asked for and the retention buffer holds after the stream's cursor. */
  #pump(state: StreamState): void {
    if (state.silenced || state.pending <= 0 || !this.#streams.has(state)) return;
    const replay = this.#streaming.buffer.since(state.topic, state.cursor);
    if (!replay.ok) {
      // The cursor fell out of retention while the stream was open: go on from what is retained.
      const all = this.#streaming.buffer.since(state.topic, -2);
      if (!all.ok || all.events.length === 0) return;
      state.cursor = (all.events[0] as RetainedEvent).replayId - 1;
      this.#pump(state);
      return;
    }
    let events = replay.events;
    while (state.pending > 0 && events.length > 0) {
      const batch = events.slice(0, state.pending);
      events = events.slice(batch.length);
      state.pending -= batch.length;
      state.cursor = (batch[batch.length - 1] as RetainedEvent).replayId;
      this.#send(state, batch);
    }
  }

  #send(state: StreamState, batch: RetainedEvent[]): void {
    const events = batch.map((e) => {
      const encoded = this.#encode(state.topic, e.data);
      return {
        event: { id: encoded.id, schemaId: encoded.schemaId, payload: encoded.payload, headers: [] },
        replayId: replayBytes(e.replayId),
      };
    });
    state.sent += events.length;
    this.#write(state, {
      events,
      latestReplayId: replayBytes(state.cursor),
      rpcId: '',
      pendingNumRequested: state.pending,
    });
  }

  #write(state: StreamState, response: Record<string, unknown>): void {
    if (state.silenced) return;
    state.lastSentAt = Date.now();
    state.call.write(response);
  }

  #sendKeepalives(interval: number): void {
    const now = Date.now();
    for (const s of this.#streams) {
      if (now - s.lastSentAt < interval) continue;
      if (!this.#ctx.sessions.lookup(s.token)) {
        this.#endStream(s, new GrpcError(grpc.status.UNAUTHENTICATED, 'the session expired', AUTH_ERROR));
        continue;
      }
      this.#write(s, {
        events: [],
        latestReplayId: replayBytes(s.cursor),
        rpcId: '',
        pendingNumRequested: s.pending,
      });
    }
  }

  #endStream(state: StreamState, error: GrpcError | undefined): void {
    if (!this.#streams.delete(state) && error === undefined) {
      state.call.end();
      return;
    }
    if (error) state.call.emit('error', error);
    else state.call.end();
  }
}
