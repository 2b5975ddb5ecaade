// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call; `subscribe(conn, topic, oauth)` would take it for the options and ignore it, and the
// events would be read as the connection's user. Every Pub/Sub call that takes a connection or
// a client must refuse it with INVALID_ARGUMENT before a stream opens, naming the keys but
// never the token; ordinary options must still work.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { managedSubscribe, PubSubClient, publish, publishStream, pubsub, subscribe } from '../src/index.js';
import { harness } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const TOKEN = '00Dxx0000001gPL!AQ4AQOtherUsersToken';

/** nforce's oauth object: the OAuth token response of another user. */
function oauth(instanceUrl: string) {
  return {
    access_token: TOKEN,
    instance_url: instanceUrl,
    id: 'https://login.salesforce.com/id/00Dx0000001gPLEAY/005x0000001S2bCAAS',
    issued_at: '1278448101416',
    signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
  };
}

/** What `run` throws or rejects with. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** What must happen: INVALID_ARGUMENT naming the call and the keys, no token in it. */
function expectRefused(error: unknown, call: string, keys = 'access_token, instance_url'): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/pubsub] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth argument is refused, nothing sent", () => {
  it('subscribe, managedSubscribe, publish, publishStream and pubsub(conn, options)', async () => {
    const { emu, conn, client } = await harness();
    const before = emu.pubsub!.subscribeCalls;
    emu.resetRequests();
    const o = oauth(emu.instanceUrl);
    expectRefused(await failure(() => js(subscribe)(conn, '/event/Order__e', o)), 'subscribe()');
    expectRefused(await failure(() => js(subscribe)(client, '/event/Order__e', o)), 'subscribe()');
    expectRefused(
      await failure(() => js(subscribe)(client, '/event/Order__e', { replay: -1, sessionId: TOKEN })),
      'subscribe()',
      'sessionId',
    );
    expectRefused(
      await failure(() => js(managedSubscribe)(client, { developerName: 'Orders', oauth: o })),
      'managedSubscribe()',
      'oauth',
    );
    expectRefused(
      await failure(() => js(publish)(client, '/event/Order__e', [{ OrderNumber__c: 'A-1' }], o)),
      'publish()',
    );
    expectRefused(await failure(() => js(publishStream)(client, '/event/Order__e', o)), 'publishStream()');
    expectRefused(await failure(() => js(pubsub)(conn, { accessToken: TOKEN })), 'pubsub()', 'accessToken');
    expectRefused(await failure(() => new PubSubClient(conn, o as never)), 'new PubSubClient()');
    // No stream opened, and no REST request (no token renewal, no schema) went out.
    expect(emu.pubsub!.subscribeCalls).toBe(before);
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary options ({ signal, timeoutMs }) still work', async () => {
    const { client } = await harness();
    const options = { signal: AbortSignal.timeout(30_000), timeoutMs: 30_000 };
    const results = await publish(client, '/event/Order__e', [{ OrderNumber__c: 'A-1' }], options);
    expect(results[0]?.success).toBe(true);
  });
});
