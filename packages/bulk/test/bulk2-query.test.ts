import { isSalesforceError } from '@sf/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bulkQuery, bulkQueryAll, load } from '../src/index.js';
import { createPageParser } from '../src/query-page.js';
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

  it('types parent columns through single-target relationships, and dates on request', async () => {
    const { conn, emu } = org();
    const acc = emu.store.insert('Account', {
      Name: 'Typed Parent',
      NumberOfEmployees: 7,
      AnnualRevenue: 2.5,
    });
    emu.store.insert('Opportunity', {
      Name: 'Typed Deal',
      AccountId: acc,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      Amount: 1000,
      IsPrivate: true,
    });
    const soql =
      "SELECT Name, Amount, IsPrivate, CloseDate, CreatedDate, Account.NumberOfEmployees, Account.AnnualRevenue, Account.Name FROM Opportunity WHERE Name = 'Typed Deal'";
    const [plain] = await bulkQuery(conn, soql, fast).toArray();
    expect(plain?.Account).toEqual({ NumberOfEmployees: '7', AnnualRevenue: '2.5', Name: 'Typed Parent' });
    const [typed] = await bulkQuery(conn, soql, { ...fast, types: true }).toArray();
    expect(typed).toMatchObject({
      Name: 'Typed Deal',
      Amount: 1000,
      IsPrivate: true,
      CloseDate: '2026-12-31',
      Account: { NumberOfEmployees: 7, AnnualRevenue: 2.5, Name: 'Typed Parent' },
    });
    expect(typeof typed?.CreatedDate).toBe('string');
    const [dated] = await bulkQuery(conn, soql, { ...fast, types: true, dates: 'Date' }).toArray();
    expect(dated?.CloseDate).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(dated?.CreatedDate).toBeInstanceOf(Date);
    expect((dated?.CreatedDate as Date | undefined)?.toISOString()).toBe(
      new Date(String(typed?.CreatedDate)).toISOString(),
    );
  });

  it('bad dates or columnDelimiter options are INVALID_ARGUMENT before any request', () => {
    const { conn, emu } = org();
    const before = emu.requests.length;
    const soql = 'SELECT Id FROM Account';
    expect(() => bulkQuery(conn, soql, { types: true, dates: 'date' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/dates must be/) }),
    );
    expect(() => bulkQuery(conn, soql, { columnDelimiter: ';' as never })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/columnDelimiter/),
      }),
    );
    expect(emu.requests.length).toBe(before);
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
      concurrency: 1, // the locators, one page ahead (bulk2-result-pages.test.ts: in parallel)
    })) {
      if (++n === 10) break;
    }
    const pages = emu.requests.slice(before).filter((r) => r.path.endsWith('/results'));
    expect(pages.length).toBeLessThanOrEqual(2);
  });

  it('requests page n+1 while page n is read: one page ahead, never more', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 250; i++)
      emu.store.insert('Account', { Name: `Ahead ${String(i).padStart(3, '0')}` });
    const before = emu.requests.length;
    const pages = () => emu.requests.slice(before).filter((r) => r.path.endsWith('/results')).length;
    const records = bulkQuery(conn, "SELECT Id, Name FROM Account WHERE Name LIKE 'Ahead%'", {
      ...fast,
      maxRecords: 100,
      concurrency: 1, // the locators (bulk2-result-pages.test.ts: the parallel window)
    })[Symbol.asyncIterator]();
    const first = await records.next();
    expect(first.value).toMatchObject({ Name: expect.stringMatching(/^Ahead /) });
    // The consumer pauses on page 1's first record: page 2 is requested, page 3 is not.
    await sleep(150);
    expect(pages()).toBe(2);
    let n = 1;
    while (!(await records.next()).done) n++;
    expect(n).toBe(250);
    expect(pages()).toBe(3);
  });

  it('reads each page header as a header, rows split across chunks, a last row without a line break', async () => {
    const parser = createPageParser({ delimiter: ',', emptyAsNull: true, cast: undefined, where: 'page 1' });
    const text = '\uFEFFId,Name,Account.Name\n001,"Multi\nline, ""quoted""",Acme\n\n002,,\n003,Last,Parent';
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < text.length; i += 7) out.push(...parser.write(Buffer.from(text.slice(i, i + 7))));
    out.push(...(await parser.end()));
    expect(out).toEqual([
      { Id: '001', Name: 'Multi\nline, "quoted"', Account: { Name: 'Acme' } },
      { Id: '002', Name: null, Account: { Name: null } },
      { Id: '003', Name: 'Last', Account: { Name: 'Parent' } },
    ]);
  });

  it('a malformed page is a MALFORMED_RESPONSE error naming the page and line', async () => {
    const ragged = createPageParser({ delimiter: ',', emptyAsNull: true, cast: undefined, where: 'page 2' });
    const error = (() => {
      try {
        ragged.write(Buffer.from('Id,Name\n001,A\n002,B,extra\n003,C\n'));
      } catch (e) {
        return e;
      }
    })();
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect((error as Error).message).toMatch(/\[@sf\/bulk\] malformed CSV in page 2: line 3/);
    const unclosed = createPageParser({
      delimiter: ',',
      emptyAsNull: true,
      cast: undefined,
      where: 'page 3',
    });
    expect(unclosed.write(Buffer.from('Id,Name\n001,"open'))).toEqual([]);
    const end = await unclosed.end().catch((e: unknown) => e);
    expect(isSalesforceError(end, 'MALFORMED_RESPONSE')).toBe(true);
  });
});
