// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call: `org.query(q, oauth)`, `org.query(q, req.session.oauth).pipe(res)`, and the object form
// `org.query({ query: q, oauth })`. Here that object would be taken for the options and ignored,
// and the query would run as the connection's user: another user's data. It must be refused
// with INVALID_ARGUMENT before anything is sent, naming the keys but never the token.
import { isSalesforceError } from '@sf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, find, query, queryAll, queryMore, search } from '../src/index.js';
import { queryRequests, seedAccounts, useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;

const org = useOrg();
const TOKEN = '00Dxx0000001gPL!AQ4AQOtherUsersToken';

/** nforce's oauth object: the OAuth token response of another user. */
function oauth() {
  return {
    access_token: TOKEN,
    instance_url: org().emu.instanceUrl,
    id: 'https://login.salesforce.com/id/00Dx0000001gPLEAY/005x0000001S2bCAAS',
    issued_at: '1278448101416',
    signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
  };
}

beforeAll(() => {
  seedAccounts(org().emu, 3);
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** What must happen: INVALID_ARGUMENT from @sf/query naming the call and keys, no token in it. */
function expectRefused(error: unknown, call: string, keys: string): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/query] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth argument is refused, nothing sent", () => {
  it('query(conn, soql, oauth), queryAll, queryMore and find throw at the call', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const soql = 'SELECT Id FROM Account';
    expectRefused(
      thrown(() => query(conn, soql, oauth() as never)),
      'query()',
      'access_token, instance_url',
    );
    expectRefused(
      thrown(() => queryAll(conn, soql, oauth() as never)),
      'queryAll()',
      'access_token, instance_url',
    );
    expectRefused(
      thrown(() => queryMore(conn, '/services/data/v64.0/query/01gX-2000', oauth() as never)),
      'queryMore()',
      'access_token, instance_url',
    );
    expectRefused(
      thrown(() => find(conn, 'Account', {}, ['Id'], oauth() as never)),
      'find()',
      'access_token, instance_url',
    );
    // Our own spelling in the options slot is refused too.
    expectRefused(
      thrown(() => query(conn, soql, { accessToken: TOKEN } as never)),
      'query()',
      'accessToken',
    );
    expect(queryRequests(emu)).toBe(0);
  });

  it("nforce's object form query(conn, { query: soql, oauth }) and extra arguments after the options", () => {
    const { conn, emu } = org();
    emu.resetRequests();
    expectRefused(
      thrown(() => (query as AnyCall)(conn, { query: 'SELECT Id FROM Account', oauth: oauth() })),
      'query()',
      'oauth',
    );
    expectRefused(
      thrown(() => (query as AnyCall)(conn, 'SELECT Id FROM Account', { autoFetch: true }, oauth())),
      'query()',
      'access_token, instance_url',
    );
    expect(queryRequests(emu)).toBe(0);
  });

  it('query(...).pipe(res) with oauth throws before a stream exists; run() and execute() refuse options with a token', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    expectRefused(
      thrown(() => (query as AnyCall)(conn, 'SELECT Id FROM Account', oauth())),
      'query()',
      'access_token, instance_url',
    );
    const q = query(conn, 'SELECT Id FROM Account');
    expectRefused(
      thrown(() => q.run({ sessionId: TOKEN } as never)),
      'run()',
      'sessionId',
    );
    expectRefused(
      thrown(() => q.execute(oauth() as never)),
      'execute()',
      'access_token, instance_url',
    );
    expect(queryRequests(emu)).toBe(0);
  });

  it('search and explain reject', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const sosl = 'FIND {Account} IN NAME FIELDS RETURNING Account(Id)';
    expectRefused(
      await search(conn, sosl, oauth() as never).catch((e: unknown) => e),
      'search()',
      'access_token, instance_url',
    );
    expectRefused(
      await explain(conn, 'SELECT Id FROM Account', oauth() as never).catch((e: unknown) => e),
      'explain()',
      'access_token, instance_url',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary options ({ signal, timeoutMs }) and conditions still work', async () => {
    const { conn } = org();
    const options = { signal: AbortSignal.timeout(30_000), timeoutMs: 30_000 };
    const result = await query(conn, 'SELECT Id FROM Account', options);
    expect(result.totalSize).toBe(3);
    const found = await find(conn, 'Account', { Name: { $like: 'Account%' } }, ['Id', 'Name'], options);
    expect(found.records).toHaveLength(3);
  });
});
