// Bulk API 1.0 `load()` within Salesforce's character limits, against the emulator enforcing them:
// batches cut at maxBatchChars, and rows Salesforce would refuse reported in place, never sent.
import { bulkSettings, type Emulator } from '@sf/emulator';
import { isSalesforceError, type SalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { type BatchInfo, createBulk1 } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();

/** Bulk 1.0 requests the emulator has answered so far. */
function asyncRequests(emu: Emulator) {
  return emu.requests.filter((r) => r.path.startsWith('/services/async/'));
}

/** The job whose batches were posted since `since` requests (one at most in these tests). */
function jobSince(emu: Emulator, since: number): string | undefined {
  const ids = new Set(
    emu.requests
      .slice(since)
      .map((r) => /\/job\/(\w+)\/batch$/.exec(r.path)?.[1])
      .filter((id) => id !== undefined),
  );
  expect(ids.size).toBeLessThanOrEqual(1);
  return [...ids][0];
}

/** The batches, as the emulator lists them, of the one job created since `since` requests. */
async function batchesSince(emu: Emulator, since: number): Promise<BatchInfo[]> {
  const { conn } = org();
  const id = jobSince(emu, since);
  expect(id).toBeDefined();
  return createBulk1(conn)
    .job(id as string)
    .list();
}

function accountsNamed(emu: Emulator, name: string) {
  return [...emu.store.rows('Account')].filter((r) => r.Name === name);
}

describe('Bulk 1.0 load() and the character limits', () => {
  it('maxBatchChars cuts multi-byte data into batches within the character limit; every row loaded in input order', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    // The emulator fails any batch over 60 characters, so an overfull batch cannot pass unseen.
    settings.batchCharLimit = 60;
    try {
      // 'Name\n' is 5 characters; each row 'é日本NN\n' 6 characters in 11 bytes: 9 rows a batch
      // by characters (5 + 54), where counting bytes would allow 5.
      const input = Array.from({ length: 20 }, (_, i) => ({ Name: `é日本${String(i).padStart(2, '0')}` }));
      const since = emu.requests.length;
      const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', input, {
        maxBatchChars: 60,
      });
      const batches = await batchesSince(emu, since);
      expect(batches.map((b) => [b.state, Number(b.numberRecordsProcessed)])).toEqual([
        ['Completed', 9],
        ['Completed', 9],
        ['Completed', 2],
      ]);
      expect(results.every((r) => r.success && r.created)).toBe(true);
      expect(results.map((r) => emu.store.get('Account', r.id as string)?.Name)).toEqual(
        input.map((r) => r.Name),
      );
    } finally {
      settings.batchCharLimit = 10_000_000;
    }
  });

  it('the default limits fit the emulator’s default limits: 12,000,000 characters of ASCII load in two batches', async () => {
    const { conn, emu } = org();
    const description = 'd'.repeat(29_990);
    const input = Array.from({ length: 400 }, (_, i) => ({ Name: `Large ${i}`, Description: description }));
    const since = emu.requests.length;
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', input);
    const batches = await batchesSince(emu, since);
    expect(batches.map((b) => b.state)).toEqual(['Completed', 'Completed']);
    expect(batches.reduce((n, b) => n + Number(b.numberRecordsProcessed), 0)).toBe(400);
    expect(results.filter((r) => r.success)).toHaveLength(400);
    expect(results.map((r) => emu.store.get('Account', r.id as string)?.Name)).toEqual(
      input.map((r) => r.Name),
    );
  });

  it('a record with a 32,001-character field gets a local failure in its place; the others load; it is never sent', async () => {
    const { conn, emu } = org();
    const input = [
      { Name: 'Field A', Description: 'a' },
      { Name: 'Field B', Description: 'é'.repeat(32_000) },
      { Name: 'Field too long', Description: 'é'.repeat(32_001) },
      { Name: 'Field D', Description: null },
      { Name: 'Field E', Description: 'e' },
    ];
    const since = emu.requests.length;
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', input, {
      maxBatchRecords: 2,
    });
    expect(results[2]).toEqual({
      id: null,
      success: false,
      created: false,
      index: 2,
      errors: [
        {
          errorCode: 'FIELD_TOO_LONG',
          message:
            'field 2 (Description) holds 32001 characters, more than the 32000 a field may hold; the row was not sent',
          fields: ['Description'],
        },
      ],
    });
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.success)).toEqual([true, true, false, true, true]);
    expect(results.map((r) => (r.id ? emu.store.get('Account', r.id)?.Name : null))).toEqual([
      'Field A',
      'Field B',
      null,
      'Field D',
      'Field E',
    ]);
    expect(accountsNamed(emu, 'Field too long')).toEqual([]);
    const batches = await batchesSince(emu, since);
    expect(batches.map((b) => Number(b.numberRecordsProcessed))).toEqual([2, 2]);
  });

  it('CSV input: a quoted 32,001-character field is a local failure in its place; a blank line is no row', async () => {
    const { conn, emu } = org();
    // Quoted, with commas and escaped quotes: 'a,"b' is 4 characters of value.
    const atLimit = `"${'a,""b'.repeat(8_000)}"`;
    const overLimit = `"${'a,""b'.repeat(8_000)}x"`;
    const csv = [
      'Name,Description',
      'Csv first,plain',
      `Csv too long,${overLimit}`,
      `Csv at limit,${atLimit}`,
      '"Csv, last",',
      '',
      '',
    ].join('\r\n');
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', csv);
    expect(results.map((r) => r.success)).toEqual([true, false, true, true]);
    expect(results[1]?.errors).toEqual([
      {
        errorCode: 'FIELD_TOO_LONG',
        message:
          'field 2 (Description) holds 32001 characters, more than the 32000 a field may hold; the row was not sent',
        fields: ['Description'],
      },
    ]);
    expect(results[1]?.id).toBeNull();
    expect(emu.store.get('Account', results[2]?.id as string)?.Description).toBe('a,"b'.repeat(8_000));
    expect(emu.store.get('Account', results[3]?.id as string)?.Name).toBe('Csv, last');
    expect(accountsNamed(emu, 'Csv too long')).toEqual([]);
  });

  it('rows over 400,000 characters or 5,000 fields, and a row too large for maxBatchBytes, are local failures', async () => {
    const { conn, emu } = org();
    const csv = [
      'Name,Description',
      'Row ok 1,',
      `Row too long,${Array.from({ length: 13 }, () => 'r'.repeat(31_000)).join(',')}`,
      `Row too many,${'f,'.repeat(4_999)}f`,
      'Row ok 2,',
      `Row too large,${'l'.repeat(2_000)}`,
      'Row ok 3,',
    ].join('\n');
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', csv, {
      maxBatchBytes: 1_000,
    });
    expect(results.map((r) => r.success)).toEqual([true, false, false, true, false, true]);
    expect(results[1]?.errors.map(String)).toEqual([
      "ROW_TOO_LONG: the row's fields hold 403012 characters, more than the 400000 a row may hold; the row was not sent",
    ]);
    expect(results[2]?.errors.map(String)).toEqual([
      'TOO_MANY_FIELDS: the row has 5001 fields, more than the 5000 a row may hold; the row was not sent',
    ]);
    expect(results[4]?.errors.map(String)).toEqual([
      'ROW_TOO_LARGE: the row and the header row take 2032 bytes, more than the 1000 a batch may hold (maxBatchBytes); the row was not sent',
    ]);
    expect(results.map((r) => (r.id ? emu.store.get('Account', r.id)?.Name : null))).toEqual([
      'Row ok 1',
      null,
      null,
      'Row ok 2',
      null,
      'Row ok 3',
    ]);
    for (const name of ['Row too long', 'Row too many', 'Row too large'])
      expect(accountsNamed(emu, name)).toEqual([]);
  });

  it('a record that writes as a blank CSV row gets a local failure instead of being dropped', async () => {
    const { conn, emu } = org();
    const [a, b] = [
      emu.store.insert('Account', { Name: 'Del A' }),
      emu.store.insert('Account', { Name: 'Del B' }),
    ];
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load(
      'Account',
      'delete',
      [{ Id: a }, { Id: '' }, { Id: b }],
      { columns: ['Id'] },
    );
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(String(results[1]?.errors[0])).toMatch(/^BLANK_ROW: .*it was not sent$/);
    expect(emu.store.get('Account', a)).toBeUndefined();
  });

  it('only rows that cannot be sent: no job at all, every row a local failure', async () => {
    const { conn, emu } = org();
    const since = asyncRequests(emu).length;
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', [
      { Name: 'n'.repeat(32_001) },
    ]);
    expect(results).toMatchObject([
      { id: null, success: false, index: 0, errors: [{ errorCode: 'FIELD_TOO_LONG' }] },
    ]);
    expect(asyncRequests(emu).length).toBe(since);
  });

  it('a header row beyond a record’s limits rejects with INVALID_ARGUMENT before anything is sent', async () => {
    const { conn, emu } = org();
    const since = asyncRequests(emu).length;
    const header = Array.from({ length: 5_001 }, (_, i) => `F${i}__c`).join(',');
    await expect(
      createBulk1(conn, { pollIntervalMs: 10 }).load(
        'Account',
        'insert',
        `${header}\n${'x,'.repeat(5_000)}x\n`,
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('the CSV header row is beyond a row'),
    });
    await expect(
      createBulk1(conn).load('Account', 'insert', 'Name,Description\nx,y\n', { maxBatchChars: 17 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('leaves no room') });
    expect(asyncRequests(emu).length).toBe(since);
  });

  it('invalid maxBatchRecords, maxBatchBytes and maxBatchChars reject with INVALID_ARGUMENT; nothing is sent', async () => {
    const { conn, emu } = org();
    const bulk = createBulk1(conn);
    const since = asyncRequests(emu).length;
    const limits = { maxBatchRecords: 10_000, maxBatchBytes: 10_000_000, maxBatchChars: 10_000_000 };
    for (const [name, limit] of Object.entries(limits)) {
      for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, limit + 1]) {
        await expect(
          bulk.load('Account', 'insert', [{ Name: 'Never' }], { [name]: value }),
          `${name}: ${value}`,
        ).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringContaining(`${name} must be a whole number from 1 to ${limit}`),
        });
      }
    }
    expect(asyncRequests(emu).length).toBe(since);
    expect(accountsNamed(emu, 'Never')).toEqual([]);
  });
});

describe('Bulk 1.0 load() when its input fails or is aborted', () => {
  it('INPUT_FAILED names the whole batches sent before it (they run on in a closed job); cause is the input’s error', async () => {
    const { conn, emu } = org();
    const since = emu.requests.length;
    const failure = new Error('the source broke');
    const input = (async function* () {
      for (let i = 0; i < 6000; i++) yield { Name: `Broken bulk1 source ${String(i).padStart(5, '0')}` };
      throw failure;
    })();
    const error = await createBulk1(conn)
      .load('Account', 'insert', input, { maxBatchRecords: 1000 })
      .catch((e: unknown) => e);
    expect(isSalesforceError(error, 'INPUT_FAILED')).toBe(true);
    expect((error as Error).cause).toBe(failure);
    expect((error as Error).message).toMatch(/the source broke/);
    const job = createBulk1(conn).job(jobSince(emu, since) as string);
    expect((await job.info()).state).toBe('Closed');
    let batches = await job.list();
    for (let i = 0; i < 400 && batches.some((b) => b.state !== 'Completed'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      batches = await job.list();
    }
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.length).toBeLessThan(6);
    expect(batches.map((b) => b.state)).toEqual(batches.map(() => 'Completed'));
    const loaded = [...emu.store.rows('Account')].filter((r) =>
      String(r.Name).startsWith('Broken bulk1 source '),
    );
    expect(loaded).toHaveLength(batches.length * 1000);
    // The error names every batch sent, with its rows: their results can be read by re-attaching.
    const sent = (error as SalesforceError).details;
    expect(sent.map((d) => d.batchId).sort()).toEqual(batches.map((b) => b.id).sort());
    expect(sent.every((d) => d.rows === 1000 && d.jobId === job.id)).toBe(true);
  });

  it('an input failing before any batch is whole: its own error, nothing loaded, no job left open', async () => {
    const { conn, emu } = org();
    const since = emu.requests.length;
    const failure = new Error('broke at once');
    const input = (async function* () {
      for (let i = 0; i < 5000; i++) yield { Name: `Early break ${String(i).padStart(5, '0')}` };
      throw failure;
    })();
    await expect(createBulk1(conn).load('Account', 'insert', input)).rejects.toBe(failure);
    const id = jobSince(emu, since);
    if (id !== undefined) expect((await createBulk1(conn).job(id).info()).state).toBe('Aborted');
    expect(
      [...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Early break ')),
    ).toHaveLength(0);
  });

  it('aborting the signal rejects with its reason and aborts the job', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    settings.paused = true;
    try {
      const controller = new AbortController();
      const reason = new Error('stop');
      const bulk = createBulk1(conn, { pollIntervalMs: 10 });
      const since = emu.requests.length;
      const records = Array.from({ length: 30 }, (_, i) => ({ Name: `Abort bulk1 ${i}` }));
      const op = bulk.load('Account', 'insert', records, { maxBatchRecords: 10, signal: controller.signal });
      // Abort while the batches wait to be processed (the emulator is paused).
      for (
        let i = 0;
        i < 400 && !emu.requests.slice(since).some((r) => /\/job\/\w+\/batch\/\w+$/.test(r.path));
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      controller.abort(reason);
      await expect(op).rejects.toBe(reason);
      expect((await bulk.job(jobSince(emu, since) as string).info()).state).toBe('Aborted');
    } finally {
      settings.paused = false;
    }
  });
});

describe('Bulk 1.0 load() with a failed batch', () => {
  it('the rows of a failed batch are failures in their places; the other batches’ results are kept', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    // The emulator fails any batch over 60 characters: the second batch below, not the others.
    settings.batchCharLimit = 60;
    try {
      const long = (c: string) => `Failed batch ${c.repeat(30)}`;
      const records = [
        { Name: 'FB 1' },
        { Name: 'FB 2' },
        { Name: long('x') },
        { Name: long('y') },
        { Name: 'FB 5' },
      ];
      const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', records, {
        maxBatchRecords: 2,
      });
      expect(results.map((r) => r.success)).toEqual([true, true, false, false, true]);
      expect(String(results[2]?.errors[0])).toMatch(
        /^BATCH_FAILED: batch \w+ failed \(InvalidBatch : .*character limit.*\)/,
      );
      expect(results[2]?.id).toBeNull();
      const stored = [...emu.store.rows('Account')].map((r) => r.Name);
      expect(stored).toEqual(expect.arrayContaining(['FB 1', 'FB 2', 'FB 5']));
      expect(stored).not.toContain(long('x'));
    } finally {
      settings.batchCharLimit = 10_000_000;
    }
  });

  it('when every batch fails, load() rejects with BATCH_FAILED (one cause for all, as a Bulk 2.0 job fails)', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    settings.batchCharLimit = 20;
    try {
      const records = [{ Name: 'All failed batch one' }, { Name: 'All failed batch two' }];
      await expect(
        createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', records, { maxBatchRecords: 1 }),
      ).rejects.toMatchObject({ code: 'BATCH_FAILED', message: expect.stringMatching(/character limit/) });
    } finally {
      settings.batchCharLimit = 10_000_000;
    }
  });
});
