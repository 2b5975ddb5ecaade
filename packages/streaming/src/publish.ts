// Publishing: platform events through REST (one, or many through sObject Collections) and
// generic streaming pushes to a StreamingChannel.

import { type Connection, SalesforceError } from '@sf/core';

const SOURCE = '@sf/streaming';

/** The result of publishing one platform event. */
export interface PublishResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

export interface PublishOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

function checkEventName(name: string): void {
  if (!/^\w+__e$/.test(name)) {
    throw new SalesforceError(`platform event names end in __e, got "${name}"`, {
      code: 'INVALID_ARGUMENT',
      source: SOURCE,
    });
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
 * await publishEvent(conn, 'Order__e', { OrderId__c: '42' });
 */
export async function publishEvent(
  conn: Connection,
  name: string,
  fields: Record<string, unknown>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  checkEventName(name);
  return conn.request<PublishResult>({
    method: 'POST',
    path: `sobjects/${encodeURIComponent(name)}`,
    body: fields,
    ...requestOptions(options),
  });
}

/**
 * Publishes many platform events through sObject Collections, 200 a request, in order. One
 * result per event; a failed event does not stop the others unless `allOrNone`.
 */
export async function publishEvents(
  conn: Connection,
  name: string,
  events: ReadonlyArray<Record<string, unknown>>,
  options: PublishOptions & { allOrNone?: boolean } = {},
): Promise<PublishResult[]> {
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
}

/**
 * Pushes a generic streaming event (`POST sobjects/StreamingChannel/{id}/push`) to everyone
 * subscribed to the channel, or to `userIds` only.
 *
 * @example
 * await pushToChannel(conn, channelId, 'cache invalidated');
 */
export async function pushToChannel(
  conn: Connection,
  channelId: string,
  payload: string,
  options: PublishOptions & { userIds?: string[] } = {},
): Promise<{ fanoutCount: number; userOnlineStatus: Record<string, boolean> }> {
  return conn.request({
    method: 'POST',
    path: `sobjects/StreamingChannel/${encodeURIComponent(channelId)}/push`,
    body: { pushEvents: [{ payload, userIds: options.userIds ?? [] }] },
    ...requestOptions(options),
  });
}

/** Creates a generic streaming channel (`/u/...`) and returns its StreamingChannel id. */
export async function createChannel(
  conn: Connection,
  name: string,
  options: PublishOptions = {},
): Promise<string> {
  const result = await conn.request<{ id: string }>({
    method: 'POST',
    path: 'sobjects/StreamingChannel',
    body: { Name: name.startsWith('/u/') ? name : `/u/${name}` },
    ...requestOptions(options),
  });
  return result.id;
}
