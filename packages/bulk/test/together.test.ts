import { pipeline } from 'node:stream/promises';
import { startEmulator } from '@sf/emulator';
import { find, query } from '@sf/query';
import { describe, expect, it } from 'vitest';
import { bulkload, bulkQuery, createBulk1, destroyBulk, insertBulk, updateBulk } from '../src/index.js';
import { connect, fast, useOrg } from './helpers.js';

const org = useOrg();

describe('seed README: conveniences over an sObject and a query', () => {
  it('insertBulk, bulkload(op).execute, query piped into update and destroy', async () => {
    const { conn, emu } = org();
    const inserted = await insertBulk(conn, 'Account', [{ Name: 'Conv 1' }, { Name: 'Conv 2' }], fast);
    expect(inserted.numberRecordsSucceeded).toBe(2);
    const more = await bulkload(conn, 'Account', 'insert', fast).execute([{ Name: 'Conv 3' }]);
    expect(more.numberRecordsSucceeded).toBe(1);
    const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Conv %'";
    const updated = await updateBulk(
      conn,
      'Account',
      bulkQuery(conn, soql, fast),
      (r) => ({ Id: r.Id, Name: `${r.Name} - renamed` }),
      fast,
    );
    expect(updated.numberRecordsSucceeded).toBe(3);
    const destroyed = await destroyBulk(conn, 'Account', bulkQuery(conn, soql, fast), fast);
    expect(destroyed.numberRecordsSucceeded).toBe(3);
    expect([...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Conv '))).toHaveLength(0);
  });
});

describe('seed README: Record Stream Pipeline, with @sf/query as the source', () => {
  it('Piping Query Record Stream: find(...) piped into a Bulk 1.0 delete batch', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 15; i++) emu.store.insert('Account', { Name: `Pipe del ${i}` });
    emu.store.insert('Account', { Name: 'Pipe keep' });
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'delete').createBatch();
    await pipeline(find(conn, 'Account', { Name: { $like: 'Pipe del %' } }).stream(), batch);
    const rets = await batch;
    expect(rets).toHaveLength(15);
    expect(rets.every((r) => r.success)).toBe(true);
    const left = [...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Pipe '));
    expect(left.map((r) => r.Name)).toEqual(['Pipe keep']);
  });

  it('UPDATE Opportunity SET Name = Account.Name + Name: find(...) mapped into a Bulk 1.0 update batch', async () => {
    const { conn, emu } = org();
    const accId = emu.store.insert('Account', { Name: 'Pipe Corp' });
    for (let i = 0; i < 4; i++) {
      emu.store.insert('Opportunity', {
        Name: `Deal ${i}`,
        AccountId: accId,
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
      });
    }
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Opportunity', 'update').createBatch();
    const opportunities = find<{ Id: string; Name: string; Account: { Name: string } }>(
      conn,
      'Opportunity',
      { 'Account.Id': accId },
      { Id: 1, Name: 1, 'Account.Name': 1 },
    );
    await pipeline(
      opportunities.stream().map((r) => ({ Id: r.Id, Name: `${r.Account.Name} - ${r.Name}` })),
      batch,
    );
    expect((await batch).every((r) => r.success)).toBe(true);
    const names = [...emu.store.rows('Opportunity')]
      .filter((r) => r.AccountId === accId)
      .map((r) => r.Name)
      .sort();
    expect(names).toEqual([
      'Pipe Corp - Deal 0',
      'Pipe Corp - Deal 1',
      'Pipe Corp - Deal 2',
      'Pipe Corp - Deal 3',
    ]);
  });

  it('insertBulk, updateBulk and destroyBulk read a REST query (several pages) as their source', async () => {
    const { conn, emu } = org();
    const from = emu.requests.length;
    const inserted = await insertBulk(
      conn,
      'Account',
      Array.from({ length: 450 }, (_, i) => ({ Name: `Paged ${String(i).padStart(3, '0')}` })),
      fast,
    );
    expect(inserted.numberRecordsSucceeded).toBe(450);
    const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Paged %'";
    // batchSize 200: three REST pages feed each load.
    const updated = await updateBulk(
      conn,
      'Account',
      query(conn, soql, { batchSize: 200 }),
      (r) => ({ Id: r.Id, Name: `${r.Name} v2` }),
      fast,
    );
    expect(updated.numberRecordsSucceeded).toBe(450);
    const pages = emu.requests.slice(from).filter((r) => r.method === 'GET' && r.path.includes('/query'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const v2 = [...emu.store.rows('Account')].filter((r) => /^Paged \d{3} v2$/.test(String(r.Name)));
    expect(v2).toHaveLength(450);
    const destroyed = await destroyBulk(
      conn,
      'Account',
      find(conn, 'Account', { Name: { $like: 'Paged %' } }),
      fast,
    );
    expect(destroyed.numberRecordsSucceeded).toBe(450);
    expect([...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Paged '))).toHaveLength(0);
  });

  it('Data Migration: conn1.query(...) (REST) piped into a Bulk 1.0 batch of another org', async () => {
    const { conn: conn1, emu: emu1 } = org();
    for (let i = 0; i < 250; i++) {
      emu1.store.insert('Account', { Name: `RestMigrate ${i}`, Type: 'Customer', BillingCity: `City ${i}` });
    }
    const emu2 = await startEmulator();
    try {
      const conn2 = connect(emu2);
      const source = query(
        conn1,
        "SELECT Id, Name, Type, BillingState, BillingCity, BillingStreet FROM Account WHERE Name LIKE 'RestMigrate %'",
        { batchSize: 200 },
      );
      const batch = createBulk1(conn2, { pollIntervalMs: 10 }).createJob('Account', 'insert').createBatch();
      await pipeline(
        source.stream().map(({ Id: _id, attributes: _a, ...rest }) => rest),
        batch,
      );
      const rets = await batch;
      expect(rets).toHaveLength(250);
      expect(rets.every((r) => r.success)).toBe(true);
      const moved = [...emu2.store.rows('Account')].filter((r) => String(r.Name).startsWith('RestMigrate '));
      expect(moved).toHaveLength(250);
      expect(new Set(moved.map((r) => r.BillingCity)).size).toBe(250);
    } finally {
      await emu2.close();
    }
  });
});
