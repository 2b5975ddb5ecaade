import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { bulkQuery, bulkQueryAll, load } from '../src/index.js';
import { fast, useOrg } from './helpers.js';

const org = useOrg();

describe('Bulk 2.0 query', () => {
  it('streams every page, each page header read as a header, typed from describe', async () => {
    const { conn, emu } = org();
    const parent = emu.store.insert('Account', { Name: 'Parent' });
    for (let i = 0; i < 250; i++) {
      emu.store.insert('Contact', {
        LastName: `Q${String(i).padStart(3, '0')}`,
        AccountId: i % 2 ? parent : null,
      });
    }
    emu.store.insert('Account', { Name: 'Typed', NumberOfEmployees: 42, AnnualRevenue: 1.5 });
    const jobs: string[] = [];
    const requests = emu.requests.length;
    const contacts = await bulkQuery(
      conn,
      "SELECT Id, LastName, Account.Name FROM Contact WHERE LastName LIKE 'Q%'",
      {
        ...fast,
        maxRecords: 100,
        onJob: (id) => jobs.push(id),
      },
    ).toArray();
    expect(contacts).toHaveLength(250);
    expect(contacts.some((c) => c.LastName === 'LastName')).toBe(false);
    expect(new Set(contacts.map((c) => c.Id)).size).toBe(250);
    expect(contacts.find((c) => c.LastName === 'Q001')?.Account).toEqual({ Name: 'Parent' });
    expect(contacts.find((c) => c.LastName === 'Q000')?.Account).toEqual({ Name: null });
    const pages = emu.requests.slice(requests).filter((r) => r.path.endsWith('/results'));
    expect(pages).toHaveLength(3);
    expect(jobs).toHaveLength(1);

    const [typed] = await bulkQuery(
      conn,
      "SELECT Name, NumberOfEmployees, AnnualRevenue, Description FROM Account WHERE Name = 'Typed'",
      { ...fast, types: true },
    ).toArray();
    expect(typed).toEqual({ Name: 'Typed', NumberOfEmployees: 42, AnnualRevenue: 1.5, Description: null });
  });

  it('queryAll sees deleted rows; a bad query is a typed error', async () => {
    const { conn } = org();
    const inserted = await load(conn, 'Account', 'insert', [{ Name: 'Gone' }], fast);
    const [row] = await inserted.successfulResults().toArray();
    await load(conn, 'Account', 'delete', [{ Id: row!.id }], fast);
    const live = await bulkQuery(conn, "SELECT Id FROM Account WHERE Name = 'Gone'", fast).toArray();
    const all = await bulkQueryAll(
      conn,
      "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone'",
      fast,
    ).toArray();
    expect(live).toHaveLength(0);
    expect(all).toEqual([{ Id: row!.id, IsDeleted: 'true' }]);
    const error = await bulkQuery(conn, 'SELECT Nope__c FROM Account', fast)
      .toArray()
      .catch((e: unknown) => e);
    expect(isSalesforceError(error, 'API_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/Nope__c/);
  });

  it('stops fetching when the consumer stops early', async () => {
    const { conn, emu } = org();
    const before = emu.requests.length;
    let n = 0;
    for await (const _ of bulkQuery(conn, "SELECT Id FROM Contact WHERE LastName LIKE 'Q%'", {
      ...fast,
      maxRecords: 50,
    })) {
      if (++n === 10) break;
    }
    const pages = emu.requests.slice(before).filter((r) => r.path.endsWith('/results'));
    expect(pages.length).toBeLessThanOrEqual(2);
  });
});
