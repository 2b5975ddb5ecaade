import { beforeAll, describe, expect, it } from 'vitest';
import { query, type QueryResult } from '../src/index.js';
import { seedAccounts, useOrg } from './helpers.js';

const org = useOrg({ childBatchSize: 3 });

describe('events', () => {
  beforeAll(() => {
    seedAccounts(org().emu, 450);
  });

  it('emits fetch per page, record per record with its index, then end; await waits for run()', async () => {
    const pages: number[] = [];
    const indexes: number[] = [];
    let ends = 0;
    const q = query(org().conn, 'SELECT Id FROM Account', { batchSize: 200 })
      .on('fetch', (page: QueryResult<unknown>) => pages.push(page.records.length))
      .on('record', (_r, i) => indexes.push(i))
      .on('end', () => ends++)
      .run({ autoFetch: true });
    const summary = await q;
    expect(pages).toEqual([200, 200, 50]);
    expect(indexes).toEqual([...Array(450).keys()]);
    expect(ends).toBe(1);
    expect(summary).toMatchObject({ totalSize: 450, done: true, records: [] });
  });

  it('run() without autoFetch reads the first page only', async () => {
    let n = 0;
    const q = query(org().conn, 'SELECT Id FROM Account', { batchSize: 200 })
      .on('record', () => n++)
      .run();
    const summary = await q;
    expect(n).toBe(200);
    expect(summary.done).toBe(false);
    expect(summary.nextRecordsUrl).toBeDefined();
  });

  it('emits record events while iterating and while streaming', async () => {
    let n = 0;
    const q = query(org().conn, 'SELECT Id FROM Account', { batchSize: 200 }).on('record', () => n++);
    let m = 0;
    for await (const _ of q) m++;
    expect([n, m]).toEqual([450, 450]);
    let s = 0;
    const rows = await query(org().conn, 'SELECT Id FROM Account')
      .on('record', () => s++)
      .stream()
      .toArray();
    expect([s, rows.length]).toEqual([450, 450]);
  });

  it('COUNT() answers totalSize with no records', async () => {
    const r = await query(org().conn, 'SELECT COUNT() FROM Account');
    expect(r).toMatchObject({ totalSize: 450, done: true, records: [] });
  });
});

describe('child subqueries', () => {
  let parent: string;
  beforeAll(() => {
    const { emu } = org();
    parent = emu.store.insert('Account', { Name: 'Parent Co' });
    for (let i = 1; i <= 8; i++) {
      emu.store.insert('Contact', { LastName: `Child ${i}`, AccountId: parent });
    }
  });

  const soql =
    "SELECT Id, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Parent Co'";

  it('a long child list comes back cut, with its own nextRecordsUrl', async () => {
    const r = await query<{ Contacts: QueryResult<{ LastName: string }> }>(org().conn, soql);
    const contacts = r.records[0]?.Contacts;
    expect(contacts).toMatchObject({ totalSize: 8, done: false });
    expect(contacts?.records).toHaveLength(3);
    expect(contacts?.nextRecordsUrl).toMatch(/\/query\/01g[A-Za-z0-9]{15}-3$/);
  });

  it('includeChildren fetches the rest of each child list', async () => {
    const r = await query<{ Id: string; Contacts: QueryResult<{ LastName: string }> }>(org().conn, soql, {
      includeChildren: true,
    });
    const contacts = r.records[0]?.Contacts;
    expect(r.records[0]?.Id).toBe(parent);
    expect(contacts?.done).toBe(true);
    expect(contacts?.nextRecordsUrl).toBeUndefined();
    expect(contacts?.records.map((c) => c.LastName)).toEqual(
      [...Array(8).keys()].map((i) => `Child ${i + 1}`),
    );
  });

  it('toCSV leaves child lists out and flattens parents', async () => {
    const { emu, conn } = org();
    emu.store.insert('Contact', { LastName: 'Solo', AccountId: parent });
    const chunks: Buffer[] = [];
    for await (const chunk of query(
      conn,
      "SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Solo'",
    ).toCSV()) {
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.concat(chunks).toString()).toBe('LastName,Account.Name\nSolo,Parent Co\n');
  });
});
