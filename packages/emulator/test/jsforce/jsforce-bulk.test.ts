// jsforce 3.10.16 against the emulator's Bulk API 1.0 and 2.0.
import { describe, expect, it } from 'vitest';
import { bulkSettings } from '../../src/index.js';
import { type Connection, collect, oauthLogin, until, useEmulator } from './jsforce-setup.js';

const ID18 = /^[a-zA-Z0-9]{18}$/;

describe('jsforce: Bulk API 1.0', () => {
  const emu = useEmulator();
  let conn: Connection;

  it('bulk.load() inserts records and reports one result per record in input order', async () => {
    conn = await oauthLogin(emu());
    conn.bulk.pollInterval = 20;
    const results = await conn.bulk.load('Account', 'insert', [
      { Name: 'Bulk One', Industry: 'Energy' },
      { Name: 'Bulk Two', Industry: 'Energy' },
      { Industry: 'Energy' },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ success: true, id: expect.stringMatching(ID18) });
    expect(results[1]).toMatchObject({ success: true });
    expect(results[2]).toMatchObject({
      success: false,
      errors: [expect.stringContaining('REQUIRED_FIELD_MISSING')],
    });
  });

  it('bulk.load() updates and deletes by Id', async () => {
    const rows = await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name LIKE 'Bulk %'");
    const updated = await conn.bulk.load(
      'Account',
      'update',
      rows.records.map((r) => ({ Id: r.Id, Phone: '555-0199' })),
    );
    expect(updated.every((r) => r.success)).toBe(true);
    const check = await conn.query<{ Phone: string }>("SELECT Phone FROM Account WHERE Name LIKE 'Bulk %'");
    expect(check.records.map((r) => r.Phone)).toEqual(['555-0199', '555-0199']);
  });

  it('bulk.query() streams the rows of a query job', async () => {
    const stream = await conn.bulk.query(
      "SELECT Id, Name FROM Account WHERE Industry = 'Energy' ORDER BY Name",
    );
    const rows = await collect(stream);
    expect(rows.map((r) => r.Name)).toEqual(['Bulk One', 'Bulk Two']);
    expect(rows.every((r) => ID18.test(String(r.Id)))).toBe(true);
  });

  it('a job created, batched, closed and polled by hand', async () => {
    const job = conn.bulk.createJob('Contact', 'insert');
    const batch = job.createBatch();
    const done = new Promise<unknown[]>((resolve, reject) => {
      batch.on('error', reject);
      batch.on('queue', () => batch.poll(20, 20_000));
      batch.on('response', resolve);
    });
    batch.execute([{ LastName: 'Batched' }]);
    const results = (await done) as { success: boolean }[];
    expect(results).toEqual([expect.objectContaining({ success: true })]);
    const info = await job.close();
    expect(info).toMatchObject({ state: 'Closed', object: 'Contact', operation: 'insert' });
  });
});

describe('jsforce: Bulk API 2.0', () => {
  const emu = useEmulator();
  let conn: Connection;

  it('bulk2.loadAndWaitForResults() inserts, with successful and failed results', async () => {
    conn = await oauthLogin(emu());
    conn.bulk2.pollInterval = 20;
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [
        { Name: 'V2 One', Industry: 'Banking' },
        { Name: 'V2 Two', Industry: 'Banking' },
        { Industry: 'Banking' },
      ],
    });
    expect(results.successfulResults).toHaveLength(2);
    expect(results.successfulResults[0]).toMatchObject({
      sf__Created: 'true',
      sf__Id: expect.stringMatching(ID18),
    });
    expect(results.failedResults).toEqual([
      expect.objectContaining({ sf__Error: expect.stringContaining('REQUIRED_FIELD_MISSING') }),
    ]);
    expect(results.unprocessedRecords).toEqual([]);
  });

  it('bulk2.query() returns the rows of one result page', async () => {
    const rows = await collect(
      await conn.bulk2.query("SELECT Id, Name FROM Account WHERE Industry = 'Banking'"),
    );
    expect(rows.map((r) => r.Name).sort()).toEqual(['V2 One', 'V2 Two']);
  });

  it('bulk2.query() over several result pages (jsforce reads every later header row as a record)', async () => {
    await conn
      .sobject('Account')
      .create(Array.from({ length: 5 }, (_, i) => ({ Name: `Paged V2 ${i}`, Industry: 'Retail' })));
    const settings = bulkSettings(emu().store);
    settings.queryPageSize = 2;
    // Salesforce documents every result page as a CSV document with its own header row, and
    // the emulator serves three such pages here. jsforce 3.10.16 pipes every page into one CSV
    // parser: the first page's end ends the parser, so the second page is a "write after end"
    // thrown as an uncaught exception and the stream yields no record (with other timings the
    // later header rows come back as records). This asserts jsforce's known wrong answer; when
    // jsforce reads pages as separate documents, it fails and should expect the five names.
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const uncaught: Error[] = [];
    process.on('uncaughtException', (error) => uncaught.push(error));
    try {
      const stream = await conn.bulk2.query("SELECT Name FROM Account WHERE Industry = 'Retail'");
      const names: unknown[] = [];
      stream.on('record', (r: Record<string, unknown>) => names.push(r.Name));
      await until(() => uncaught.length > 0);
      expect(uncaught[0]?.message).toMatch(/write after end/);
      expect(names.filter((n) => n !== 'Name').length).toBeLessThan(5);
      const pages = emu().requests.filter((r) => r.path.endsWith('/results') && r.status === 200);
      expect(pages.length).toBeGreaterThanOrEqual(3);
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const listener of saved) process.on('uncaughtException', listener);
      settings.queryPageSize = 50_000;
    }
  });

  it('bulk2 upsert and delete by Id', async () => {
    const rows = await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Industry = 'Banking'");
    const deleted = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'delete',
      input: rows.records.map((r) => ({ Id: r.Id })),
    });
    expect(deleted.successfulResults.map((r) => r.sf__Id).sort()).toEqual(
      rows.records.map((r) => r.Id).sort(),
    );
    expect((await conn.query("SELECT Id FROM Account WHERE Industry = 'Banking'")).totalSize).toBe(0);
  });
});
