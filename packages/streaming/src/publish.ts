// Publishing: platform events through REST (one, or many through sObject Collections) and
// generic streaming pushes to a StreamingChannel.

import { type CallOptions, type Connection, salesforceError } from '@sf/core';
import { refuseCallback } from './refuse-callback.js';

const SOURCE = '@sf/streaming';

/** The result of publishing one platform event. */
export interface PublishResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

/** `{ signal, timeoutMs }`, core's `CallOptions`, passed to every request. */
export type PublishOptions = CallOptions;

/**
 * What Salesforce answers for one push event (`POST .../StreamingChannel/{id}/push` answers an
 * array of these, one per push event).
 */
export interface PushResult {
  /**
   * Subscribers the event was sent to: `-1` when it went to every subscriber (no `userIds`),
   * `0` when the channel had no active subscriber.
   */
  fanoutCount: number;
  /** For the `userIds` asked for: whether each was subscribed and listening. */
  userOnlineStatus: Record<string, boolean>;
}

function checkEventName(name: string): void {
  if (!/^\w+__e$/.test(name)) {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `platform event names end in __e, got "${name}"`);
  }
}

function requestOptions(options: PublishOptions) {
  return {
    source: SOURCE,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/**
 * Publishes one platform event (`POST sobjects/{name}`).
 *
 * @example
 * const result = await publishEvent(conn, 'Order__e', { OrderId__c: '42' });
 */
export function publishEvent(
  conn: Connection,
  name: string,
  fields: Record<string, unknown>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
  refuseCallback('publishEvent', 'const result = await publishEvent(conn, name, fields)', arguments);
  return (async () => {
    checkEventName(name);
    return conn.request<PublishResult>({
      method: 'POST',
      path: `sobjects/${encodeURIComponent(name)}`,
      body: fields,
      ...requestOptions(options),
    });
  })();
}

/**
 * Publishes many platform events through sObject Collections, 200 a request, in order. One
 * result per event; a failed event does not stop the others unless `allOrNone`.
 *
 * @example
 * const results = await publishEvents(conn, 'Order__e', [{ OrderId__c: '1' }, { OrderId__c: '2' }]);
 */
export function publishEvents(
  conn: Connection,
  name: string,
  events: ReadonlyArray<Record<string, unknown>>,
  options: PublishOptions & { allOrNone?: boolean } = {},
): Promise<PublishResult[]> {
  // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
  refuseCallback('publishEvents', 'const results = await publishEvents(conn, name, events)', arguments);
  return (async () => {
    checkEventName(name);
    const results: PublishResult[] = [];
    for (let i = 0; i < events.length; i += 200) {
      const records = events.slice(i, i + 200).map((e) => ({ attributes: { type: name }, ...e }));
      const batch = await conn.request<PublishResult[]>({
        method: 'POST',
        path: 'composite/sobjects',
        body: { allOrNone: options.allOrNone ?? false, records },
        ...requestOptions(options),
      });
      results.push(...batch);
    }
    return results;
  })();
}

/**
 * Pushes a generic streaming event (`POST sobjects/StreamingChannel/{id}/push`) to everyone
 * subscribed to the channel, or to `userIds` only. Resolves with Salesforce's answer: an array
 * of push results, one per push event (so one here).
 *
 * @example
 * const [result] = await pushToChannel(conn, channelId, 'cache invalidated');
 * console.log(result?.fanoutCount); // -1: sent to every subscriber
 */
export function pushToChannel(
  conn: Connection,
  channelId: string,
  payload: string,
  options: PublishOptions & { userIds?: string[] } = {},
): Promise<PushResult[]> {
  const usage = 'const [result] = await pushToChannel(conn, channelId, payload)';
  // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
  refuseCallback('pushToChannel', usage, arguments);
  return (async () => {
    const answer = await conn.request<unknown>({
      method: 'POST',
      path: `sobjects/StreamingChannel/${encodeURIComponent(channelId)}/push`,
      body: { pushEvents: [{ payload, userIds: options.userIds ?? [] }] },
      ...requestOptions(options),
    });
    // Salesforce documents an array; a single result object is accepted as a one-entry array.
    const list = Array.isArray(answer) ? answer : [answer];
    if (!list.every(isPushResult)) {
      throw salesforceError(
        SOURCE,
        'MALFORMED_RESPONSE',
        'the push answer is not a list of { fanoutCount, userOnlineStatus }',
      );
    }
    return list.map((r) => ({ fanoutCount: r.fanoutCount, userOnlineStatus: r.userOnlineStatus ?? {} }));
  })();
}

function isPushResult(value: unknown): value is PushResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { fanoutCount?: unknown }).fanoutCount === 'number'
  );
}

/**
 * Creates a generic streaming channel (`/u/...`) and returns its StreamingChannel id.
 *
 * @example
 * const id = await createChannel(conn, '/u/alerts');
 */
export function createChannel(conn: Connection, name: string, options: PublishOptions = {}): Promise<string> {
  // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
  refuseCallback('createChannel', 'const id = await createChannel(conn, name)', arguments);
  return conn
    .request<{ id: string }>({
      method: 'POST',
      path: 'sobjects/StreamingChannel',
      body: { Name: name.startsWith('/u/') ? name : `/u/${name}` },
      ...requestOptions(options),
    })
    .then((result) => result.id);
}
