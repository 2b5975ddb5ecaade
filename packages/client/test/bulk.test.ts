// sf.bulk (Bulk API 1.0, as node-salesforce's conn.bulk), sf.bulk2 (Bulk API 2.0) and the
// bulk methods of sf.sobject(type), against the emulator's Bulk APIs.

import { once } from 'node:events';
import type { BatchInfo } from '@sf/bulk';
import { describe, expect, it } from 'vitest';
import { useOrg } from './helpers.js';

const org = useOrg();

describe('sf.bulk (Bulk API 1.0)', () => {
  it('sf.bulk.load inserts in input order, a failed row in its place', async () => {
    const { emu, sf } = org();
    const rets = await sf.bulk.load('Account', 'insert', [
      { Name: 'Bulk #1' },
      { Name: null },
      { Name: 'Bulk #3' },
    ]);
    expect(rets.map((r) => r.success)).toEqual([true, false, true]);
    expect(rets[1]?.errors[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(emu.store.get('Account', rets[0]?.id as string)?.Name).toBe('Bulk #1');
  });

  it('sf.bulk.createJob, createBatch, queue, and re-attaching by id with sf.bulk.job(id).batch(id)', async () => {
    const { sf } = org();
    const job = sf.bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const queued = once(batch, 'queue');
    batch.execute([{ Name: 'Job #1' }, { Name: 'Job #2' }]);
    const [info] = (await queued) as [BatchInfo];
    const again = sf.bulk.job(info.jobId).batch(info.id);
    const rets = await again;
    expect(rets.map((r) => r.success)).toEqual([true, true]);
    await sf.bulk.job(info.jobId).close();
  });

  it('sf.bulk.query streams the records of a Bulk 1.0 query', async () => {
    const { emu, sf } = org();
    emu.store.insert('Account', { Name: 'Bulk Query Me' });
    const names: unknown[] = [];
    for await (const r of sf.bulk.query("SELECT Id, Name FROM Account WHERE Name = 'Bulk Query Me'"))
      names.push(r.Name);
    expect(names).toEqual(['Bulk Query Me']);
  });
});

describe('sf.bulk2 and the bulk methods of sf.sobject (Bulk API 2.0)', () => {
  it('sf.bulk2.load and sf.bulk2.query', async () => {
    const { sf } = org();
    const result = await sf.bulk2.load('Account', 'insert', [{ Name: 'Two #1' }, { Name: 'Two #2' }]);
    expect(result.numberRecordsSucceeded).toBe(2);
    const rows: unknown[] = [];
    for await (const r of sf.bulk2.query("SELECT Name FROM Account WHERE Name LIKE 'Two #%'"))
      rows.push(r.Name);
    expect(rows.sort()).toEqual(['Two #1', 'Two #2']);
  });

  it("sf.sobject('Account').insertBulk and find(...).destroy() (node-salesforce's bulk conveniences)", async () => {
    const { sf } = org();
    const Account = sf.sobject('Account');
    const inserted = await Account.insertBulk([{ Name: 'Conv #1' }, { Name: 'Conv #2' }]);
    expect(inserted.numberRecordsSucceeded).toBe(2);
    const deleted = await Account.find({ Name: { $like: 'Conv #%' } }, ['Id']).destroy();
    expect(deleted.numberRecordsSucceeded).toBe(2);
    expect(await sf.sobject('Account').count({ Name: { $like: 'Conv #%' } })).toBe(0);
  });
});
