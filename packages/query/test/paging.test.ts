import { SalesforceError } from '@sf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, queryAll, queryMore } from '../src/index.js';
import { seedAccounts, useOrg } from './helpers.js';
import { probedConnection, queryRequestsSent } from './request-probe.js';

const org = useOrg();
const N = 4500;

describe('paging', () => {
  beforeAll(() => {
    seedAccounts(org().emu, N);
  });

  it('awaits the first page by default, with totalSize and nextRecordsUrl', async () => {
    const { conn } = org();
    const result = await query(conn, 'SELECT Id, Name FROM Account ORDER BY Name', { batchSize: 200 });
    expect(result.totalSize).toBe(N);
    expect(result.done).toBe(false);
    expect(result.records).toHaveLength(200);
    expect(result.nextRecordsUrl).toMatch(/^\/services\/data\/v64\.0\/query\/01g[A-Za-z0-9]{15}-200$/);
    expect(result.records[0]).toMatchObject({ attributes: { type: 'Account' }, Name: 'Account 00001' });
  });

  it('iterates 4,500 rows in pages of 200: every row once, in order', async () => {
    const { conn, probe } = probedConnection(org().emu);
    const names: string[] = [];
    const q = query<{ Name: string }>(conn, 'SELECT Id, Name FROM Account ORDER BY Name', { batchSize: 200 });
    for await (const record of q) names.push(record.Name);
    expect(names).toHaveLength(N);
    expect(names[0]).toBe('Account 00001');
    expect(names.at(-1)).toBe(`Account ${String(N).padStart(5, '0')}`);
    expect(new Set(names).size).toBe(N);
    expect([...names].sort()).toEqual(names);
    expect(q.totalSize).toBe(N);
    expect(q.totalFetched).toBe(N);
    await probe.quiet();
    expect(queryRequestsSent(probe)).toBe(Math.ceil(N / 200));
  });

  it('awaits every record with autoFetch, and stops at maxFetch only when given', async () => {
    const { conn } = org();
    const all = await query(conn, 'SELECT Id FROM Account', { autoFetch: true, batchSize: 500 });
    expect(all.records).toHaveLength(N);
    expect(all.done).toBe(true);
    expect(all.nextRecordsUrl).toBeUndefined();
    const some = await query(conn, 'SELECT Id FROM Account', {
      autoFetch: true,
      maxFetch: 1000,
      batchSize: 500,
    });
    expect(some.records).toHaveLength(1000);
    expect(some.totalSize).toBe(N);
    expect(some.done).toBe(false);
    expect(some.nextRecordsUrl).toMatch(/-1000$/);
  });

  it('continues from a nextRecordsUrl with queryMore', async () => {
    const { conn } = org();
    const first = await query<{ Name: string }>(conn, 'SELECT Name FROM Account ORDER BY Name', {
      batchSize: 2000,
    });
    expect(first.records).toHaveLength(2000);
    const second = await queryMore<{ Name: string }>(conn, first.nextRecordsUrl as string);
    expect(second.records[0]?.Name).toBe('Account 02001');
    expect(second.records).toHaveLength(2000);
    const rest: string[] = [];
    for await (const r of queryMore<{ Name: string }>(conn, second.nextRecordsUrl as string))
      rest.push(r.Name);
    expect(rest).toHaveLength(N - 4000);
  });

  it('fetches one page ahead of the consumer, never more', async () => {
    const { conn, probe } = probedConnection(org().emu);
    const q = query(conn, 'SELECT Id FROM Account ORDER BY Name', { batchSize: 200 });
    const iterator = q[Symbol.asyncIterator]();
    const seen: number[] = [];
    for (let page = 0; page < 5; page++) {
      // Consume a page but its last record, then pause until the client is quiet: the page after
      // it may have been fetched, no more.
      for (let i = 0; i < 199; i++) await iterator.next();
      await probe.quiet();
      seen.push(queryRequestsSent(probe));
      await iterator.next();
    }
    expect(seen).toEqual([2, 3, 4, 5, 6]);
    await iterator.return?.();
  });

  it('a paused stream fetches at most one page beyond the one being read', async () => {
    const { conn, probe } = probedConnection(org().emu);
    const stream = query(conn, 'SELECT Id FROM Account', { batchSize: 200 }).stream();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await probe.quiet();
    expect(queryRequestsSent(probe)).toBe(2);
    for (let i = 0; i < 250; i++) await iterator.next();
    await probe.quiet();
    expect(queryRequestsSent(probe)).toBe(3);
    stream.destroy();
  });

  it('queryAll sees deleted rows; query does not', async () => {
    const { conn, emu } = org();
    const id = emu.store.insert('Account', { Name: 'Deleted Co' });
    emu.store.delete('Account', id);
    const live = await query(conn, "SELECT Id, IsDeleted FROM Account WHERE Name = 'Deleted Co'");
    expect(live.totalSize).toBe(0);
    const all = await queryAll(conn, "SELECT Id, IsDeleted FROM Account WHERE Name = 'Deleted Co'");
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
  });

  it('rejects a nextRecordsUrl that is not one', () => {
    const { conn } = org();
    expect(() => queryMore(conn, 'sobjects/Account')).toThrow(SalesforceError);
  });
});
