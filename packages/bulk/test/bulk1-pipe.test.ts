// Piping into a Bulk 1.0 batch, over HTTP against the emulator: a CSV file stream (as the
// node-salesforce README did, shared/seeds/000_*.txt "Loading CSV file") loads every row, and a
// query from @sf/query piped in resolves `await batch` with one result per record.
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createConnection, isSalesforceError } from '@sf/core';
import { startEmulator } from '@sf/emulator';
import { query } from '@sf/query';
import { describe, expect, it } from 'vitest';
import { createBulk1 } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();

/** A 3-row CSV file: a quoted comma and a value across two lines among them. */
function csvFile(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulk1-pipe-'));
  const path = join(dir, 'Account.csv');
  writeFileSync(
    path,
    `Name,BillingCity,Description\n${prefix} One,Paris,plain\n"${prefix}, Two",Lyon,"two\nlines"\n${prefix} Three,Nice,\n`,
  );
  return path;
}

function named(prefix: string) {
  const { emu } = org();
  return [...emu.store.rows('Account')]
    .filter((r) => String(r.Name).includes(prefix))
    .map((r) => r.Name)
    .sort();
}

describe('a CSV file piped into a Bulk 1.0 batch', () => {
  it("fs.createReadStream('a.csv').pipe(job.createBatch()) loads every row of a 3-row file", async () => {
    const { conn } = org();
    const job = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'insert');
    const batch = job.createBatch();
    createReadStream(csvFile('FilePipe')).pipe(batch);
    const rets = await batch;
    expect(rets).toHaveLength(3);
    expect(rets.every((r) => r.success && r.id !== null)).toBe(true);
    expect(named('FilePipe')).toEqual(['FilePipe One', 'FilePipe Three', 'FilePipe, Two']);
    const { emu } = org();
    expect(emu.store.get('Account', rets[1]?.id as string)?.Description).toBe('two\nlines');
  });

  it('a file read in 7-byte chunks (rows split across chunks) and as text, through pipeline()', async () => {
    const { conn } = org();
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const small = bulk.createJob('Account', 'insert').createBatch();
    await pipeline(createReadStream(csvFile('Chunked'), { highWaterMark: 7 }), small);
    expect((await small).map((r) => r.success)).toEqual([true, true, true]);
    const text = bulk.createJob('Account', 'insert').createBatch();
    await pipeline(createReadStream(csvFile('Texted'), { encoding: 'utf8' }), text);
    expect((await text).map((r) => r.success)).toEqual([true, true, true]);
    expect(named('Chunked')).toHaveLength(3);
    expect(named('Texted')).toHaveLength(3);
  });

  it('records then CSV bytes written to one batch reject INVALID_ARGUMENT; nothing is loaded', async () => {
    const { conn } = org();
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'insert').createBatch();
    batch.write({ Name: 'Mixed record' });
    batch.write(Buffer.from('Name\nMixed bytes\n'));
    batch.end();
    const error = await batch.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String((error as Error).message)).toMatch(/records or CSV bytes, not both/);
    expect(named('Mixed')).toEqual([]);
  });
});

describe('a query piped into a Bulk 1.0 batch', () => {
  it('query(conn, soql).pipe(batch); await batch resolves with one result per record', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 5; i++) emu.store.insert('Account', { Name: `QueryPipe ${i}` });
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'insert').createBatch();
    query(conn, "SELECT Name, Industry FROM Account WHERE Name LIKE 'QueryPipe %'").pipe(batch);
    const rets = await batch;
    expect(rets).toHaveLength(5);
    expect(rets.every((r) => r.success)).toBe(true);
    // Each record was loaded again: every name now twice.
    expect(named('QueryPipe ')).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4].map((i) => `QueryPipe ${i}`));
  });

  it('a query with no rows piped in: await batch resolves with no results, nothing is sent', async () => {
    const { conn, emu } = org();
    const before = emu.requests.filter((r) => r.path.startsWith('/services/async/')).length;
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'insert').createBatch();
    query(conn, "SELECT Name FROM Account WHERE Name = 'No such account at all'").pipe(batch);
    expect(await batch).toEqual([]);
    expect(emu.requests.filter((r) => r.path.startsWith('/services/async/')).length).toBe(before);
  });

  it('a query that fails while piped in rejects the awaited batch with its error; no crash, no hang', async () => {
    const { conn } = org();
    const batch = createBulk1(conn, { pollIntervalMs: 10 }).createJob('Account', 'insert').createBatch();
    query(conn, 'SELECT NoSuchField__c FROM Account').pipe(batch);
    const error = await batch.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(error)).toBe(true);
    expect((error as { errorCode?: string }).errorCode).toBe('INVALID_FIELD');
  });
});

describe('README: Piping into a batch', () => {
  it('a CSV file piped into a batch loads every row; a query piped into a batch gives one result per record', async () => {
    const emu = await startEmulator();
    try {
      const conn = createConnection({ instanceUrl: emu.url, auth: emu.issueToken().accessToken });
      const bulk = createBulk1(conn, { pollIntervalMs: 50 });
      const file = join(mkdtempSync(join(tmpdir(), 'bulk1-readme-')), 'accounts.csv');
      writeFileSync(file, 'Name,BillingCity\nAcme,Paris\n"Globex, Inc.",Lyon\nInitech,Paris\n');
      const batch = bulk.createJob('Account', 'insert').createBatch();
      createReadStream(file).pipe(batch);
      expect((await batch).map((r) => r.success)).toEqual([true, true, true]);
      const copies = bulk.createJob('Account', 'insert').createBatch();
      query(conn, "SELECT Name, BillingCity FROM Account WHERE BillingCity = 'Paris'").pipe(copies);
      expect((await copies).length).toBe(2);
    } finally {
      await emu.close();
    }
  });
});
