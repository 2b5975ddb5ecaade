// find / findOne / count through @sf/query, recent, updated / deleted and getUrl.

import { describe, expect, it } from 'vitest';
import { getUrl, recent, sobject } from '../src/index.js';
import { useOrg } from './helpers.js';

describe('find, count and the rest of REST', () => {
  const org = useOrg();

  it('find with sort and limit, findOne, count', async () => {
    const { emu, conn } = org();
    for (const [name, n] of [
      ['Find B', 20],
      ['Find A', 10],
      ['Find C', 30],
    ] as const) {
      emu.store.insert('Account', { Name: name, NumberOfEmployees: n });
    }
    const Account = sobject<{ Id?: string; Name?: string; NumberOfEmployees?: number | null }>(
      conn,
      'Account',
    );
    const page = await Account.find({ Name: { $like: 'Find %' } }, { Id: 1, Name: 1 })
      .sort({ Name: 1 })
      .limit(2);
    expect(page.records.map((r) => r.Name)).toEqual(['Find A', 'Find B']);
    const one = await Account.findOne({ NumberOfEmployees: { $gt: 25 } }, ['Name']);
    expect(one?.Name).toBe('Find C');
    expect(await Account.findOne({ Name: 'nobody' })).toBeUndefined();
    expect(await Account.count({ Name: { $like: 'Find %' } })).toBe(3);
  });

  it('updated and deleted in a date range', async () => {
    const { emu, conn } = org();
    const start = new Date(Date.now() - 60_000);
    const Account = sobject(conn, 'Account');
    const keep = emu.store.insert('Account', { Name: 'Updated one' });
    const gone = emu.store.insert('Account', { Name: 'Deleted one' });
    await Account.destroy(gone);
    const end = new Date(Date.now() + 60_000);
    const upd = await Account.updated(start, end);
    expect(upd.ids).toContain(keep);
    expect(upd.ids).not.toContain(gone);
    const del = await Account.deleted(start, end);
    expect(del.deletedRecords.map((r) => r.id)).toEqual([gone]);
  });

  it('recent (all types and one type) and getUrl on a record url', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Recent one' });
    const all = await recent(conn, undefined, { limit: 5 });
    expect(all.length).toBeGreaterThan(0);
    const accounts = await sobject(conn, 'Account').recent();
    expect(accounts.map((r) => r.Id)).toContain(id);
    const record = await getUrl<{ Name: string }>(conn, `/services/data/v64.0/sobjects/Account/${id}`);
    expect(record.Name).toBe('Recent one');
    expect(await getUrl<Record<string, unknown>>(conn, 'limits')).toHaveProperty('DailyApiRequests');
  });
});
