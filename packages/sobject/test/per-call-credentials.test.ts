// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call: `org.insert(acc, oauth, cb)`, `org.getRecord(..., oauth)`,
// `org.getAttachmentBody({ id }, oauth)`, `org.apexRest({...}, oauth, cb)`. Here that object
// would land in the options slot and be ignored, and the record would be read or written as the
// connection's user. Every call must refuse it with INVALID_ARGUMENT before anything is sent,
// naming the keys but never the token; ordinary records and options must still work.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import {
  apex,
  apexRest,
  blobStream,
  composite,
  describe as describeType,
  openBlob,
  sobject,
  uploadBlob,
} from '../src/index.js';
import { useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

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

/** What must happen: INVALID_ARGUMENT naming the call and the keys, no token, thrown or rejected. */
async function expectRefused(
  call: () => unknown,
  name: string,
  keys = 'access_token, instance_url',
): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(isSalesforceError(error, 'INVALID_ARGUMENT'), `${name} must fail`).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/sobject] ${name} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth argument is refused, nothing sent", () => {
  it('create(record, oauth), retrieve(id, oauth) and the other CRUD calls', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Theirs' });
    emu.resetRequests();
    const Account = sobject(conn, 'Account');
    await expectRefused(() => js(Account.create)({ Name: 'Acme' }, oauth()), 'create()');
    await expectRefused(() => js(Account.create)({ Name: 'Acme' }, oauth(), () => {}), 'create()');
    await expectRefused(() => js(Account.create)([{ Name: 'A' }, { Name: 'B' }], oauth()), 'create()');
    await expectRefused(() => js(Account.retrieve)(id, oauth()), 'retrieve()');
    await expectRefused(() => js(Account.retrieve)(id, { accessToken: TOKEN }), 'retrieve()', 'accessToken');
    await expectRefused(() => js(Account.update)({ Id: id, Name: 'x' }, oauth()), 'update()');
    await expectRefused(() => js(Account.upsert)({ Name: 'x' }, 'Id', oauth()), 'upsert()');
    await expectRefused(() => js(Account.destroy)(id, { sessionId: TOKEN }), 'destroy()', 'sessionId');
    await expectRefused(() => js(Account.describe)(oauth()), 'describe()');
    await expectRefused(() => js(Account.record(id).retrieve)(oauth()), 'retrieve()');
    await expectRefused(() => js(Account.find)({ Name: 'Theirs' }, ['Id'], oauth()), 'find()');
    await expectRefused(() => js(sobject)(conn, 'Account', oauth()), 'sobject()');
    expect(emu.requests.length).toBe(0);
  });

  it('a record carrying the oauth object, and the free functions', async () => {
    const { emu, conn } = org();
    const parent = emu.store.insert('Account', { Name: 'Parent' });
    const id = emu.store.insert('Attachment', { Name: 'a.txt', ParentId: parent, Body: 'aGk=' });
    emu.resetRequests();
    // nforce's object form: the oauth inside the record would be sent as a field, or ignored.
    await expectRefused(
      () => sobject(conn, 'Account').create({ Name: 'x', oauth: oauth() }),
      'create()',
      'oauth',
    );
    await expectRefused(() => js(describeType)(conn, 'Account', oauth()), 'describe()');
    await expectRefused(() => js(openBlob)(conn, 'Attachment', id, oauth()), 'openBlob()');
    await expectRefused(() => js(blobStream)(conn, 'Attachment', id, oauth()), 'blobStream()');
    await expectRefused(() => js(uploadBlob)(conn, 'Document', { Name: 'd' }, 'x', oauth()), 'uploadBlob()');
    await expectRefused(() => js(apexRest)(conn, { uri: 'test', method: 'POST' }, oauth()), 'apexRest()');
    await expectRefused(() => js(apex(conn).get)('test', oauth()), 'get()');
    await expectRefused(() => js(composite)(conn, [], oauth()), 'composite()');
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary records, a field named like our option, and { signal, timeoutMs } still work', async () => {
    const { conn } = org();
    const options = { signal: AbortSignal.timeout(30_000), timeoutMs: 30_000 };
    const Account = sobject(conn, 'Account');
    const { id } = await Account.create({ Name: 'Mine', Description: 'access_token is a word' }, options);
    const record = await Account.retrieve(id, { ...options, fields: ['Name'] });
    expect(record.Name).toBe('Mine');
    await Account.update({ Id: id, Name: 'Mine 2' }, options);
    expect((await Account.record(id).retrieve(options)).Name).toBe('Mine 2');
    await Account.destroy(id, options);
  });
});
