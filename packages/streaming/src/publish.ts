// Publishing: platform events through REST (one, or many through sObject Collections) and
// generic streaming pushes to a StreamingChannel.

import {
  type CallOptions,
  type Connection,
  promiseForm,
  type RecordResult,
  refuseOldArguments,
  salesforceError,
} from '@sf/core';

const SOURCE = '@sf/streaming';

/**
 * The result of publishing one platform event: @sf/core's one per-record result
 * (CONVENTIONS.md rule 3, as `@sf/sobject`'s SaveResult and `@sf/bulk`'s RecordResult), without
 * `created`. `id` is the event's (`e00...`); `errors` are Salesforce's entries, `statusCode`
 * read into `errorCode`; `index` (`publishEvents`) is the event's position in the input.
 */
export type PublishResult = Omit<RecordResult, 'created'>;

/** One result as Salesforce sends it (`statusCode` in sObject Collections' errors). */
function publishResult(wire: unknown, index?: number): PublishResult {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as {
    id?: unknown;
    success?: unknown;
    errors?: unknown;
  };
  if (typeof w.success !== 'boolean') {
    throw salesforceError(SOURCE, 'MALFORMED_RESPONSE', 'a publish result has no success flag');
  }
  const errors = (Array.isArray(w.errors) ? w.errors : []).map((e) => {
    const entry = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const code = entry.errorCode ?? entry.statusCode;
    return {
      errorCode: typeof code === 'string' ? code : 'UNKNOWN_EXCEPTION',
      message: typeof entry.message === 'string' ? entry.message : String(entry.message ?? ''),
      fields: Array.isArray(entry.fields) ? entry.fields.map(String) : [],
    };
  });
  return {
    id: typeof w.id === 'string' ? w.id : null,
    success: w.success,
    errors,
    ...(index === undefined ? {} : { index }),
  };
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
 * Publishes one platform event (`POST sobjects/{name}`). A refused event rejects (Salesforce
 * answers it with an HTTP error), as a single-record save does.
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
  refuseOldArguments(
    '@sf/streaming',
    'publishEvent()',
    // biome-ignore lint/complexity/noArguments: a callback or an oauth object past the declared parameters is refused
    arguments,
    { data: [2], instead: promiseForm('const result = await publishEvent(conn, name, fields)') },
  );
  return (async () => {
    checkEventName(name);
    const answer = await conn.request<unknown>({
      method: 'POST',
      path: `sobjects/${encodeURIComponent(name)}`,
      body: fields,
      ...requestOptions(options),
    });
    return publishResult(answer);
  })();
}

/**
 * Publishes many platform events through sObject Collections, 200 a request, in order. One
 * result per event, with its input position as `index`; a failed event does not stop the
 * others unless `allOrNone`, and the call resolves with the failures among the results.
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
  refuseOldArguments(
    '@sf/streaming',
    'publishEvents()',
    // biome-ignore lint/complexity/noArguments: a callback or an oauth object past the declared parameters is refused
    arguments,
    { instead: promiseForm('const results = await publishEvents(conn, name, events)') },
  );
  return (async () => {
    checkEventName(name);
    const results: PublishResult[] = [];
    for (let i = 0; i < events.length; i += 200) {
      const records = events.slice(i, i + 200).map((e) => ({ attributes: { type: name }, ...e }));
      const batch = await conn.request<unknown>({
        method: 'POST',
        path: 'composite/sobjects',
        body: { allOrNone: options.allOrNone ?? false, records },
        ...requestOptions(options),
      });
      // One result per record, in the order sent (sObject Collections keeps it).
      if (!Array.isArray(batch) || batch.length !== records.length) {
        throw salesforceError(
          SOURCE,
          'MALFORMED_RESPONSE',
          `sObject Collections answered ${Array.isArray(batch) ? batch.length : 'no'} results for ${records.length} events`,
        );
      }
      for (const [k, wire] of batch.entries()) results.push(publishResult(wire, i + k));
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
  // biome-ignore lint/complexity/noArguments: a callback or an oauth object past the declared parameters is refused
  refuseOldArguments('@sf/streaming', 'pushToChannel()', arguments, { instead: promiseForm(usage) });
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
  refuseOldArguments(
    '@sf/streaming',
    'createChannel()',
    // biome-ignore lint/complexity/noArguments: a callback or an oauth object past the declared parameters is refused
    arguments,
    { instead: promiseForm('const id = await createChannel(conn, name)') },
  );
  return conn
    .request<{ id: string }>({
      method: 'POST',
      path: 'sobjects/StreamingChannel',
      body: { Name: name.startsWith('/u/') ? name : `/u/${name}` },
      ...requestOptions(options),
    })
    .then((result) => result.id);
}
