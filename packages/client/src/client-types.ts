// The client's shape: what `createClient` returns, as types only. Every method is a feature
// package's public function with the connection filled in; the table in README.md names each.

import type {
  AuthorizationRequest,
  AuthorizationUrlOptions,
  AuthCallOptions,
  ExchangeCodeOptions,
  OAuth2Client,
} from '@sf/auth';
import type {
  Bulk1,
  BulkQueryOptions,
  CreateIngestJobOptions,
  IngestInput,
  IngestJob,
  IngestOperation,
  LoadOperation,
  LoadOptions,
  WithBulk,
} from '@sf/bulk';
import type { CallOptions, Connection, Credentials, LimitInfo, RequestOptions } from '@sf/core';
import type {
  ManagedSubscribeOptions,
  ManagedSubscription,
  PubSubClient,
  PublishEvent,
  PublishResult as PubSubPublishResult,
  SubscribeOptions as PubSubSubscribeOptions,
  Subscription as PubSubSubscription,
  TopicInfo,
} from '@sf/pubsub';
import type {
  Conditions,
  ExplainResult,
  FieldList,
  FindOptions,
  FindQuery,
  Query,
  QueryOptions,
  SearchResult,
  SObjectRecord,
} from '@sf/query';
import type { RecordStream } from '@sf/record-stream';
import type {
  ApexClient,
  ApexRestRequest,
  DescribeGlobalResult,
  DescribeOptions,
  DescribeSObjectResult,
  ExecuteAnonymousResult,
  SObject,
} from '@sf/sobject';
import type {
  StreamingClient,
  StreamingClientOptions,
  StreamingMessage,
  SubscribeOptions as StreamingSubscribeOptions,
  Subscription as StreamingSubscription,
} from '@sf/streaming';

/** The methods that work on a root of the REST API: the data root (`sf`) and the Tooling root (`sf.tooling`). */
export interface RestMethods {
  /** The connection under this client: pass it to any plain function of the packages. */
  readonly connection: Connection;
  /** @sf/query's `query(conn, soql, options)`: awaitable, async iterable, with `record`/`end`/`error` events. */
  query<T = SObjectRecord>(soql: string, options?: QueryOptions): Query<T>;
  /** @sf/query's `queryAll`: deleted and archived rows too. */
  queryAll<T = SObjectRecord>(soql: string, options?: QueryOptions): Query<T>;
  /** @sf/query's `queryMore(conn, nextRecordsUrl, options)`: the next page of a query. */
  queryMore<T = SObjectRecord>(nextRecordsUrl: string, options?: QueryOptions): Query<T>;
  /** @sf/query's `find(conn, type, conditions, fields, options)`: the MongoDB-style builder. */
  find<T = SObjectRecord>(
    type: string,
    conditions?: Conditions,
    fields?: FieldList,
    options?: FindOptions,
  ): FindQuery<T>;
  /** @sf/query's `search(conn, sosl, options)`. */
  search<T = SObjectRecord>(sosl: string, options?: CallOptions): Promise<SearchResult<T>>;
  /** @sf/query's `explain(conn, soql, options)`: the query plan. */
  explain(soql: string, options?: CallOptions): Promise<ExplainResult>;
  /**
   * @sf/sobject's `sobject(conn, type)` with @sf/bulk's `withBulk` (node-salesforce's
   * `insertBulk`, `bulkload(op).execute`, and `find(...).update(mapper)` / `.destroy()`).
   */
  sobject<T extends object = SObjectRecord>(type: string): WithBulk<SObject<T>>;
  /** @sf/sobject's `describe(conn, type, options)`, cached per connection. */
  describe(type: string, options?: DescribeOptions): Promise<DescribeSObjectResult>;
  /** @sf/sobject's `describeGlobal(conn, options)`. */
  describeGlobal(options?: DescribeOptions): Promise<DescribeGlobalResult>;
  /** @sf/sobject's `executeAnonymous(conn, apex, options)` (always on the Tooling root). */
  executeAnonymous(apex: string, options?: CallOptions): Promise<ExecuteAnonymousResult>;
  /** `conn.request(options)`: any REST call, relative to this root. */
  request<T = unknown>(options: RequestOptions | string): Promise<T>;
  /** `conn.fetchLimits(options)`: every org limit with `Max` and `Remaining`. */
  limits(options?: CallOptions): Promise<Record<string, { Max: number; Remaining: number }>>;
  /** `conn.identity(options)`: the logged-in user, from the identity URL. */
  identity(options?: CallOptions): Promise<Record<string, unknown>>;
}

/** Bulk API 2.0 through @sf/bulk's functions. */
export interface Bulk2Methods {
  /** @sf/bulk's `load(conn, object, operation, input, options)`. */
  load(object: string, operation: IngestOperation, input: IngestInput, options?: LoadOptions): LoadOperation;
  /** @sf/bulk's `bulkQuery(conn, soql, options)`. */
  query(soql: string, options?: BulkQueryOptions): RecordStream<Record<string, unknown>>;
  /** @sf/bulk's `bulkQueryAll(conn, soql, options)`. */
  queryAll(
    soql: string,
    options?: Omit<BulkQueryOptions, 'operation'>,
  ): RecordStream<Record<string, unknown>>;
  /** @sf/bulk's `createIngestJob(conn, options)`. */
  createJob(options: CreateIngestJobOptions): Promise<IngestJob>;
  /** @sf/bulk's `ingestJob(conn, id)`: re-attach to a job by id. */
  job(id: string): IngestJob;
}

/** The Pub/Sub API through @sf/pubsub, on one client made when first used. */
export interface PubSubMethods {
  /** The `PubSubClient` (its gRPC channel is made on first use of `sf.pubsub`). */
  readonly client: PubSubClient;
  /** @sf/pubsub's `subscribe(client, topic, options)`. */
  subscribe(topic: string, options?: PubSubSubscribeOptions): PubSubSubscription;
  /** @sf/pubsub's `publish(client, topic, events, options)`. */
  publish(
    topic: string,
    events: ReadonlyArray<Record<string, unknown> | PublishEvent>,
    options?: CallOptions,
  ): Promise<PubSubPublishResult[]>;
  /** @sf/pubsub's `managedSubscribe(client, options)`. */
  managedSubscribe(options: ManagedSubscribeOptions): ManagedSubscription;
  /** The topic's schema and permissions. */
  getTopic(topic: string, options?: CallOptions): Promise<TopicInfo>;
}

/** node-salesforce's `conn.topic(name)`: a PushTopic to subscribe to. */
export interface Topic {
  /** The PushTopic's name. */
  readonly name: string;
  /** Its channel, `/topic/{name}`. */
  readonly channel: string;
  /**
   * Subscribes (on a CometD client of its own, closed by `unsubscribe()`). A listener, as
   * node-salesforce's `subscribe(fn)`, is added as the `message` listener.
   */
  subscribe<T = StreamingMessage>(
    listener?: ((message: T) => void) | StreamingSubscribeOptions,
    options?: StreamingSubscribeOptions,
  ): StreamingSubscription<T>;
}

/** What `login()` and `authorize()` resolve with (node-salesforce's `userInfo`). */
export interface UserInfo {
  /** The user's id. */
  id: string | undefined;
  organizationId: string | undefined;
  /** The identity URL. */
  url: string | undefined;
  instanceUrl: string | undefined;
}

/** The client's events: the connection's, from whichever connection it holds now. */
export interface ClientEvents {
  /** New credentials after a renewal: store them (the refresh token may be among them). */
  refresh: (credentials: Credentials) => void;
  /** API usage from the latest response's `Sforce-Limit-Info`. */
  limits: (info: LimitInfo) => void;
}

/** The Tooling API root (`/services/data/vNN.N/tooling/`), with the same methods as the data root. */
export type ToolingClient = RestMethods;

/** What {@link createClient} returns: every feature package as methods over one connection. */
export interface SalesforceClient extends RestMethods {
  /** The same methods on the Tooling API root (same session, transport and events). */
  readonly tooling: ToolingClient;
  /** Bulk API 1.0 as in node-salesforce's README: `load`, `query`, `createJob`, `job`. */
  readonly bulk: Bulk1;
  /** Bulk API 2.0: `load`, `query`, `queryAll`, `createJob`, `job`. */
  readonly bulk2: Bulk2Methods;
  /** @sf/sobject's `apex(conn)`: Apex REST by method (`sf.apex.get('/Invoice/42')`). */
  readonly apex: ApexClient;
  /** @sf/sobject's `apexRest(conn, request)`: one Apex REST call in nforce's shape. */
  apexRest<T = unknown>(request: ApexRestRequest): Promise<T>;
  /** @sf/streaming's `subscribe(conn, channel, options)`: a subscription on a client of its own. */
  subscribe<T = StreamingMessage>(
    channel: string,
    options?: StreamingSubscribeOptions & StreamingClientOptions,
  ): StreamingSubscription<T>;
  /** node-salesforce's `conn.topic(name)`. */
  topic(name: string): Topic;
  /** One shared CometD client (`createStreamingClient`) for several channels; made when first used. */
  readonly streaming: StreamingClient;
  /** The Pub/Sub API; its client is made when first used. */
  readonly pubsub: PubSubMethods;
  /** The connected app's OAuth2 client (from the `oauth2` option), or undefined. */
  readonly oauth2: OAuth2Client | undefined;
  /**
   * Logs in (OAuth 2.0 username-password with `oauth2`, SOAP `login()` without) and makes the
   * client use that session from now on, renewing it by logging in again.
   */
  login(username: string, password: string, options?: AuthCallOptions): Promise<UserInfo>;
  /** The web-server flow's URL to send the browser to (needs `oauth2`). */
  getAuthorizationUrl(options?: AuthorizationUrlOptions): AuthorizationRequest;
  /** node-salesforce's `conn.authorize(code)`: exchanges the callback's code and uses the tokens. */
  authorize(code: string, options?: ExchangeCodeOptions): Promise<UserInfo>;
  /** Ends the session (SOAP `logout()`, or revokes the OAuth token) and forgets it. */
  logout(options?: AuthCallOptions): Promise<void>;
  /**
   * Closes the streaming and Pub/Sub clients if they were made. `signal`/`timeoutMs` bound the
   * streaming client's goodbye (`/meta/disconnect`); it closes either way.
   */
  close(options?: CallOptions): Promise<void>;
  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): this;
  off<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): this;
  once<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): this;
}
