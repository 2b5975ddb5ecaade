// Publish and PublishStream: payloads Avro-encoded with the topic's schema (GetTopic, then
// GetSchema, both cached), sent in requests of at most 200 events and about 3 MB (Salesforce's
// recommendation; 4 MB is the gRPC message limit, 1 MB the event limit), with one result per
// event in the shape every per-record API of the toolkit answers with.

import type * as grpc from '@grpc/grpc-js';
import { type CallOptions, type Connection, refuseOldArguments, type SalesforceError } from '@sf/core';
import type { AvroCodec } from './avro.js';
import { clientOf, type PubSubClient } from './client.js';
import { classify, errorFromGrpc, pubsubError } from './errors.js';
import { type ReplayId, replayIdFromBytes } from './replay-id.js';

/** An event to publish: its payload, and optionally your correlation key (else a UUID). */
export interface PublishEvent {
  payload: Record<string, unknown>;
  id?: string;
}

/** One error of a failed event (the toolkit's `RecordError` shape). */
export interface PublishError {
  errorCode: string;
  message: string;
  fields: string[];
}

/** One event's outcome, at the event's `index` in what was published. */
export interface PublishResult {
  /** The correlation key: yours, or the generated one. */
  id: string;
  success: boolean;
  errors: PublishError[];
  index: number;
  /** The published event's replay id. */
  replayId?: ReplayId;
}

const MAX_EVENTS_PER_REQUEST = 200;
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
const MAX_EVENT_BYTES = 1024 * 1024;

interface Encoded {
  id: string;
  schemaId: string;
  payload: Buffer;
  index: number;
}

function asEvent(value: Record<string, unknown> | PublishEvent): PublishEvent {
  const keys = Object.keys(value);
  const wrapped =
    typeof (value as PublishEvent).payload === 'object' &&
    (value as PublishEvent).payload !== null &&
    keys.every((k) => k === 'payload' || k === 'id');
  return wrapped ? (value as PublishEvent) : { payload: value as Record<string, unknown> };
}

async function encodeAll(
  client: PubSubClient,
  topic: string,
  events: ReadonlyArray<Record<string, unknown> | PublishEvent>,
  options: CallOptions,
): Promise<{ codec: AvroCodec; schemaId: string; encoded: Encoded[] }> {
  if (!Array.isArray(events)) throw pubsubError('INVALID_ARGUMENT', 'events must be an array');
  const info = await client.getTopic(topic, options);
  if (!info.canPublish) throw pubsubError('INVALID_ARGUMENT', `${topic} cannot be published to`);
  const codec = await client.schema(info.schemaId, options);
  const credentials = await client.connection.credentials(options.signal);
  const encoded = events.map((value, index) => {
    const event = asEvent(value);
    // Salesforce sets both itself, but the schema requires them.
    const payload = { CreatedDate: Date.now(), CreatedById: credentials.userId ?? '', ...event.payload };
    const bytes = codec.encode(payload);
    if (bytes.length > MAX_EVENT_BYTES) {
      throw pubsubError(
        'INVALID_ARGUMENT',
        `event ${index} is ${bytes.length} bytes; the Pub/Sub API takes at most 1 MB`,
      );
    }
    return { id: event.id ?? crypto.randomUUID(), schemaId: info.schemaId, payload: bytes, index };
  });
  return { codec, schemaId: info.schemaId, encoded };
}

/** Requests of at most 200 events and about 3 MB. */
function batches(encoded: Encoded[]): Encoded[][] {
  const out: Encoded[][] = [];
  let current: Encoded[] = [];
  let bytes = 0;
  for (const e of encoded) {
    if (
      current.length > 0 &&
      (current.length >= MAX_EVENTS_PER_REQUEST || bytes + e.payload.length > MAX_REQUEST_BYTES)
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.payload.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

interface WireResult {
  replayId: Buffer;
  error?: { code: string; msg: string } | null;
  correlationKey: string;
}

function resultsOf(batch: Encoded[], results: WireResult[]): PublishResult[] {
  const byKey = new Map(results.map((r) => [r.correlationKey, r]));
  return batch.map((e, i) => {
    const r = byKey.get(e.id) ?? results[i];
    if (!r) {
      return {
        id: e.id,
        success: false,
        errors: [
          { errorCode: 'UNKNOWN', message: 'the server returned no result for this event', fields: [] },
        ],
        index: e.index,
      };
    }
    if (r.error) {
      return {
        id: e.id,
        success: false,
        errors: [{ errorCode: r.error.code, message: r.error.msg, fields: [] }],
        index: e.index,
      };
    }
    const replayId = replayIdFromBytes(r.replayId);
    return { id: e.id, success: true, errors: [], index: e.index, ...(replayId ? { replayId } : {}) };
  });
}

function wire(batch: Encoded[]) {
  return batch.map((e) => ({ id: e.id, schemaId: e.schemaId, payload: e.payload, headers: [] }));
}

/**
 * Publishes platform events; resolves with one result per event, failures included
 * (`success: false` with Salesforce's error), and rejects only when the call itself failed.
 *
 * @example
 * const results = await publish(conn, '/event/Order__e', [{ OrderNumber__c: 'A-1' }]);
 * for (const r of results) if (!r.success) console.log(r.index, r.errors[0]?.message);
 */
export async function publish(
  target: Connection | PubSubClient,
  topic: string,
  events: ReadonlyArray<Record<string, unknown> | PublishEvent>,
  options: CallOptions = {},
): Promise<PublishResult[]> {
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseOldArguments('@sf/pubsub', 'publish()', arguments, { data: [2] });
  const client = clientOf(target);
  const { encoded } = await encodeAll(client, topic, events, options);
  const out: PublishResult[] = [];
  for (const batch of batches(encoded)) {
    const response = await client.unary<{ results: WireResult[] }>(
      'Publish',
      { topicName: topic, events: wire(batch) },
      `Publish ${topic}`,
      options,
    );
    out.push(...resultsOf(batch, response.results ?? []));
  }
  return out;
}

/**
 * One PublishStream for many publishes: requests go out without waiting for earlier answers,
 * each `publish()` resolves with its events' results. A failed stream rejects what was in
 * flight; the next `publish()` opens a new one (renewing the session if it had expired).
 */
export class PublishStream {
  readonly topic: string;
  readonly #client: PubSubClient;
  #call: grpc.ClientDuplexStream<unknown, { results: WireResult[] }> | undefined;
  #token = '';
  readonly #pending = new Map<
    string,
    {
      batch: Encoded[];
      settled: Promise<unknown>;
      resolve: (r: PublishResult[]) => void;
      reject: (e: unknown) => void;
    }
  >();

  /** @internal Use `publishStream()`. */
  constructor(client: PubSubClient, topic: string) {
    this.#client = client;
    this.topic = topic;
  }

  /** Publishes `events` on the stream; resolves with one result per event. */
  async publish(
    events: ReadonlyArray<Record<string, unknown> | PublishEvent>,
    options: CallOptions = {},
  ): Promise<PublishResult[]> {
    const { encoded } = await encodeAll(this.#client, this.topic, events, options);
    const parts = await Promise.all(batches(encoded).map((batch) => this.#send(batch, options)));
    return parts.flat();
  }

  async #send(batch: Encoded[], options: CallOptions): Promise<PublishResult[]> {
    const call = await this.#open(options.signal);
    const key = (batch[0] as Encoded).id;
    const promise = new Promise<PublishResult[]>((resolve, reject) => {
      this.#pending.set(key, { batch, settled: Promise.resolve(), resolve, reject });
      const onAbort = () => {
        this.#pending.delete(key);
        reject(options.signal?.reason);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      call.write({ topicName: this.topic, events: wire(batch) });
    });
    const entry = this.#pending.get(key);
    if (entry) entry.settled = promise.catch(() => {});
    return promise;
  }

  async #open(signal?: AbortSignal) {
    if (this.#call) return this.#call;
    const { metadata, token } = await this.#client.metadata(signal);
    this.#token = token;
    const call = this.#client.grpc.PublishStream!(metadata) as grpc.ClientDuplexStream<
      unknown,
      { results: WireResult[] }
    >;
    this.#call = call;
    call.on('data', (response: { results: WireResult[] }) => {
      const first = response.results?.[0]?.correlationKey;
      const entry =
        first === undefined
          ? undefined
          : [...this.#pending].find(([, p]) => p.batch.some((e) => e.id === first));
      if (!entry) return;
      this.#pending.delete(entry[0]);
      entry[1].resolve(resultsOf(entry[1].batch, response.results));
    });
    call.on('error', (error: unknown) => {
      if (this.#call === call) this.#call = undefined;
      const typed: SalesforceError = errorFromGrpc(error, `PublishStream ${this.topic}`);
      if (classify(error) === 'auth') void this.#client.renew(this.#token).catch(() => {});
      for (const [, p] of this.#pending) p.reject(typed);
      this.#pending.clear();
    });
    call.on('status', () => {
      if (this.#call === call) this.#call = undefined;
    });
    return call;
  }

  /**
   * Ends the stream once what is in flight has been answered; `signal` or `timeoutMs` cut the
   * wait short (the stream is then cancelled and what was in flight rejects).
   */
  async close(options: CallOptions = {}): Promise<void> {
    const call = this.#call;
    this.#call = undefined;
    if (!call) return;
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      if (options.timeoutMs !== undefined) timer = setTimeout(resolve, options.timeoutMs);
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    const settled = Promise.allSettled([...this.#pending.values()].map((p) => p.settled)).then(() => true);
    const done = await Promise.race([settled, cut.then(() => false)]);
    clearTimeout(timer);
    if (done) {
      call.end();
      return;
    }
    call.cancel();
    const reason = options.signal?.aborted
      ? options.signal.reason
      : pubsubError(
          'TIMEOUT',
          `PublishStream ${this.topic}: answers still missing after ${options.timeoutMs} ms`,
        );
    for (const [, p] of this.#pending) p.reject(reason);
    this.#pending.clear();
    if (options.signal?.aborted) throw options.signal.reason;
    throw reason;
  }
}

/** A PublishStream on `topic` (opened on the first `publish()`). */
export function publishStream(target: Connection | PubSubClient, topic: string): PublishStream {
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseOldArguments('@sf/pubsub', 'publishStream()', arguments, {
    instead:
      'it returns a PublishStream. Write `const stream = publishStream(conn, topic)`, then `await stream.publish(events)`',
  });
  return new PublishStream(clientOf(target), topic);
}
