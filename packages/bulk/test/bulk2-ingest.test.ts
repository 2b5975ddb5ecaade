import { getEventListeners } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isSalesforceError, type SalesforceError } from '@sf/core';
import { bulkSettings } from '@sf/emulator';
import { RecordStream } from '@sf/record-stream';
import { describe, expect, it } from 'vitest';
import { createIngestJob, ingestJob, load } from '../src/index.js';
import { fast, ITEM_OBJECT, useOrg } from './helpers.js';

const org = useOrg({
  customObjects: [ITEM_OBJECT],
});

const accounts = (n: number, prefix = 'Account') =>
  Array.from({ length: n }, (_, i) => ({ Name: `${prefix} #${i + 1}`, Industry: 'Energy' }));

describe('Bulk 2.0 ingest', () => {
  it('loads an array and accounts for every row', async () => {
    const { conn, emu } = org();
    const result = await load(conn, 'Account', 'insert', accounts(120, 'Array'), fast);
    expect(result.state).toBe('JobComplete');
    expect(result.numberRecordsUploaded).toBe(120);
    expect(result.numberRecordsSucceeded).toBe(120);
    const ok = await result.successfulResults().toArray();
    expect(ok).toHaveLength(120);
    expect(ok.every((r) => r.created && /^001/.test(r.id))).toBe(true);
    expect(emu.store.get('Account', ok[0]!.id)?.Name).toMatch(/^Array #/);
  });

  it('reports each failing row against the row, with a parsed error', async () => {
    const { conn } = org();
    const input = [{ Name: 'Good 1' }, { Name: null }, { Name: 'Good 2' }, { Name: '' }];
    const op = load(conn, 'Account', 'insert', input, { ...fast, columns: ['Name'] });
    const events: string[] = [];
    op.on('job', () => events.push('job')).on('upload', (u) => events.push(`upload:${u.rows}`));
    const result = await op;
    expect(events).toEqual(['job', 'upload:4']);
    expect(result.numberRecordsSucceeded).toBe(2);
    expect(result.numberRecordsFailed).toBe(2);
    const failed = await result.failedResults().toArray();
    expect(failed).toHaveLength(2);
    for (const f of failed) {
      expect(f.success).toBe(false);
      expect(f.errors.join(', ')).toBe('REQUIRED_FIELD_MISSING: Required fields are missing: [Name]');
      expect(f.errors[0]).toEqual({
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
      });
    }
    expect(failed.map((f) => f.record.Name).sort()).toEqual(['', '#N/A']);
  });

  it('splits input above maxUploadBytes across jobs, every row in exactly one', async () => {
    const { conn } = org();
    const jobs: string[] = [];
    const op = load(conn, 'Account', 'insert', RecordStream.from(accounts(300, 'Split')), {
      ...fast,
      maxUploadBytes: 1000,
    });
    op.on('job', (job) => jobs.push(job.id));
    const result = await op;
    expect(jobs.length).toBeGreaterThan(3);
    expect(result.jobs).toHaveLength(jobs.length);
    expect(result.numberRecordsUploaded).toBe(300);
    const names = (await result.successfulResults().toArray()).map((r) => r.record.Name);
    expect(new Set(names).size).toBe(300);
  });

  it('loads a CSV file and a CSV readable with quoted line breaks', async () => {
    const { conn, emu } = org();
    const dir = mkdtempSync(join(tmpdir(), 'bulk-'));
    const file = join(dir, 'Account.csv');
    writeFileSync(file, 'Name,Description\r\n"Quoted, Inc.","line one\r\nline two"\r\nPlain,x\r\n');
    const fromFile = await load(conn, 'Account', 'insert', { file }, fast);
    expect(fromFile.numberRecordsSucceeded).toBe(2);
    const [first] = await fromFile.successfulResults().toArray();
    expect(emu.store.get('Account', first!.id)?.Description).toBe('line one\r\nline two');
    const readable = Readable.from([Buffer.from('Name\nStream A\n'), Buffer.from('Stream B')], {
      objectMode: false,
    });
    const fromStream = await load(conn, 'Account', 'insert', readable, { ...fast, maxUploadBytes: 16 });
    expect(fromStream.jobs).toHaveLength(2);
    expect(fromStream.numberRecordsSucceeded).toBe(2);
  });

  it('upserts by external id, then updates and deletes', async () => {
    const { conn, emu } = org();
    const first = await load(
      conn,
      'Item__c',
      'upsert',
      [
        { Code__c: 'A', Qty__c: 1 },
        { Code__c: 'B', Qty__c: 2 },
      ],
      {
        ...fast,
        externalIdField: 'Code__c',
      },
    );
    expect(first.numberRecordsSucceeded).toBe(2);
    const again = await load(
      conn,
      'Item__c',
      'upsert',
      [
        { Code__c: 'A', Qty__c: 5 },
        { Code__c: 'C', Qty__c: 3 },
      ],
      {
        ...fast,
        externalIdField: 'Code__c',
      },
    );
    const rows = await again.successfulResults().toArray();
    expect(rows.map((r) => [r.record.Code__c, r.created]).sort()).toEqual([
      ['A', false],
      ['C', true],
    ]);
    const ids = rows.map((r) => ({ Id: r.id }));
    const updated = await load(
      conn,
      'Item__c',
      'update',
      ids.map((r) => ({ ...r, Qty__c: 9 })),
      fast,
    );
    expect(updated.numberRecordsSucceeded).toBe(2);
    expect(emu.store.get('Item__c', rows[0]!.id)?.Qty__c).toBe(9);
    const deleted = await load(conn, 'Item__c', 'delete', ids, fast);
    expect(deleted.numberRecordsSucceeded).toBe(2);
    expect(emu.store.get('Item__c', rows[0]!.id)).toBeUndefined();
  });

  it('an aborted job reports its unprocessed rows; every row once', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    settings.rowsPerTick = 10;
    settings.tickMs = 30;
    try {
      const op = load(conn, 'Account', 'insert', accounts(100, 'Abort'), fast);
      op.on('progress', (info) => {
        if (info.state === 'InProgress' && (info.numberRecordsProcessed ?? 0) >= 10)
          void ingestJob(conn, info.id).abort();
      });
      const result = await op;
      expect(result.state).toBe('Aborted');
      const ok = await result.successfulResults().toArray();
      const failed = await result.failedResults().toArray();
      const unprocessed = await result.unprocessedRecords().toArray();
      expect(unprocessed.length).toBeGreaterThan(0);
      expect(result.numberRecordsUnprocessed).toBe(unprocessed.length);
      const names = [
        ...ok.map((r) => r.record.Name),
        ...failed.map((r) => r.record.Name),
        ...unprocessed.map((r) => r.Name),
      ];
      expect(names.sort()).toEqual(
        accounts(100, 'Abort')
          .map((a) => a.Name)
          .sort(),
      );
    } finally {
      settings.rowsPerTick = 50;
      settings.tickMs = 0;
    }
  });

  it('re-attaches to a job by id and waits with a long-lived signal without leaking listeners', async () => {
    const { conn, emu } = org();
    const settings = bulkSettings(emu.store);
    const job = await createIngestJob(conn, { object: 'Account', operation: 'insert' });
    await job.upload('Name\nReattached\n');
    settings.paused = true;
    await job.close();
    const controller = new AbortController();
    const again = ingestJob(conn, job.id);
    const waiting = again.wait({ ...fast, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 150));
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    settings.paused = false;
    const info = await waiting;
    expect(info.numberRecordsProcessed).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborting the signal rejects with its reason and aborts the job', async () => {
    const { conn, emu } = org();
    bulkSettings(emu.store).paused = true;
    try {
      const controller = new AbortController();
      const ids: string[] = [];
      const op = load(conn, 'Account', 'insert', accounts(5), { ...fast, signal: controller.signal });
      op.on('upload', (u) => {
        ids.push(u.jobId);
        controller.abort(new Error('stop'));
      });
      await expect(op).rejects.toThrow('stop');
      expect((await ingestJob(conn, ids[0]!).info()).state).toBe('Aborted');
    } finally {
      bulkSettings(emu.store).paused = false;
    }
  });

  it('an input that fails mid-upload rejects with its error and aborts the open job (never processed)', async () => {
    const { conn } = org();
    const failure = new Error('the source broke');
    const input = (async function* () {
      for (let i = 0; i < 20_000; i++) yield { Name: `Broken source ${i}` };
      throw failure;
    })();
    const op = load(conn, 'Account', 'insert', input, fast);
    const jobs: string[] = [];
    op.on('job', (job) => jobs.push(job.id));
    await expect(op).rejects.toBe(failure);
    expect(jobs).toHaveLength(1);
    const info = await ingestJob(conn, jobs[0] as string).info();
    expect(info.state).toBe('Aborted');
    expect(info.numberRecordsProcessed ?? 0).toBe(0);
  });

  it('an input failing after a whole job was sent: INPUT_FAILED names that job (it runs on), cause is the input’s error', async () => {
    const { conn, emu } = org();
    const failure = new Error('the source broke later');
    const input = (async function* () {
      for (let i = 0; i < 20_000; i++) yield { Name: `Later break ${String(i).padStart(5, '0')}` };
      throw failure;
    })();
    const op = load(conn, 'Account', 'insert', input, { ...fast, maxUploadBytes: 200_000 });
    const jobs: string[] = [];
    op.on('job', (job) => jobs.push(job.id));
    const error = await op.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(error, 'INPUT_FAILED')).toBe(true);
    expect((error as Error).cause).toBe(failure);
    const sent = (error as SalesforceError).details;
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(jobs.length);
    // Each job named is whole and processed; the one cut short is aborted.
    for (const part of sent) {
      const info = await ingestJob(conn, part.jobId as string).wait(fast);
      expect(info.numberRecordsProcessed).toBe(part.rows);
    }
    expect((await ingestJob(conn, jobs.at(-1) as string).info()).state).toBe('Aborted');
    const loaded = [...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Later break '));
    expect(loaded).toHaveLength(sent.reduce((n, p) => n + (p.rows as number), 0));
  });

  it('records with a field the first record lacks: INVALID_ARGUMENT, unless columns are given', async () => {
    const { conn, emu } = org();
    const records = [{ Name: 'Cols 1' }, { Name: 'Cols 2', Description: 'kept' }];
    await expect(load(conn, 'Account', 'insert', records, fast)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/record 2 has field "Description"/),
    });
    const result = await load(conn, 'Account', 'insert', records, {
      ...fast,
      columns: ['Name', 'Description'],
    });
    expect(result.numberRecordsSucceeded).toBe(2);
    const rows = [...emu.store.rows('Account')].filter((r) => String(r.Name).startsWith('Cols '));
    expect(rows.map((r) => r.Description ?? null).sort()).toEqual(['kept', null]);
    const jobsBefore = emu.requests.filter((r) => r.path.endsWith('/jobs/ingest')).length;
    await expect(
      load(conn, 'Account', 'insert', records, { ...fast, extraFields: 'drop' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/extraFields must be/),
    });
    expect(emu.requests.filter((r) => r.path.endsWith('/jobs/ingest')).length).toBe(jobsBefore);
    // Chosen columns choose what is loaded: the extra field is left out, as asked.
    const narrow = await load(conn, 'Account', 'insert', [{ Name: 'Cols 3', Description: 'dropped' }], {
      ...fast,
      columns: ['Name'],
    });
    expect(narrow.numberRecordsSucceeded).toBe(1);
  });

  it('typed errors: a job failure, a timeout, an HTML page, an expired session renewed', async () => {
    const { conn, emu } = org();
    const failed = await load(conn, 'Account', 'insert', 'Name,NoSuchField__c\nA,1\n', fast).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(failed, 'JOB_FAILED')).toBe(true);
    expect((failed as Error).message).toMatch(/^\[@sf\/bulk\].*Field name not found : NoSuchField__c/);

    bulkSettings(emu.store).paused = true;
    const job = await createIngestJob(conn, { object: 'Account', operation: 'insert' });
    await job.upload('Name\nSlow\n');
    await job.close();
    await expect(job.wait({ pollIntervalMs: 10, pollTimeoutMs: 60 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    bulkSettings(emu.store).paused = false;
    await job.wait(fast);

    emu.faults.failNext(1, 'html', { path: '/services/data/v64.0/jobs/ingest' });
    await expect(load(conn, 'Account', 'insert', accounts(1), fast)).rejects.toSatisfy(
      (e) => isSalesforceError(e) && /HTML/.test((e as Error).message),
    );

    emu.faults.expireAllTokens();
    const renewed = await load(conn, 'Account', 'insert', accounts(3, 'Renewed'), fast);
    expect(renewed.numberRecordsSucceeded).toBe(3);
  });
});
