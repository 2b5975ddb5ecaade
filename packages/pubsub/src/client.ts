// The gRPC side of a connection: one channel to the Pub/Sub API per client, the metadata every
// call carries (`accesstoken`, `instanceurl`, `tenantid`, from the connection's credentials),
// renewal through the connection (its AuthSession renews once however many calls found the
// token expired), and the schema cache by schema id.

import * as grpc from '@grpc/grpc-js';
import {
  type CallOptions,
  type Connection,
  type Credentials,
  isSalesforceError,
  refuseOldArguments,
} from '@sf/core';
import { type AvroCodec, compileSchema, type LongMode } from './avro.js';
import { classify, errorFromGrpc, pubsubError } from './errors.js';
import { type PubSubServiceClient, pubSubClientClass } from './proto.js';

/** Salesforce's endpoint (443 works too). */
export const DEFAULT_PUBSUB_ENDPOINT = 'https://api.pubsub.salesforce.com:7443';

export interface PubSubClientOptions {
  /**
   * `https://host:port` (TLS, the default `https://api.pubsub.salesforce.com:7443`) or
   * `http://127.0.0.1:port` (insecure h2c, for the emulator: loopback hosts only, so a token
   * never crosses a network in the clear).
   */
  endpoint?: string;
  /** Avro longs: numbers while safe and bigints beyond 2^53 (`'auto'`, the default), or always bigints. */
  longs?: LongMode;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
}

/** What GetTopic answers. */
export interface TopicInfo {
  topicName: string;
  /** The org id. */
  tenantGuid: string;
  canPublish: boolean;
  canSubscribe: boolean;
  /** The topic's current schema. */
  schemaId: string;
  rpcId: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function parseEndpoint(endpoint: string): { address: string; credentials: grpc.ChannelCredentials } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw pubsubError(
      'INVALID_ARGUMENT',
      `endpoint must be a URL such as ${DEFAULT_PUBSUB_ENDPOINT}: ${endpoint}`,
    );
  }
  if (url.protocol === 'https:') {
    return { address: `${url.hostname}:${url.port || '443'}`, credentials: grpc.credentials.createSsl() };
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK.has(url.hostname)) {
      throw pubsubError(
        'INVALID_ARGUMENT',
        `an insecure (http:) endpoint must be on the loopback interface, got ${url.hostname}: use https:`,
      );
    }
    return { address: `${url.hostname}:${url.port || '80'}`, credentials: grpc.credentials.createInsecure() };
  }
  throw pubsubError('INVALID_ARGUMENT', `endpoint must be https: or http:, got ${url.protocol}`);
}

function orgIdOf(credentials: Credentials): string | undefined {
  if (credentials.organizationId) return credentials.organizationId;
  const m = credentials.id ? /\/id\/([^/]+)\/[^/]+\/?$/.exec(credentials.id) : null;
  return m?.[1];
}

/**
 * A Pub/Sub API client for one connection: `subscribe`, `managedSubscribe`, `publish` and
 * `publishStream` take it (or the connection itself, which then gets a default client).
 *
 * @example
 * const client = pubsub(conn); // TLS to api.pubsub.salesforce.com:7443
 * const info = await client.getTopic('/event/Order__e');
 * client.close();
 */
export class PubSubClient {
  readonly connection: Connection;
  readonly endpoint: string;
  readonly longs: LongMode;
  /** @internal */
  readonly grpc: PubSubServiceClient;
  readonly #schemas = new Map<string, Promise<AvroCodec>>();
  #tenant: Promise<string> | undefined;
  #closed = false;
  readonly #open = new Set<{ close(): Promise<void> }>();

  constructor(connection: Connection, options: PubSubClientOptions = {}) {
    // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
    refuseOldArguments('@sf/pubsub', 'new PubSubClient()', arguments, {
      instead: 'it is a constructor. Write `const client = new PubSubClient(conn, options)`',
    });
    this.connection = connection;
    this.endpoint = options.endpoint ?? DEFAULT_PUBSUB_ENDPOINT;
    this.longs = options.longs ?? 'auto';
    const { address, credentials } = parseEndpoint(this.endpoint);
    const Client = pubSubClientClass();
    this.grpc = new Client(address, credentials, {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      ...options.channelOptions,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal The call metadata for the current credentials, and the token it carries. */
  async metadata(signal?: AbortSignal): Promise<{ metadata: grpc.Metadata; token: string }> {
    const credentials = await this.connection.credentials(signal);
    const instanceUrl = credentials.instanceUrl ?? this.connection.instanceUrl;
    if (!instanceUrl) {
      throw pubsubError('INVALID_ARGUMENT', 'the connection has no instance URL (the Pub/Sub API needs it)');
    }
    const tenant = await this.#tenantId(credentials, signal);
    const metadata = new grpc.Metadata();
    metadata.set('accesstoken', credentials.accessToken);
    metadata.set('instanceurl', instanceUrl);
    metadata.set('tenantid', tenant);
    return { metadata, token: credentials.accessToken };
  }

  /** @internal New credentials after `token` was refused; one renewal for every caller. */
  async renew(token: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.connection.renewCredentials(token, signal);
    } catch (error) {
      if (isSalesforceError(error)) throw error;
      throw pubsubError('AUTH_FAILED', 'renewing the session failed', { cause: error });
    }
  }

  #tenantId(credentials: Credentials, signal?: AbortSignal): Promise<string> {
    const known = orgIdOf(credentials);
    if (known) return Promise.resolve(known);
    this.#tenant ??= this.connection.identity({ ...(signal ? { signal } : {}) }).then(
      (identity) => {
        const org = identity.organization_id;
        if (typeof org !== 'string') {
          throw pubsubError(
            'MALFORMED_RESPONSE',
            'the identity answer has no organization_id (the tenant id)',
          );
        }
        return org;
      },
      (error) => {
        this.#tenant = undefined;
        throw error;
      },
    );
    return this.#tenant;
  }

  /**
   * @internal A unary call with the session's metadata, renewing once on an expired session;
   * `signal` cancels it (rejecting with `signal.reason`), `timeoutMs` sets its deadline.
   */
  async unary<T>(method: string, request: unknown, what: string, options: CallOptions = {}): Promise<T> {
    this.#checkOpen();
    for (let attempt = 0; ; attempt++) {
      const { metadata, token } = await this.metadata(options.signal);
      try {
        return await this.#unaryOnce<T>(method, request, metadata, options);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (attempt === 0 && classify(error) === 'auth') {
          await this.renew(token, options.signal);
          continue;
        }
        throw errorFromGrpc(error, what);
      }
    }
  }

  #unaryOnce<T>(method: string, request: unknown, metadata: grpc.Metadata, options: CallOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const callOptions: grpc.CallOptions = {};
      if (options.timeoutMs !== undefined) callOptions.deadline = Date.now() + options.timeoutMs;
      const call = this.grpc[method]!(request, metadata, callOptions, (error: unknown, value: T) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value);
      }) as grpc.ClientUnaryCall;
      const onAbort = () => call.cancel();
      options.signal?.addEventListener('abort', onAbort, { once: true });
    }).catch((error) => {
      if (
        (error as { code?: number }).code === grpc.status.DEADLINE_EXCEEDED &&
        options.timeoutMs !== undefined
      ) {
        throw pubsubError('TIMEOUT', `no answer within ${options.timeoutMs} ms`, { cause: error });
      }
      throw error;
    });
  }

  /** GetTopic: whether the topic exists, can be published to or subscribed to, and its schema id. */
  getTopic(topicName: string, options: CallOptions = {}): Promise<TopicInfo> {
    return this.unary<TopicInfo>('GetTopic', { topicName }, `GetTopic ${topicName}`, options);
  }

  /**
   * The compiled schema for a schema id, fetched once (GetSchema) and cached for the client's
   * life: schema ids are fingerprints, so a schema never changes under its id.
   */
  schema(schemaId: string, options: CallOptions = {}): Promise<AvroCodec> {
    let cached = this.#schemas.get(schemaId);
    if (!cached) {
      cached = this.unary<{ schemaJson: string }>(
        'GetSchema',
        { schemaId },
        `GetSchema ${schemaId}`,
        options,
      ).then((info) => compileSchema(info.schemaJson, this.longs));
      this.#schemas.set(schemaId, cached);
      cached.catch(() => this.#schemas.delete(schemaId));
    }
    return cached;
  }

  /** The cached schema, if already fetched (synchronous path for decoding). @internal */
  cachedSchema(schemaId: string): Promise<AvroCodec> | undefined {
    return this.#schemas.get(schemaId);
  }

  /** @internal Subscriptions on this client, ended by `close()`. */
  track(subscription: { close(): Promise<void> }): () => void {
    this.#open.add(subscription);
    return () => this.#open.delete(subscription);
  }

  /** Closes the channel; its subscriptions end (their replay ids stored) as `sub.close()` ends them. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const sub of [...this.#open]) void sub.close().catch(() => {});
    this.#open.clear();
    this.grpc.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw pubsubError('INVALID_ARGUMENT', 'this Pub/Sub client is closed');
  }
}

const defaults = new WeakMap<Connection, PubSubClient>();

/**
 * The Pub/Sub API client for a connection. Without options, one client per connection is kept
 * and shared (so its channel, schema cache and renewals are too); with options, a new one.
 */
export function pubsub(connection: Connection, options?: PubSubClientOptions): PubSubClient {
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseOldArguments('@sf/pubsub', 'pubsub()', arguments, {
    instead: 'it returns a PubSubClient. Write `const client = pubsub(conn)`',
  });
  if (options) return new PubSubClient(connection, options);
  let client = defaults.get(connection);
  if (!client || client.closed) defaults.set(connection, (client = new PubSubClient(connection)));
  return client;
}

/** @internal A client from what the caller passed. */
export function clientOf(target: Connection | PubSubClient): PubSubClient {
  return target instanceof PubSubClient ? target : pubsub(target);
}
