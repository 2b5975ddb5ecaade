// The bulk examples of the seed README (shared/seeds/000_*.txt, "Bulk Operation" and "Record
// Stream Pipeline"), in today's API, against the emulator.
import { mkdtempSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { bulkSettings, startEmulator } from '@sf/emulator';
import { describe, expect, it } from 'vitest';
import { type BatchInfo, type Bulk1BatchResult, bulkQuery, createBulk1, load } from '../src/index.js';
import { connect, fast, useOrg } from './helpers.js';

const org = useOrg();
const accounts = [{ Name: 'Account #1' }, { Name: 'Account #2' }, { Name: 'Account #3' }];

function report(rets: Bulk1BatchResult[]): string[] {
  return rets.map((r, i) =>
    r.success
      ? `#${i + 1} loaded successfully, id = ${r.id}`
      : `#${i + 1} error occurred, message = ${r.errors.join(', ')}`,
  );
}

describe('seed README: Bulk Operation', () => {
  it('Loading records: createJob, createBatch, queue event, re-attach, poll, response', async () => {
    const { conn } = org();
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const job = bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const queued = new Promise<BatchInfo>((resolve) => batch.on('queue', resolve));
    batch.execute(accounts);
    const batchInfo = await queued;
    const { id: batchId, jobId } = batchInfo;
    // ... and check the status later.
    const again = bulk.job(jobId).batch(batchId);
    const rets = await new Promise<Bulk1BatchResult[]>((resolve, reject) => {
      again.on('response', resolve).on('error', reject);
      again.poll(20 /* interval(ms) */, 20_000 /* timeout(ms) */);
    });
    expect(report(rets)).toEqual(rets.map((r, i) => `#${i + 1} loaded successfully, id = ${r.id}`));
    expect(rets).toHaveLength(3);
    expect(await batch).toEqual(rets);
    await bulk.job(jobId).close();
    expect((await bulk.job(jobId).info()).state).toBe('Closed');
    expect((await bulk.job(jobId).list()).map((b) => b.id)).toEqual([batchId]);
  });

  it('Loading records: Bulk#load() in one call, results in input order with errors', async () => {
    const { conn } = org();
    const rets = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', [
      ...accounts,
      { Name: null },
    ]);
    expect(report(rets)).toEqual([
      `#1 loaded successfully, id = ${rets[0]!.id}`,
      `#2 loaded successfully, id = ${rets[1]!.id}`,
      `#3 loaded successfully, id = ${rets[2]!.id}`,
      '#4 error occurred, message = REQUIRED_FIELD_MISSING: Required fields are missing: [Name]',
    ]);
  });

  it('Loading records: the same with Bulk API 2.0 load()', async () => {
    const { conn } = org();
    const result = await load(conn, 'Account', 'insert', accounts, fast);
    expect(result.numberRecordsSucceeded).toBe(3);
  });

  it('Loading CSV file: a file stream into a batch, and Bulk#load() with the file', async () => {
    const { conn, emu } = org();
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const path = join(dir, 'Account.csv');
    writeFileSync(path, 'Name,BillingCity\nCSV One,Paris\n"CSV, Two",Lyon\n');
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const batch = bulk.createJob('Account', 'insert').createBatch();
    const rets = await batch.execute(createReadStream(path));
    expect(rets.map((r) => r.success)).toEqual([true, true]);
    expect(emu.store.get('Account', rets[1]!.id!)?.Name).toBe('CSV, Two');
    const again = await bulk.load('Account', 'insert', createReadStream(path));
    expect(again).toHaveLength(2);
  });

  it('Bulk#load() splits into batches within the record limit, results still in input order', async () => {
    const { conn, emu } = org();
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const input = Array.from({ length: 25 }, (_, i) => ({ Name: `Batch ${i}` }));
    const before = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/batch')).length;
    const rets = await bulk.load('Account', 'insert', input, { maxBatchRecords: 10 });
    const after = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/batch')).length;
    expect(after - before).toBe(3);
    expect(rets.map((r) => emu.store.get('Account', r.id!)?.Name)).toEqual(input.map((r) => r.Name));
  });

  it('the emulator fails a batch above its record limit; the error is typed', async () => {
    const { conn, emu } = org();
    bulkSettings(emu.store).batchRecordLimit = 5;
    try {
      const bulk = createBulk1(conn, { pollIntervalMs: 10 });
      const batch = bulk
        .createJob('Account', 'insert')
        .createBatch()
        .execute(Array.from({ length: 6 }, (_, i) => ({ Name: `Over ${i}` })));
      await expect(batch.result()).rejects.toMatchObject({ code: 'BATCH_FAILED' });
      await expect(batch.result()).rejects.toThrow(/Records exceeds the batch limit of 5/);
    } finally {
      bulkSettings(emu.store).batchRecordLimit = 10_000;
    }
  });

  it('an expired session is renewed for Bulk 1.0 job control', async () => {
    const { emu } = org();
    const conn = connect(emu);
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    await conn.credentials();
    emu.faults.expireAllTokens();
    const info = await bulk.createJob('Account', 'insert').open();
    expect(info.state).toBe('Open');
  });

  it('a bulk query with PK chunking', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 30; i++) emu.store.insert('Contact', { LastName: `PK${i}` });
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const rows = await bulk
      .query("SELECT Id, LastName FROM Contact WHERE LastName LIKE 'PK%'", { pkChunking: 7 })
      .toArray();
    expect(rows.map((r) => r.LastName).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `PK${i}`).sort());
  });
});

describe('seed README: Record Stream Pipeline', () => {
  it('Data Migration using Bulkload Batch Record Stream: every row moves between two orgs', async () => {
    const { conn: conn1, emu: emu1 } = org();
    for (let i = 0; i < 120; i++) {
      emu1.store.insert('Account', {
        Name: `Migrate ${i}`,
        Type: 'Customer',
        BillingState: 'CA',
        BillingCity: `City ${i}`,
      });
    }
    const emu2 = await startEmulator();
    try {
      const conn2 = connect(emu2);
      const query = bulkQuery(
        conn1,
        "SELECT Id, Name, Type, BillingState, BillingCity, BillingStreet FROM Account WHERE Name LIKE 'Migrate %'",
        { ...fast, maxRecords: 50 },
      );
      const job = createBulk1(conn2, { pollIntervalMs: 10 }).createJob('Account', 'insert');
      const batch = job.createBatch();
      const queued = new Promise<BatchInfo>((resolve) => batch.on('queue', resolve));
      await pipeline(
        query.map(({ Id: _id, ...rest }) => rest),
        batch,
      );
      const info = await queued;
      expect(info.jobId).toBe(job.id);
      const rets = await batch;
      expect(rets).toHaveLength(120);
      expect(rets.every((r) => r.success)).toBe(true);
      const moved = [...emu2.store.rows('Account')].filter((r) => String(r.Name).startsWith('Migrate '));
      expect(moved).toHaveLength(120);
      expect(
        moved.every((r) => r.Type === 'Customer' && r.BillingState === 'CA' && r.BillingStreet === null),
      ).toBe(true);
    } finally {
      await emu2.close();
    }
  });
});
