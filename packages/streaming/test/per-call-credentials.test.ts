// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call; `subscribe(conn, channel, oauth)` would take it for the options and ignore it, and the
// subscription would receive events as the connection's user. Every streaming call that takes
// a connection must refuse it at once with INVALID_ARGUMENT, naming the keys but never the token,
// and send nothing; ordinary options must still work.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import {
  createChannel,
  createStreamingClient,
  platformEvent,
  publishEvent,
  publishEvents,
  pushToChannel,
  subscribe,
} from '../src/index.js';
import { connect, emulatorPerTest } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const emulator = emulatorPerTest();
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

/** What `run` throws synchronously (so before any request goes out). */
function thrownBy(run: () => unknown): unknown {
  try {
    const result = run();
    (result as Promise<unknown> | undefined)?.catch?.(() => {});
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** What must happen: INVALID_ARGUMENT naming the call and the keys, no token in it. */
function expectRefused(error: unknown, call: string, keys = 'access_token, instance_url'): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/streaming] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth argument is refused, nothing sent", () => {
  it('subscribe(conn, channel, oauth), createStreamingClient and client.subscribe throw at the call', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    const channel = platformEvent('Order__e');
    emu.resetRequests();
    expectRefused(
      thrownBy(() => js(subscribe)(conn, channel, oauth(emu.url))),
      'subscribe()',
    );
    expectRefused(
      thrownBy(() => js(subscribe)(conn, channel, { sessionId: TOKEN })),
      'subscribe()',
      'sessionId',
    );
    expectRefused(
      thrownBy(() => js(createStreamingClient)(conn, oauth(emu.url))),
      'createStreamingClient()',
    );
    const client = createStreamingClient(conn);
    expectRefused(
      thrownBy(() => js(client.subscribe.bind(client))(channel, { accessToken: TOKEN })),
      'client.subscribe()',
      'accessToken',
    );
    await client.close();
    expect(emu.requests.length).toBe(0);
  });

  it('publishEvent, publishEvents, pushToChannel and createChannel throw at the call', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    emu.resetRequests();
    expectRefused(
      thrownBy(() => js(publishEvent)(conn, 'Order__e', { OrderId__c: '1' }, oauth(emu.url))),
      'publishEvent()',
    );
    expectRefused(
      thrownBy(() => js(publishEvents)(conn, 'Order__e', [{ OrderId__c: '1' }], oauth(emu.url))),
      'publishEvents()',
    );
    expectRefused(
      thrownBy(() => js(pushToChannel)(conn, '0M6x', 'hi', oauth(emu.url))),
      'pushToChannel()',
    );
    expectRefused(
      thrownBy(() => js(createChannel)(conn, '/u/alerts', { refreshToken: TOKEN })),
      'createChannel()',
      'refreshToken',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary events and options ({ signal, timeoutMs }) still work', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    const options = { signal: AbortSignal.timeout(30_000), timeoutMs: 30_000 };
    const result = await publishEvent(conn, 'Order__e', { OrderId__c: '42' }, options);
    expect(result.success).toBe(true);
    const sub = subscribe(conn, platformEvent('Order__e'), { replay: -1 });
    await sub.ready();
    await sub.unsubscribe();
  });
});
