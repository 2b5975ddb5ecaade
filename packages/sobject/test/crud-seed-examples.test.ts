// The CRUD examples of the two seed READMEs (node-salesforce and nforce), in today's API.

import { describe, expect, it } from 'vitest';
import { sobject } from '../src/index.js';
import { requestsTo, useOrg } from './helpers.js';

describe('node-salesforce CRUD examples', () => {
  const org = useOrg();

  it('retrieve: conn.sobject("Account").retrieve(id)', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Retrieve Me' });
    const account = await sobject(conn, 'Account').retrieve(id);
    expect(account.Name).toBe('Retrieve Me');
    expect(account.attributes.type).toBe('Account');
  });

  it('retrieve many: one Collections request instead of one per record', async () => {
    const { emu, conn } = org();
    const ids = [emu.store.insert('Account', { Name: 'R1' }), emu.store.insert('Account', { Name: 'R2' })];
    emu.resetRequests();
    const accounts = await sobject(conn, 'Account').retrieve(ids, { fields: ['Id', 'Name'] });
    expect(accounts.map((a) => a?.Name)).toEqual(['R1', 'R2']);
    expect(emu.requests).toHaveLength(1);
  });

  it('retrieve many without fields uses the cached describe; unknown ids come back null', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'R3' });
    const [found, missing] = await sobject(conn, 'Account').retrieve([id, '001000000000000AAA']);
    expect(found?.Name).toBe('R3');
    expect(found?.Industry).toBeNull();
    expect(missing).toBeNull();
  });

  it('create: conn.sobject("Account").create({ Name })', async () => {
    const { emu, conn } = org();
    const ret = await sobject(conn, 'Account').create({ Name: 'My Account #1' });
    expect(ret.success).toBe(true);
    expect(emu.store.get('Account', ret.id as string)?.Name).toBe('My Account #1');
  });

  it('create many: results in input order, one request', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const rets = await sobject(conn, 'Account').create([
      { Name: 'My Account #1' },
      { Name: 'My Account #2' },
    ]);
    expect(rets.map((r) => r.success)).toEqual([true, true]);
    expect(rets.map((r) => emu.store.get('Account', r.id as string)?.Name)).toEqual([
      'My Account #1',
      'My Account #2',
    ]);
    expect(requestsTo(emu, '/composite/sobjects')).toBe(1);
  });

  it('update: conn.sobject("Account").update({ Id, Name })', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Before' });
    const ret = await sobject(conn, 'Account').update({ Id: id, Name: 'Updated Account #1' });
    expect(ret).toEqual({ id, success: true, errors: [] });
    expect(emu.store.get('Account', id)?.Name).toBe('Updated Account #1');
  });

  it('update many', async () => {
    const { emu, conn } = org();
    const a = emu.store.insert('Account', { Name: 'A' });
    const b = emu.store.insert('Account', { Name: 'B' });
    const rets = await sobject(conn, 'Account').update([
      { Id: a, Name: 'Updated Account #1' },
      { Id: b, Name: 'Updated Account #2' },
    ]);
    expect(rets.map((r) => [r.id, r.success])).toEqual([
      [a, true],
      [b, true],
    ]);
    expect(emu.store.get('Account', b)?.Name).toBe('Updated Account #2');
  });

  it('del: conn.sobject("Account").del(id)', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Doomed' });
    const ret = await sobject(conn, 'Account').del(id);
    expect(ret).toEqual({ id, success: true, errors: [] });
    expect(emu.store.get('Account', id)).toBeUndefined();
  });

  it('destroy many (synonym of del)', async () => {
    const { emu, conn } = org();
    const ids = [emu.store.insert('Account', { Name: 'D1' }), emu.store.insert('Account', { Name: 'D2' })];
    const rets = await sobject(conn, 'Account').destroy(ids);
    expect(rets).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
    expect(ids.map((id) => emu.store.get('Account', id))).toEqual([undefined, undefined]);
  });

  it('upsert: by ExtId__c, insert then update', async () => {
    const { emu, conn } = org();
    const table = sobject(conn, 'UpsertTable__c');
    const first = await table.upsert({ Name: 'Record #1', ExtId__c: 'ID-0000001' }, 'ExtId__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await table.upsert({ Name: 'Record #1b', ExtId__c: 'ID-0000001' }, 'ExtId__c');
    expect(second).toMatchObject({ id: first.id, success: true, created: false });
    expect(emu.store.get('UpsertTable__c', first.id as string)?.Name).toBe('Record #1b');
  });

  it('upsert many: one Collections request', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const rets = await sobject(conn, 'UpsertTable__c').upsert(
      [
        { Name: 'Record #1', ExtId__c: 'ID-0000011' },
        { Name: 'Record #2', ExtId__c: 'ID-0000012' },
      ],
      'ExtId__c',
    );
    expect(rets.map((r) => [r.success, r.created])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(emu.requests).toHaveLength(1);
  });
});

describe('nforce CRUD examples', () => {
  const org = useOrg();

  it('createSObject + insert: fields set after creation are sent', async () => {
    const { emu, conn } = org();
    const Account = sobject(conn, 'Account');
    const acc = Account.createRecord({ Name: 'Spiffy Cleaners' });
    acc.Phone = '800-555-2345';
    const ret = await Account.create(acc);
    expect(ret.success).toBe(true);
    expect(acc.getId()).toBe(ret.id);
    expect(acc.hasChanges()).toBe(false);
    expect(emu.store.get('Account', ret.id as string)).toMatchObject({
      Name: 'Spiffy Cleaners',
      Phone: '800-555-2345',
    });
  });

  it('query, change two fields, update: only Name and Industry are sent', async () => {
    const { emu, conn } = org();
    emu.store.insert('Account', { Name: 'Spiffy Cleaners Ltd', BillingCity: 'Austin' });
    const Account = sobject(conn, 'Account');
    const [acc] = await Account.findTracked({ Name: 'Spiffy Cleaners Ltd' }, [
      'Id',
      'Name',
      'CreatedDate',
      'BillingCity',
    ]);
    if (!acc) throw new Error('no record');
    acc.Name = 'Really Spiffy Cleaners';
    acc.Industry = 'Cleaners';
    expect(acc.changes()).toEqual({ Name: 'Really Spiffy Cleaners', Industry: 'Cleaners' });
    const changes: string[][] = [];
    const off = emu.store.onChange((c) => changes.push(c.changedFields));
    await Account.update(acc);
    off();
    expect(changes).toEqual([['Name', 'Industry']]);
    expect(acc.hasChanges()).toBe(false);
    expect(emu.store.get('Account', acc.getId() as string)).toMatchObject({
      Name: 'Really Spiffy Cleaners',
      Industry: 'Cleaners',
      BillingCity: 'Austin',
    });
  });

  it('setExternalId + upsert', async () => {
    const { emu, conn } = org();
    const table = sobject(conn, 'UpsertTable__c');
    const rec = table.createRecord({ Name: 'Ext' });
    rec.setExternalId('ExtId__c', 'NF-1');
    const ret = await table.upsert(rec);
    expect(ret).toMatchObject({ success: true, created: true });
    expect(emu.store.get('UpsertTable__c', ret.id as string)).toMatchObject({
      Name: 'Ext',
      ExtId__c: 'NF-1',
    });
  });

  it('org.delete(acc): delete by record', async () => {
    const { emu, conn } = org();
    const Account = sobject(conn, 'Account');
    const acc = Account.createRecord({ Name: 'Delete by record' });
    await Account.create(acc);
    expect(await Account.del(acc)).toMatchObject({ id: acc.getId(), success: true });
    expect(emu.store.get('Account', acc.getId() as string)).toBeUndefined();
  });

  it('getRecord and delete through record(id)', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Handle' });
    const handle = sobject(conn, 'Account').record(id);
    expect((await handle.retrieve({ fields: ['Name'] })).Name).toBe('Handle');
    await handle.update({ Name: 'Handle 2' });
    expect(emu.store.get('Account', id)?.Name).toBe('Handle 2');
    await handle.destroy();
    expect(emu.store.get('Account', id)).toBeUndefined();
  });
});
