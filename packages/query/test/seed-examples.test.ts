// The query examples of the two original READMEs (shared/seeds/), in today's API, against the emulator.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { find, query, search, SoqlDate } from '../src/index.js';
import { seedAccounts, useOrg } from './helpers.js';

const org = useOrg();

interface Account {
  Id: string;
  Name: string;
}

describe('node-salesforce README: Query Records', () => {
  let sonyId: string;

  beforeAll(() => {
    const { emu } = org();
    seedAccounts(emu, 5000);
    sonyId = emu.store.insert('Account', {
      Name: 'Sony, Inc.',
      BillingState: 'CA',
      BillingCity: 'San Mateo',
    });
    const other = emu.store.insert('Account', { Name: 'Other Corp' });
    const yesterday = new Date(Date.now() - 20 * 3600 * 1000).toISOString();
    const lastYear = new Date(Date.now() - 400 * 24 * 3600 * 1000).toISOString();
    emu.store.insert(
      'Contact',
      { LastName: 'Abe', AccountId: sonyId, Email: 'abe@sony.example' },
      { asSystem: true },
    );
    emu.store.insert(
      'Contact',
      { LastName: 'Akiyama', AccountId: sonyId, CreatedDate: yesterday, Email: 'aki@sony.example' },
      { asSystem: true },
    );
    emu.store.insert(
      'Contact',
      { LastName: 'Aoki', AccountId: sonyId, CreatedDate: lastYear, Email: 'aoki@sony.example' },
      { asSystem: true },
    );
    emu.store.insert('Contact', { LastName: 'Baker', AccountId: sonyId, Email: 'baker@sony.example' });
    emu.store.insert('Contact', { LastName: 'Adams', AccountId: other, Email: 'adams@other.example' });
  });

  it('Event-Driven Style: record/end/error events, run({ autoFetch: true, maxFetch: 4000 })', async () => {
    const { conn } = org();
    const records: Account[] = [];
    let total = 0;
    let fetched = 0;
    // A Query is awaitable: resolve the promise with plain values, not with the query itself.
    await new Promise<void>((resolve, reject) => {
      query<Account>(conn, 'SELECT Id, Name FROM Account')
        .on('record', (record) => {
          records.push(record);
        })
        .on('end', (q) => {
          total = q.totalSize ?? 0; // total in database
          fetched = q.totalFetched; // total fetched
          resolve();
        })
        .on('error', (err) => reject(err))
        .run({ autoFetch: true, maxFetch: 4000 });
    });
    expect(total).toBe(5002);
    expect(fetched).toBe(4000);
    expect(records).toHaveLength(4000);
  });

  it('Callback Style: the promise resolves to the first page', async () => {
    const { conn } = org();
    const result = await query<Account>(conn, 'SELECT Id, Name FROM Account');
    expect(result.totalSize).toBe(5002);
    expect(result.records).toHaveLength(2000); // fetched: one page of Salesforce's default size
  });

  it('Using JSON-style Query object and method chaining (like MongoDB)', async () => {
    const { conn } = org();
    const q = find<{ Name: string; CreatedDate: string }>(
      conn,
      'Contact',
      {
        LastName: { $like: 'A%' },
        CreatedDate: { $gte: SoqlDate.YESTERDAY },
        'Account.Name': 'Sony, Inc.',
      },
      { Id: 1, Name: 1, CreatedDate: 1 },
    ).sort({ CreatedDate: -1, Name: 1 });
    expect(q.toSOQL()).toBe(
      "SELECT Id, Name, CreatedDate FROM Contact WHERE (LastName LIKE 'A%') AND (CreatedDate >= YESTERDAY) " +
        "AND (Account.Name = 'Sony, Inc.') ORDER BY CreatedDate DESC, Name ASC",
    );
    const result = await q;
    expect(result.totalSize).toBe(2);
    expect(result.records.map((r) => r.Name)).toEqual(['Abe', 'Akiyama']);
  });

  it('Piping Query Record Stream: Opportunity-style find by Account.Id, mapped', async () => {
    const { conn } = org();
    const renamed = await find<{ Id: string; Name: string; Account: { Name: string } }>(
      conn,
      'Contact',
      { 'Account.Id': sonyId },
      { Id: 1, Name: 1, 'Account.Name': 1 },
    )
      .stream()
      .map((r) => ({ Id: r.Id, Name: `${r.Account.Name} - ${r.Name}` }))
      .toArray();
    expect(renamed.map((r) => r.Name).sort()).toEqual([
      'Sony, Inc. - Abe',
      'Sony, Inc. - Akiyama',
      'Sony, Inc. - Aoki',
      'Sony, Inc. - Baker',
    ]);
  });

  it('Export all account records to CSV file: query(...).stream() piped to a file', async () => {
    const { conn } = org();
    const dir = await mkdtemp(join(tmpdir(), 'sf-query-'));
    try {
      const file = join(dir, 'Account.csv');
      await pipeline(
        query(conn, 'SELECT Id, Name, Type, BillingState, BillingCity, BillingStreet FROM Account').toCSV(),
        createWriteStream(file),
      );
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toBe('Id,Name,Type,BillingState,BillingCity,BillingStreet');
      expect(lines).toHaveLength(5003);
      expect(lines).toContain(`${sonyId},"Sony, Inc.",,CA,San Mateo,`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Record Stream Filters: map records and pass them downstream', async () => {
    const { conn } = org();
    const out = await find<Account>(conn, 'Account', {}, { Id: 1, Name: 1 })
      .stream()
      .map((r) => ({ ID: r.Id, FULL_NAME: r.Name }))
      .toArray();
    expect(out).toHaveLength(5002);
    expect(Object.keys(out[0] ?? {})).toEqual(['ID', 'FULL_NAME']);
  });

  it('Record Stream Filters: filter only matching records (first of each email)', async () => {
    const { conn, emu } = org();
    for (const [i, email] of [
      'a@x.example',
      'b@x.example',
      'a@x.example',
      'c@x.example',
      'b@x.example',
    ].entries()) {
      emu.store.insert('Lead', { LastName: `Lead ${i}`, Company: 'X', Email: email });
    }
    const emails = new Set<string>();
    const unique = await find<{ Email: string; LastName: string }>(
      conn,
      'Lead',
      {},
      { Id: 1, Name: 1, Company: 1, Email: 1, LastName: 1 },
    )
      .stream()
      .filter((r) => {
        const dup = emails.has(r.Email);
        if (!dup) emails.add(r.Email);
        return !dup;
      })
      .toArray();
    expect(unique.map((r) => r.LastName)).toEqual(['Lead 0', 'Lead 1', 'Lead 3']);
  });
});

describe('nforce README: query and search', () => {
  it('Querying records: a single Account by Name (LIMIT 1)', async () => {
    const { conn, emu } = org();
    emu.store.insert('Account', { Name: 'Spiffy Cleaners', BillingCity: 'Portland' });
    // nforce's example quotes the name with double quotes, which SOQL rejects; single quotes are SOQL.
    const resp = await query<{ Name: string; BillingCity: string }>(
      conn,
      "SELECT Id, Name, CreatedDate, BillingCity FROM Account WHERE Name = 'Spiffy Cleaners' LIMIT 1",
    );
    expect(resp.records).toHaveLength(1);
    expect(resp.records[0]).toMatchObject({ Name: 'Spiffy Cleaners', BillingCity: 'Portland' });
  });

  it('Query Streaming: piping the query streams ALL records, not the first 2,000', async () => {
    const { conn } = org();
    let count = 0;
    const sink = new Writable({
      objectMode: true,
      highWaterMark: 16,
      write(_record, _enc, done) {
        count++;
        setImmediate(done);
      },
    });
    await pipeline(
      query(conn, 'SELECT Name, CreatedDate FROM Account ORDER BY CreatedDate DESC').stream(),
      sink,
    );
    expect(count).toBeGreaterThan(5000);
  });

  it('search(search): a SOSL search', async () => {
    const { conn } = org();
    const { searchRecords } = await search<{ Name: string }>(
      conn,
      'FIND {Spiffy} IN NAME FIELDS RETURNING Account(Id, Name)',
    );
    expect(searchRecords.map((r) => r.Name)).toEqual(['Spiffy Cleaners']);
  });
});
