// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call. A bulk call given it as its options (`load(conn, 'Account', 'insert', records, oauth)`)
// would ignore it and load the records as the connection's user. The bulk entry checks must
// refuse it with INVALID_ARGUMENT before anything is sent, naming the keys but never the token;
// ordinary options must still work.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { createBulk1, createIngestJob, insertBulk, load } from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const org = useOrg();
const TOKEN = '00Dxx0000001gPL!AQ4AQOtherUsersToken';

/** nforce's oauth object: the OAuth token response of another user. */
function oauth() {
  return {
    access_token: TOKEN,
    instance_url: org().emu.url,
    id: 'https://login.salesforce.com/id/00Dx0000001gPLEAY/005x0000001S2bCAAS',
    issued_at: '1278448101416',
    signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
  };
}

/** What must happen: INVALID_ARGUMENT naming the call and the keys, no token in it. */
function expectRefused(error: unknown, call: string, keys = 'access_token, instance_url'): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/bulk] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth object as a bulk call's options is refused, nothing sent", () => {
  it('load, insertBulk, createIngestJob and createBulk1', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const records = [{ Name: 'Theirs' }];
    expectRefused(await thrown(() => js(load)(conn, 'Account', 'insert', records, oauth())), 'load');
    expectRefused(
      await thrown(() => js(insertBulk)(conn, 'Account', records, { ...fast, accessToken: TOKEN })),
      'insertBulk',
      'accessToken',
    );
    expectRefused(
      await thrown(() =>
        js(createIngestJob)(conn, { object: 'Account', operation: 'insert', oauth: oauth() }),
      ),
      'createIngestJob',
      'oauth',
    );
    expectRefused(
      await thrown(() => js(createBulk1)(conn, { sessionId: TOKEN })),
      'createBulk1',
      'sessionId',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary records and options ({ signal, timeoutMs }) still load', async () => {
    const { conn } = org();
    const result = await load(conn, 'Account', 'insert', [{ Name: 'Mine', Description: 'access_token' }], {
      ...fast,
      signal: AbortSignal.timeout(30_000),
      timeoutMs: 30_000,
    });
    expect(result.numberRecordsProcessed).toBe(1);
  });
});
