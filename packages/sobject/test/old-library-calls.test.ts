// node-salesforce's and nforce's calls take a callback last (shared/seeds/: node-salesforce's
// `conn.sobject("Account").create({...}, function (err, ret) {...})`, nforce's
// `org.apexRest({...}, oauth, function (err, resp) {...})`). Taken for the options here, it would
// never be called and the program would wait, silently; so every call refuses a function last,
// with INVALID_ARGUMENT naming the promise, before anything is sent.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it, vi } from 'vitest';
import {
  apex,
  apexRest,
  blobStream,
  composite,
  describeGlobal,
  describe as describeType,
  getUrl,
  openBlob,
  sobject,
  uploadBlob,
} from '../src/index.js';
import { useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const org = useOrg();

/** What must happen: INVALID_ARGUMENT naming the call and the promise, thrown or rejected. */
async function expectRefused(call: () => unknown, name: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(isSalesforceError(error), `${name} must fail`).toBe(true);
  const e = error as { code: string; message: string };
  expect(e.code).toBe('INVALID_ARGUMENT');
  expect(e.message).toContain('[@sf/sobject]');
  expect(e.message).toContain(name);
  expect(e.message).toMatch(/takes no callback.*`await`/);
}

describe('a callback last is refused by every call, nothing sent, never called', () => {
  it("node-salesforce's CRUD, upsert and describe calls with a callback", async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Cb' });
    emu.resetRequests();
    const cb = vi.fn();
    const Account = sobject(conn, 'Account');
    const Table = sobject(conn, 'UpsertTable__c');
    await expectRefused(() => js(Account.retrieve)(id, cb), 'retrieve()');
    await expectRefused(() => js(Account.retrieve)([id], cb), 'retrieve()');
    await expectRefused(() => js(Account.create)({ Name: 'x' }, cb), 'create()');
    await expectRefused(() => js(Account.create)([{ Name: 'x' }, { Name: 'y' }], cb), 'create()');
    await expectRefused(() => js(Account.update)({ Id: id, Name: 'y' }, cb), 'update()');
    await expectRefused(() => js(Account.update)({ Id: id, Name: 'y' }, {}, cb), 'update()');
    await expectRefused(() => js(Account.del)(id, cb), 'del()');
    await expectRefused(() => js(Account.destroy)([id], cb), 'destroy()');
    await expectRefused(() => js(Table.upsert)({ Name: 'R', ExtId__c: 'ID-1' }, 'ExtId__c', cb), 'upsert()');
    await expectRefused(() => js(Table.upsert)({ Name: 'R', ExtId__c: 'ID-1' }, cb), 'upsert()');
    await expectRefused(
      () => js(Table.upsert)([{ Name: 'R', ExtId__c: 'ID-1' }], 'ExtId__c', cb),
      'upsert()',
    );
    await expectRefused(() => js(Account.describe)(cb), 'describe()');
    await expectRefused(() => js(Account.find)({ Name: 'Cb' }, ['Id'], cb), 'find()');
    await expectRefused(() => js(Account.findOne)({ Name: 'Cb' }, cb), 'findOne()');
    await expectRefused(() => js(Account.count)({}, cb), 'count()');
    await expectRefused(() => js(Account.record(id).retrieve)(cb), 'retrieve()');
    await expectRefused(() => js(describeGlobal)(conn, cb), 'describeGlobal()');
    await expectRefused(() => js(describeType)(conn, 'Account', cb), 'describe()');
    expect(cb).not.toHaveBeenCalled();
    expect(emu.requests).toHaveLength(0);
  });

  it("nforce's apexRest(request, oauth, callback), composite, blobs and getUrl", async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const cb = vi.fn();
    await expectRefused(() => js(apexRest)(conn, { uri: 'test' }, {}, cb), 'apexRest()');
    await expectRefused(() => js(apex(conn).get)('test', cb), 'get()');
    await expectRefused(() => js(composite)(conn, [], cb), 'composite()');
    await expectRefused(() => js(getUrl)(conn, 'limits', cb), 'getUrl()');
    await expectRefused(() => js(openBlob)(conn, 'Attachment', '00P000000000000AAA', cb), 'openBlob()');
    await expectRefused(() => js(blobStream)(conn, 'Attachment', '00P000000000000AAA', cb), 'blobStream()');
    await expectRefused(
      () => js(uploadBlob)(conn, 'Attachment', { Name: 'a' }, 'data', {}, cb),
      'uploadBlob()',
    );
    expect(cb).not.toHaveBeenCalled();
    expect(emu.requests).toHaveLength(0);
  });

  it('a call without a callback still works (the check looks at the last argument only)', async () => {
    const { conn } = org();
    const Account = sobject(conn, 'Account');
    const { id } = await Account.create({ Name: 'No callback' });
    expect((await Account.retrieve(id, { fields: ['Name'] })).Name).toBe('No callback');
    await Account.destroy(id);
  });
});

describe("node-salesforce's SObject Bulk methods say where they went", () => {
  it('insertBulk and bulkload(...).execute throw INVALID_ARGUMENT naming @sf/bulk; the fields stay hidden', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const Account = sobject(conn, 'Account') as unknown as Record<string, AnyCall>;
    for (const name of ['insertBulk', 'bulkload', 'updateBulk', 'destroyBulk']) {
      let error: unknown;
      try {
        Account[name]?.([{ Name: 'x' }]);
      } catch (e) {
        error = e;
      }
      expect(isSalesforceError(error) && error.code, name).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toContain(`${name}(conn`);
      expect((error as Error).message).toContain('@sf/bulk');
    }
    expect(Object.keys(Account)).not.toContain('insertBulk');
    expect(emu.requests).toHaveLength(0);
    // @sf/bulk's withBulk(sobject) assigns the real methods over them: that must still work.
    const real = () => 'bulk';
    Object.assign(Account, { insertBulk: real });
    expect(Account.insertBulk?.()).toBe('bulk');
  });
});
