// GET /query, /queryAll, nextRecordsUrl cursors, explain and search, over HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { batchSizeOf } from '../src/routes/query.js';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator({ query: { ttlMs: 200, childBatchSize: 2 } });
const q = (soql: string) => `query?q=${encodeURIComponent(soql)}`;

describe('query routes', () => {
  beforeAll(() => {
    const emu = emulator();
    for (let i = 0; i < 450; i++) emu.store.insert('Account', { Name: `A${String(i).padStart(3, '0')}` });
  });

  it('pages by Sforce-Query-Options batchSize, with nextRecordsUrl locators', async () => {
    const emu = emulator();
    const first = await api(emu, 'GET', q('SELECT Name FROM Account ORDER BY Name'), {
      headers: { 'sforce-query-options': 'batchSize=200' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ totalSize: 450, done: false });
    expect(first.body.records).toHaveLength(200);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v64\.0\/query\/01g[A-Za-z0-9]{15}-200$/);
    const second = await api(emu, 'GET', first.body.nextRecordsUrl);
    expect(second.body.records[0].Name).toBe('A200');
    const third = await api(emu, 'GET', second.body.nextRecordsUrl);
    expect(third.body).toMatchObject({ totalSize: 450, done: true });
    expect(third.body.records).toHaveLength(50);
    expect(third.body.nextRecordsUrl).toBeUndefined();
    // A finished cursor is closed.
    expect((await api(emu, 'GET', second.body.nextRecordsUrl)).body[0].errorCode).toBe(
      'INVALID_QUERY_LOCATOR',
    );
  });

  it('clamps the batch size to 200..2000 and defaults to 2000', () => {
    expect(batchSizeOf(undefined)).toBe(2000);
    expect(batchSizeOf('batchSize=10')).toBe(200);
    expect(batchSizeOf('batchSize=5000')).toBe(2000);
    expect(batchSizeOf('batchSize=750')).toBe(750);
  });

  it('expires cursors after inactivity; unknown locators are INVALID_QUERY_LOCATOR', async () => {
    const emu = emulator();
    const first = await api(emu, 'GET', q('SELECT Id FROM Account'), {
      headers: { 'sforce-query-options': 'batchSize=200' },
    });
    await new Promise((r) => setTimeout(r, 300));
    const expired = await api(emu, 'GET', first.body.nextRecordsUrl);
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    const unknown = await api(emu, 'GET', 'query/01gXXXXXXXXXXXXXXX-200');
    expect(unknown.body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('answers SOQL errors as Salesforce error arrays', async () => {
    const emu = emulator();
    for (const [soql, code] of [
      ['SELECT FROM Account', 'MALFORMED_QUERY'],
      ['SELECT Nope FROM Account', 'INVALID_FIELD'],
      ['SELECT Id FROM Nope', 'INVALID_TYPE'],
    ] as const) {
      const res = await api(emu, 'GET', q(soql));
      expect(res.status).toBe(400);
      expect(res.body[0]).toMatchObject({ errorCode: code, message: expect.any(String) });
    }
    expect((await api(emu, 'GET', 'query')).body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('queryAll includes deleted rows; COUNT() answers totalSize', async () => {
    const emu = emulator();
    const id = emu.store.insert('Account', { Name: 'Gone' });
    emu.store.delete('Account', id);
    const soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone'";
    expect((await api(emu, 'GET', q(soql))).body.totalSize).toBe(0);
    const all = await api(emu, 'GET', `queryAll?q=${encodeURIComponent(soql)}`);
    expect(all.body.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    const count = await api(emu, 'GET', q('SELECT COUNT() FROM Account'));
    expect(count.body).toEqual({ totalSize: 450, done: true, records: [] });
  });

  it('cuts long child lists with their own nextRecordsUrl', async () => {
    const emu = emulator();
    const parent = emu.store.insert('Account', { Name: 'Parent' });
    for (const n of ['c1', 'c2', 'c3', 'c4', 'c5'])
      emu.store.insert('Contact', { LastName: n, AccountId: parent });
    const res = await api(
      emu,
      'GET',
      q("SELECT Id, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Parent'"),
    );
    const contacts = res.body.records[0].Contacts;
    expect(contacts).toMatchObject({ totalSize: 5, done: false });
    expect(contacts.records.map((c: { LastName: string }) => c.LastName)).toEqual(['c1', 'c2']);
    const more = await api(emu, 'GET', contacts.nextRecordsUrl);
    expect(more.body.records.map((c: { LastName: string }) => c.LastName)).toEqual(['c3', 'c4']);
  });

  it('explains and searches', async () => {
    const emu = emulator();
    const plan = await api(emu, 'GET', `query?explain=${encodeURIComponent('SELECT Id FROM Account')}`);
    expect(plan.body.plans[0]).toMatchObject({ sobjectType: 'Account' });
    const found = await api(
      emu,
      'GET',
      `search?q=${encodeURIComponent('FIND {A001} RETURNING Account(Name)')}`,
    );
    expect(found.body.searchRecords.map((r: { Name: string }) => r.Name)).toEqual(['A001']);
  });
});
