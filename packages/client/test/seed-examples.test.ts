// node-salesforce's README examples (shared/seeds/ in this repository), written against the
// client as an app migrating from node-salesforce would write them: the same calls on `sf`,
// promises for callbacks. Each test is named after the README section it runs.

import { once } from 'node:events';
import type { BatchInfo, Bulk1BatchResult } from '@sf/bulk';
import { describe, expect, it } from 'vitest';
import { SoqlDate } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg({
  customObjects: [
    { name: 'UpsertTable__c', fields: [{ name: 'ExtId__c', type: 'string', externalId: true, length: 20 }] },
  ],
});

describe('node-salesforce README, against sf', () => {
  it('CRUD Operation: retrieve, create, update, del/destroy, upsert (one and many)', async () => {
    const { sf } = org();
    const Account = sf.sobject<{ Id: string; Name: string }>('Account');
    const ret = await Account.create({ Name: 'My Account #1' });
    expect(ret.success).toBe(true);
    const rets = await Account.create([{ Name: 'My Account #1' }, { Name: 'My Account #2' }]);
    expect(rets.every((r) => r.success)).toBe(true);
    const account = await Account.retrieve(ret.id);
    expect(account.Name).toBe('My Account #1');
    const accounts = await Account.retrieve(rets.map((r) => r.id as string));
    expect(accounts.map((a) => a?.Name)).toEqual(['My Account #1', 'My Account #2']);
    expect((await Account.update({ Id: ret.id, Name: 'Updated Account #1' })).success).toBe(true);
    const updated = await Account.update(
      rets.map((r, i) => ({ Id: r.id as string, Name: `Updated Account #${i + 2}` })),
    );
    expect(updated.every((r) => r.success)).toBe(true);
    expect((await Account.del(ret.id)).success).toBe(true);
    const deleted = await Account.destroy(rets.map((r) => r.id as string)); // synonym of "del"
    expect(deleted.every((r) => r.success)).toBe(true);

    const Table = sf.sobject('UpsertTable__c');
    expect((await Table.upsert({ Name: 'Record #1', ExtId__c: 'ID-0000001' }, 'ExtId__c')).success).toBe(
      true,
    );
    const upserts = await Table.upsert(
      [
        { Name: 'Record #1', ExtId__c: 'ID-0000001' },
        { Name: 'Record #2', ExtId__c: 'ID-0000002' },
      ],
      'ExtId__c',
    );
    expect(upserts.every((r) => r.success)).toBe(true);
  });

  it('Describe: sobject(type).describe() and describeGlobal()', async () => {
    const { sf } = org();
    const meta = await sf.sobject('Account').describe();
    expect(meta.label).toBe('Account');
    expect(meta.fields.length).toBeGreaterThan(0);
    const res = await sf.describeGlobal();
    expect(res.sobjects.length).toBeGreaterThan(0);
  });

  it('Query Records, Event-Driven Style: record/end/error events and run({ autoFetch, maxFetch })', async () => {
    const { emu, sf } = org();
    for (let i = 0; i < 30; i++) emu.store.insert('Account', { Name: `Event ${i}` });
    const records: unknown[] = [];
    const { total, fetched } = await new Promise<{ total: number; fetched: number }>((resolve, reject) => {
      sf.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Event %'", { batchSize: 200 })
        .on('record', (record) => records.push(record))
        .on('end', (query) => resolve({ total: query.totalSize ?? 0, fetched: query.totalFetched }))
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 20 });
    });
    expect(total).toBe(30);
    expect(fetched).toBe(20);
    expect(records).toHaveLength(20);
  });

  it('Query Records, Callback Style: the promise resolves with totalSize and records', async () => {
    const { sf } = org();
    const result = await sf.query('SELECT Id, Name FROM Account');
    expect(result.totalSize).toBe(result.records.length);
  });

  it('JSON-style Query object and method chaining: find(conditions, fields).sort().execute()', async () => {
    const { emu, sf } = org();
    const sony = emu.store.insert('Account', { Name: 'Sony, Inc.' });
    const yesterday = new Date(Date.now() - 20 * 3600 * 1000).toISOString();
    emu.store.insert('Contact', { LastName: 'Abe', AccountId: sony }, { asSystem: true });
    emu.store.insert(
      'Contact',
      { LastName: 'Akiyama', AccountId: sony, CreatedDate: yesterday },
      { asSystem: true },
    );
    emu.store.insert('Contact', { LastName: 'Baker', AccountId: sony });
    const result = await sf
      .sobject('Contact')
      .find(
        {
          LastName: { $like: 'A%' },
          CreatedDate: { $gte: SoqlDate.YESTERDAY },
          'Account.Name': 'Sony, Inc.',
        },
        { Id: 1, Name: 1, CreatedDate: 1 },
      )
      .sort({ CreatedDate: -1, Name: 1 })
      .execute();
    expect(result.records.map((r) => r.Name)).toEqual(['Abe', 'Akiyama']);
  });

  it('Bulk Operation, Loading records: createJob, createBatch, queue, poll, response; and bulk.load()', async () => {
    const { sf } = org();
    const accounts = [{ Name: 'Account #1' }, { Name: 'Account #2' }, { Name: 'Account #3' }];
    const job = sf.bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const queued = once(batch, 'queue'); // fired when batch request is queued in server.
    batch.execute(accounts);
    const [batchInfo] = (await queued) as [BatchInfo];
    // ... and check the status later.
    const again = sf.bulk.job(batchInfo.jobId).batch(batchInfo.id);
    const rets = await new Promise<Bulk1BatchResult[]>((resolve, reject) => {
      again.on('response', resolve).on('error', reject);
      again.poll(20 /* interval(ms) */, 20_000 /* timeout(ms) */);
    });
    expect(rets.map((r) => r.success)).toEqual([true, true, true]);

    // or use Bulk#load() method in one call to upload records and fetch results.
    const loaded = await sf.bulk.load('Account', 'insert', [...accounts, { Name: null }]);
    const lines = loaded.map((r, i) =>
      r.success
        ? `#${i + 1} loaded successfully`
        : `#${i + 1} error occurred, message = ${r.errors.join(', ')}`,
    );
    expect(lines[3]).toMatch(/^#4 error occurred, message = REQUIRED_FIELD_MISSING: /);

    // same as following calls (Bulk API 2.0 here: a LoadResult, not an array)
    const inserted = await sf.sobject('Account').insertBulk(accounts);
    expect(inserted.numberRecordsSucceeded).toBe(3);
    const viaBulkload = await sf.sobject('Account').bulkload('insert').execute(accounts);
    expect(viaBulkload.numberRecordsSucceeded).toBe(3);
  });

  it('Record Stream Pipeline: a query piped into a Bulk 1.0 batch', async () => {
    const { emu, sf } = org();
    emu.store.insert('Account', { Name: 'Pipe Me', BillingCity: 'Pipe City' });
    const batch = sf.bulk.createJob('Account', 'insert').createBatch();
    sf.query("SELECT Name, BillingCity FROM Account WHERE BillingCity = 'Pipe City'").pipe(batch);
    const copied = await batch;
    expect(copied.map((r) => r.success)).toEqual([true]);
  });

  it('Streaming API: topic(name).subscribe(listener)', async () => {
    const { sf } = org();
    const { id: topicId } = await sf.sobject('PushTopic').create({
      Name: 'InvoiceStatementUpdates',
      Query: 'SELECT Id, Name FROM Account',
      ApiVersion: 64,
    });
    const message = await new Promise<{
      event: { type: string; createdDate: string };
      sobject?: { Id?: unknown };
    }>((resolve, reject) => {
      const sub = sf.topic('InvoiceStatementUpdates').subscribe(resolve);
      sub.on('error', reject);
      sub
        .ready()
        .then(() => sf.sobject('Account').create({ Name: 'Invoice Account' }))
        .then(() => undefined, reject);
      message_sub = sub;
    });
    expect(message.event.type).toBe('created');
    expect(typeof message.event.createdDate).toBe('string');
    expect(message.sobject?.Id).toMatch(/^001/);
    await message_sub?.unsubscribe();
    await sf.sobject('PushTopic').destroy(topicId);
  });
});

let message_sub: { unsubscribe(): Promise<void> } | undefined;
