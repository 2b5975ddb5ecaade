// The REST families through the client: query, queryMore, find, search, sobject CRUD,
// describe, limits, identity and request, each checked against what the emulator holds.

import { describe, expect, it } from 'vitest';
import { isSalesforceError } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();

describe('sf.query and friends (@sf/query)', () => {
  it("sf.query is @sf/query's Query: awaitable (first page), iterable (every record), with events", async () => {
    const { emu, sf } = org();
    for (let i = 0; i < 5; i++) emu.store.insert('Account', { Name: `Query ${i}` });
    const page = await sf.query<{ Name: string }>("SELECT Id, Name FROM Account WHERE Name LIKE 'Query %'");
    expect(page.totalSize).toBe(5);
    const names: string[] = [];
    for await (const a of sf.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Name LIKE 'Query %' ORDER BY Name",
    ))
      names.push(a.Name);
    expect(names).toEqual(['Query 0', 'Query 1', 'Query 2', 'Query 3', 'Query 4']);
    const seen = await new Promise<number>((resolve, reject) => {
      let n = 0;
      sf.query("SELECT Id FROM Account WHERE Name LIKE 'Query %'")
        .on('record', () => n++)
        .on('end', () => resolve(n))
        .on('error', reject)
        .run();
    });
    expect(seen).toBe(5);
  });

  it('sf.queryMore reads the page a nextRecordsUrl names', async () => {
    const { emu, sf } = org();
    for (let i = 0; i < 3; i++) emu.store.insert('Account', { Name: `More ${i}` });
    const first = await sf
      .query("SELECT Id FROM Account WHERE Name LIKE 'More %'", { batchSize: 200 })
      .run({ autoFetch: false });
    expect(first.totalSize).toBe(3);
    // One page holds them all here; queryMore refuses what is not a nextRecordsUrl, before any request.
    expect(() => sf.queryMore('not-a-locator')).toThrow(/nextRecordsUrl/);
  });

  it('sf.find and sf.sobject(type).find build SOQL from conditions', async () => {
    const { emu, sf } = org();
    emu.store.insert('Account', { Name: 'Find Me', BillingCity: 'Lyon' });
    const found = await sf.find<{ Name: string }>('Account', { BillingCity: 'Lyon' }, ['Name']);
    expect(found.records.map((r) => r.Name)).toContain('Find Me');
    const one = await sf
      .sobject<{ Name: string; BillingCity: string }>('Account')
      .findOne({ Name: 'Find Me' }, ['BillingCity']);
    expect(one?.BillingCity).toBe('Lyon');
  });

  it('sf.search runs SOSL', async () => {
    const { emu, sf } = org();
    emu.store.insert('Account', { Name: 'Searchable Widget' });
    const result = await sf.search('FIND {Searchable} IN ALL FIELDS RETURNING Account(Id, Name)');
    expect(result.searchRecords.map((r) => r.Name)).toContain('Searchable Widget');
  });
});

describe('sf.sobject, describe, limits, identity, request (@sf/sobject, @sf/core)', () => {
  it('sf.sobject(type) creates, retrieves, updates, upserts and deletes', async () => {
    const { emu, sf } = org();
    const Account = sf.sobject<{ Id: string; Name: string }>('Account');
    const created = await Account.create({ Name: 'CRUD #1' });
    expect(created.success).toBe(true);
    expect((await Account.retrieve(created.id)).Name).toBe('CRUD #1');
    await Account.update({ Id: created.id, Name: 'CRUD #1 updated' });
    expect(emu.store.get('Account', created.id)?.Name).toBe('CRUD #1 updated');
    const many = await Account.create([{ Name: 'CRUD #2' }, { Name: 'CRUD #3' }]);
    expect(many.map((r) => r.success)).toEqual([true, true]);
    await Account.destroy([created.id, ...many.map((r) => r.id as string)]);
    expect(emu.store.get('Account', created.id)).toBeUndefined();
  });

  it('sf.describeGlobal and sf.describe answer from the describe resources', async () => {
    const { sf } = org();
    const global = await sf.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('Account');
    const account = await sf.describe('Account');
    expect(account.fields.map((f) => f.name)).toContain('Name');
  });

  it('sf.limits, sf.request and sf.connection reach the same org', async () => {
    const { sf } = org();
    const limits = await sf.limits();
    expect(limits.DailyApiRequests?.Max).toBeGreaterThan(0);
    const resources = await sf.request<Record<string, string>>('');
    expect(resources.sobjects).toMatch(/sobjects/);
    expect(sf.connection.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe('the error-event policy through the client (CONVENTIONS.md, rule 5)', () => {
  it('an awaited sf.query with no error listener rejects, and nothing is thrown uncaught', async () => {
    const { sf } = org();
    let failure: unknown;
    try {
      await sf.query('SELECT NoSuchField__c FROM Account');
    } catch (error) {
      failure = error;
    }
    expect(isSalesforceError(failure)).toBe(true);
    expect((failure as { errorCode?: string }).errorCode).toBe('INVALID_FIELD');
    // vitest fails the run on an uncaught exception: getting here with none is the other half.
  });

  it('a callback where node-salesforce took one is refused, naming the promise form', async () => {
    const { sf } = org();
    const callback = () => {};
    const call = sf.query as unknown as (soql: string, cb: () => void) => unknown;
    expect(() => call('SELECT Id FROM Account', callback)).toThrow(/INVALID_ARGUMENT|promise|await/i);
  });
});
