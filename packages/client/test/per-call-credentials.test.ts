// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call: `org.query(q, oauth)`, `org.insert(acc, oauth)`. Through the client those calls must be
// refused as the packages refuse them, with INVALID_ARGUMENT naming the keys but never the
// token and nothing sent, including where the client itself merges or hands on the arguments
// (`sf.sobject(type, oauth)`, `sf.bulk2.load(..., options, oauth)`, `sf.subscribe(channel, oauth)`,
// `sf.request(options, oauth)`).
import { describe, expect, it } from 'vitest';
import { isSalesforceError } from '../src/index.js';
import { useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const org = useOrg({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
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

/** What `run` throws or rejects with. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** What must happen: INVALID_ARGUMENT from `pkg` naming the call and the keys, no token in it. */
function expectRefused(error: unknown, pkg: string, call: string, keys = 'access_token, instance_url'): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[${pkg}] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth argument is refused through the client, nothing sent", () => {
  it('the calls the packages check: sf.query, sf.sobject(type).create and .retrieve, sf.bulk.load', async () => {
    const { emu, sf } = org();
    emu.resetRequests();
    expectRefused(
      await failure(() => js(sf.query)('SELECT Id FROM Account', oauth())),
      '@sf/query',
      'query()',
    );
    const Account = sf.sobject('Account');
    expectRefused(await failure(() => js(Account.create)({ Name: 'x' }, oauth())), '@sf/sobject', 'create()');
    expectRefused(
      await failure(() => js(Account.retrieve)('001000000000001AAA', oauth())),
      '@sf/sobject',
      'retrieve()',
    );
    expectRefused(
      await failure(() => js(sf.bulk.load)('Account', 'insert', [{ Name: 'x' }], oauth())),
      '@sf/bulk',
      'bulk.load',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('the calls whose arguments the client merges or hands on itself', async () => {
    const { emu, sf } = org();
    emu.resetRequests();
    expectRefused(await failure(() => js(sf.sobject)('Account', oauth())), '@sf/client', 'sobject()');
    expectRefused(
      await failure(() => js(sf.bulk2.load)('Account', 'insert', [{ Name: 'x' }], oauth())),
      '@sf/client',
      'bulk2.load()',
    );
    expectRefused(
      await failure(() => js(sf.bulk2.load)('Account', 'insert', [{ Name: 'x' }], {}, oauth())),
      '@sf/client',
      'bulk2.load()',
    );
    expectRefused(
      await failure(() => js(sf.bulk2.query)('SELECT Id FROM Account', {}, oauth())),
      '@sf/client',
      'bulk2.query()',
    );
    expectRefused(
      await failure(() => js(sf.subscribe)('/event/Order__e', oauth())),
      '@sf/client',
      'subscribe()',
    );
    expectRefused(
      await failure(() => js(sf.topic('Orders').subscribe)(() => {}, oauth())),
      '@sf/client',
      'topic(name).subscribe()',
    );
    expectRefused(
      await failure(() => js(sf.subscribe)('/event/Order__e', {}, oauth())),
      '@sf/client',
      'subscribe()',
    );
    expectRefused(
      await failure(() => js(sf.request)({ path: 'limits' }, oauth())),
      '@sf/client',
      'request()',
    );
    expectRefused(
      await failure(() => js(sf.request)({ path: 'limits', accessToken: TOKEN })),
      '@sf/client',
      'request()',
      'accessToken',
    );
    expectRefused(await failure(() => js(sf.identity)(oauth())), '@sf/client', 'identity()');
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary records and options ({ signal, timeoutMs }) still work', async () => {
    const { sf } = org();
    const options = { signal: AbortSignal.timeout(30_000), timeoutMs: 30_000 };
    const { id } = await sf.sobject('Account').create({ Name: 'Mine' }, options);
    const page = await sf.query(`SELECT Id FROM Account WHERE Id = '${id}'`, options);
    expect(page.totalSize).toBe(1);
    expect(await sf.request({ path: 'limits', ...options })).toBeTypeOf('object');
  });
});
