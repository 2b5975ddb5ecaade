// createClient: the one door. Every method is a public function of a feature package with the
// connection filled in; nothing here reaches into a package's internals, and anything costly
// (a Bulk 1.0 handle, a CometD client, a gRPC channel) is made on first use.

import { createBulk1, bulkQuery, bulkQueryAll, createIngestJob, ingestJob, load, type Bulk1 } from '@sf/bulk';
import {
  type CallOptions,
  type Connection,
  promiseForm,
  refuseOldArguments,
  salesforceError,
} from '@sf/core';
import {
  managedSubscribe,
  type PubSubClient,
  publish,
  pubsub,
  subscribe as pubsubSubscribe,
} from '@sf/pubsub';
import { apex, apexRest } from '@sf/sobject';
import {
  createStreamingClient,
  type StreamingClient,
  type StreamingClientOptions,
  type StreamingMessage,
  type SubscribeOptions,
  subscribe,
  topic as topicChannel,
} from '@sf/streaming';
import type { ClientOptions } from './client-options.js';
import type { Bulk2Methods, PubSubMethods, SalesforceClient, Topic } from './client-types.js';
import { bound, checkArguments, checked, restMethods, returns } from './rest-methods.js';
import { createSession } from './session.js';

// What to write instead of a callback, method by method, in the client's terms (what it returns).
const USE_SUBSCRIBE = returns('a Subscription', "sf.subscribe(channel).on('message', fn)");
const USE_TOPIC_SUBSCRIBE = returns(
  'a Subscription',
  "sf.topic(name).subscribe(fn, options)` or `sf.topic(name).subscribe(options).on('message', fn)",
);
const USE_TOPIC = returns('a Topic', 'sf.topic(name).subscribe(fn)');
const USE_LOAD = returns('a LoadOperation', 'const result = await sf.bulk2.load(object, operation, input)');
const useBulkQuery = (call: string) =>
  returns('a RecordStream', `for await (const record of sf.bulk2.${call}(soql))`);
const USE_PUBSUB_SUBSCRIBE = returns('a Subscription', "sf.pubsub.subscribe(topic).on('event', fn)");
const USE_MANAGED = returns('a ManagedSubscription', "sf.pubsub.managedSubscribe(options).on('event', fn)");
const USE_PUBLISH = promiseForm('const results = await sf.pubsub.publish(topic, events)');
const USE_CREATE_JOB = promiseForm('const job = await sf.bulk2.createJob(options)');
const USE_JOB = returns('an IngestJob (no request yet)', 'const info = await sf.bulk2.job(id).wait()');
const USE_LOGIN = promiseForm('const userInfo = await sf.login(username, password)');
const USE_AUTHORIZE = promiseForm('const userInfo = await sf.authorize(code)');
const USE_LOGOUT = promiseForm('await sf.logout()');
const USE_AUTHORIZATION_URL = returns(
  '{ url, state }',
  'const { url, state } = sf.getAuthorizationUrl(options)',
);

/** One value per connection, made when first asked for (a login swaps the connection). */
function perConnection<T>(conn: () => Connection, make: (connection: Connection) => T): () => T {
  const made = new WeakMap<Connection, T>();
  return () => {
    const connection = conn();
    let value = made.get(connection);
    if (value === undefined) made.set(connection, (value = make(connection)));
    return value;
  };
}

/**
 * A client with every feature package as methods over one connection, for an app that wants
 * one import (or is coming from jsforce or node-salesforce: `sf.query(soql)`,
 * `sf.sobject('Account').create(...)`, `sf.bulk.load(...)`, `sf.topic(name).subscribe(fn)`).
 * The plain functions of the packages stay the primary API: they tree-shake, and an app that
 * needs only queries installs only @sf/core and @sf/query. `sf.connection` is the connection to
 * pass to them.
 *
 * @example
 * const sf = createClient({ instanceUrl: process.env.SF_INSTANCE_URL, auth: process.env.SF_ACCESS_TOKEN });
 * const { id } = await sf.sobject('Account').create({ Name: 'Acme' });
 * for await (const account of sf.query('SELECT Id, Name FROM Account')) console.log(account.Name);
 */
export function createClient(options: ClientOptions = {}): SalesforceClient {
  const session = createSession(options);
  const conn = () => session.connection;
  const { pollIntervalMs, pollTimeoutMs, ...switchDefaults } = options.bulk ?? {};
  const bulkDefaults = { ...switchDefaults, ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }) };
  const bulk1Options = {
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
    ...(pollTimeoutMs === undefined ? {} : { pollTimeoutMs }),
  };
  const loadDefaults = { ...bulkDefaults, ...(pollTimeoutMs === undefined ? {} : { pollTimeoutMs }) };

  const opened = new Set<{ close(options?: CallOptions): unknown }>();
  const track = <T extends { close(options?: CallOptions): unknown }>(value: T): T => {
    opened.add(value);
    return value;
  };
  const bulk1 = perConnection<Bulk1>(conn, (c) => createBulk1(c, bulk1Options));
  const streaming = perConnection<StreamingClient>(conn, (c) =>
    track(createStreamingClient(c, options.streaming)),
  );
  const pubsubClient = perConnection<PubSubClient>(conn, (c) =>
    track(options.pubsub ? pubsub(c, options.pubsub) : pubsub(c)),
  );

  // These merge the client's defaults into the caller's options (so the packages see one
  // options object) or drop arguments past them: nforce's per-call oauth object is refused here.
  const subscribeTo = <T>(
    channel: string,
    subscribeOptions: SubscribeOptions & StreamingClientOptions = {},
  ) => subscribe<T>(conn(), channel, { ...options.streaming, ...subscribeOptions });

  const bulk2: Bulk2Methods = {
    load: (object, operation, input, loadOptions, ...rest: unknown[]) => {
      checkArguments('bulk2.load()', [loadOptions, ...rest], USE_LOAD);
      return load(conn(), object, operation, input, { ...loadDefaults, ...loadOptions });
    },
    query: (soql, queryOptions, ...rest: unknown[]) => {
      checkArguments('bulk2.query()', [queryOptions, ...rest], useBulkQuery('query'));
      return bulkQuery(conn(), soql, { ...loadDefaults, ...queryOptions });
    },
    queryAll: (soql, queryOptions, ...rest: unknown[]) => {
      checkArguments('bulk2.queryAll()', [queryOptions, ...rest], useBulkQuery('queryAll'));
      return bulkQueryAll(conn(), soql, { ...loadDefaults, ...queryOptions });
    },
    createJob: (jobOptions, ...rest: unknown[]) =>
      checked(
        'bulk2.createJob()',
        [jobOptions, ...rest],
        () => createIngestJob(conn(), jobOptions),
        USE_CREATE_JOB,
      ),
    job: (id, ...rest: unknown[]) => {
      checkArguments('bulk2.job()', rest, USE_JOB);
      return ingestJob(conn(), id);
    },
  };

  const pubsubMethods: PubSubMethods = {
    get client() {
      return pubsubClient();
    },
    subscribe: (topicName, subscribeOptions, ...rest: unknown[]) => {
      checkArguments('pubsub.subscribe()', [subscribeOptions, ...rest], USE_PUBSUB_SUBSCRIBE);
      return pubsubSubscribe(pubsubClient(), topicName, subscribeOptions);
    },
    publish: (topicName, events, callOptions, ...rest: unknown[]) =>
      checked(
        'pubsub.publish()',
        [callOptions, ...rest],
        () => publish(pubsubClient(), topicName, events, callOptions),
        USE_PUBLISH,
      ),
    managedSubscribe: (managedOptions, ...rest: unknown[]) => {
      checkArguments('pubsub.managedSubscribe()', [managedOptions, ...rest], USE_MANAGED);
      return managedSubscribe(pubsubClient(), managedOptions);
    },
    getTopic: (topicName, callOptions, ...rest: unknown[]) =>
      checked('pubsub.getTopic()', [callOptions, ...rest], () =>
        pubsubClient().getTopic(topicName, callOptions),
      ),
  };

  const rest = restMethods(conn, bulkDefaults);
  const tooling = restMethods(() => session.connection.tooling, bulkDefaults, 'sf.tooling');

  const client: SalesforceClient = {
    ...rest,
    get connection() {
      return conn();
    },
    tooling,
    get bulk() {
      return bulk1();
    },
    bulk2,
    get apex() {
      return apex(conn());
    },
    apexRest: bound(conn, apexRest),
    subscribe: <T>(
      channel: string,
      subscribeOptions?: SubscribeOptions & StreamingClientOptions,
      ...rest: unknown[]
    ) => {
      checkArguments('subscribe()', [subscribeOptions, ...rest], USE_SUBSCRIBE);
      return subscribeTo<T>(channel, subscribeOptions);
    },
    topic(name, ...extra: unknown[]): Topic {
      checkArguments('topic()', extra, USE_TOPIC);
      const channel = topicChannel(name);
      return {
        name,
        channel,
        subscribe<T = StreamingMessage>(
          listener?: ((message: T) => void) | SubscribeOptions,
          subscribeOptions?: SubscribeOptions,
          ...rest: unknown[]
        ) {
          // node-salesforce's listener comes first; a function anywhere after it would be dropped.
          const listening = typeof listener === 'function';
          checkArguments(
            'topic(name).subscribe()',
            listening ? [subscribeOptions, ...rest] : [listener, subscribeOptions, ...rest],
            USE_TOPIC_SUBSCRIBE,
          );
          const sub = subscribeTo<T>(channel, listening ? subscribeOptions : (listener ?? subscribeOptions));
          if (listening) sub.on('message', listener);
          return sub;
        },
      };
    },
    get streaming() {
      return streaming();
    },
    pubsub: pubsubMethods,
    get oauth2() {
      return session.oauth2;
    },
    login: (username, password, callOptions, ...rest: unknown[]) =>
      checked(
        'login()',
        [callOptions, ...rest],
        () => session.login(username, password, callOptions),
        USE_LOGIN,
      ),
    getAuthorizationUrl(urlOptions, ...rest: unknown[]) {
      checkArguments('getAuthorizationUrl()', [urlOptions, ...rest], USE_AUTHORIZATION_URL);
      if (!session.oauth2) {
        throw salesforceError(
          '@sf/client',
          'INVALID_ARGUMENT',
          'getAuthorizationUrl() needs the oauth2 option (the connected app)',
        );
      }
      return session.oauth2.getAuthorizationUrl(urlOptions);
    },
    authorize: (code, exchange, ...rest: unknown[]) =>
      checked('authorize()', [exchange, ...rest], () => session.authorize(code, exchange), USE_AUTHORIZE),
    logout: (callOptions, ...rest: unknown[]) =>
      checked('logout()', [callOptions, ...rest], () => session.logout(callOptions), USE_LOGOUT),
    async close(callOptions) {
      // biome-ignore lint/complexity/noArguments: a callback or an oauth object past the declared parameters is refused
      refuseOldArguments('@sf/client', 'close', arguments);
      const all = [...opened];
      opened.clear();
      await Promise.all(all.map((value) => value.close(callOptions)));
    },
    on(event, listener) {
      session.events.on(event, listener);
      return client;
    },
    off(event, listener) {
      session.events.off(event, listener);
      return client;
    },
    once(event, listener) {
      session.events.once(event, listener);
      return client;
    },
  } as SalesforceClient;
  return client;
}
