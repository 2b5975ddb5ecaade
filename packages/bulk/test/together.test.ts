import { describe, expect, it } from 'vitest';
import { bulkload, bulkQuery, destroyBulk, insertBulk, updateBulk } from '../src/index.js';
import { fast, useOrg } from './helpers.js';

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
