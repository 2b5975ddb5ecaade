// CONVENTIONS.md for @sf/bulk, over HTTP against the emulator (or a silent local server for
// timeouts): one per-record result with parsed RecordErrors that print as `CODE: message`,
// `{ signal, timeoutMs }` last on every network call, `externalIdField`, renamed options and
// node-salesforce habits (callbacks, `rets.length` on a LoadResult) failing loudly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnection, isSalesforceError } from '@sf/core';
import { sobject } from '@sf/sobject';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bulkload,
  createBulk1,
  createIngestJob,
  ingestJob,
  insertBulk,
  load,
  parseRecordErrors,
  withBulk,
} from '../src/index.js';
import { fast, ITEM_OBJECT, thrown, useOrg } from './helpers.js';

const org = useOrg({
  customObjects: [ITEM_OBJECT],
});

function invalid(error: unknown, text: RegExp): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  expect((error as Error).message).toMatch(/^\[@sf\/bulk\] /);
  expect((error as Error).message).toMatch(text);
}

describe('one per-record result', () => {
  it('parses CODE:message:fields, several errors, and text without a code', () => {
    expect(parseRecordErrors('')).toEqual([]);
    expect(parseRecordErrors('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --')).toEqual([
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
      },
    ]);
    expect(parseRecordErrors('DUPLICATE_VALUE:dup:A__c, B__c -- INVALID_FIELD:bad:C__c --')).toEqual([
      { errorCode: 'DUPLICATE_VALUE', message: 'dup', fields: ['A__c', 'B__c'] },
      { errorCode: 'INVALID_FIELD', message: 'bad', fields: ['C__c'] },
    ]);
    expect(parseRecordErrors('ENTITY_IS_DELETED:entity is deleted')).toEqual([
      { errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
    ]);
    expect(parseRecordErrors('something broke')).toEqual([
      { errorCode: 'UNKNOWN_EXCEPTION', message: 'something broke', fields: [] },
    ]);
  });

  it('Bulk 1.0 and Bulk 2.0 give the same shape; errors.join(", ") prints CODE: message (node-salesforce loop)', async () => {
    const { conn } = org();
    const rets = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', [
      { Name: 'Shape 1' },
      { Name: null },
    ]);
    expect(rets[1]).toEqual({
      id: null,
      success: false,
      created: false,
      index: 1,
      errors: [
        {
          errorCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    expect(rets[0]).toMatchObject({ success: true, created: true, errors: [], index: 0 });
    const printed: string[] = [];
    for (let i = 0; i < rets.length; i++) {
      const r = rets[i]!;
      printed.push(r.success ? `#${i + 1} ok` : `#${i + 1} error occurred, message = ${r.errors.join(', ')}`);
    }
    expect(printed[1]).toBe(
      '#2 error occurred, message = REQUIRED_FIELD_MISSING: Required fields are missing: [Name]',
    );

    const result = await load(conn, 'Account', 'insert', [{ Name: 'Shape 2' }, { Name: null }], fast);
    const [failed] = await result.failedResults().toArray();
    const [saved] = await result.successfulResults().toArray();
    expect(failed).toMatchObject({
      id: null,
      success: false,
      errors: [{ errorCode: 'REQUIRED_FIELD_MISSING' }],
    });
    expect(failed).not.toHaveProperty('error');
    expect(String(failed!.errors)).toBe('REQUIRED_FIELD_MISSING: Required fields are missing: [Name]');
    expect(JSON.parse(JSON.stringify(failed!.errors))).toEqual([
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
      },
    ]);
    expect(saved).toMatchObject({ success: true, created: true, errors: [], record: { Name: 'Shape 2' } });
  });

  it('REST results of a switching write have the same shape, errors printing CODE: message', async () => {
    const { conn } = org();
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const [a] = await Account.create([{ Name: 'Rest shape' }]);
    const result = await Account.find({ Id: a!.id as string }, ['Id']).update((r) => ({
      Id: r.Id,
      Name: '',
    }));
    expect(result.api).toBe('rest');
    const [failed] = await result.failedResults().toArray();
    expect(failed).toMatchObject({ success: false, errors: [{ errorCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(failed!.errors.join(', ')).toMatch(/^REQUIRED_FIELD_MISSING: /);
  });
});

describe('node-salesforce habits fail loudly', () => {
  it('a LoadResult is not an array: the seed loop over rets.length throws INVALID_ARGUMENT', async () => {
    const { conn } = org();
    const rets = await insertBulk(conn, 'Account', [{ Name: 'Loop 1' }], fast);
    const loop = () => {
      let n = 0;
      for (let i = 0; i < rets.length; i++) n++;
      return n;
    };
    invalid(await thrown(loop), /not an array.*failedResults\(\)/);
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const viaSobject = await Account.bulkload('insert').execute([{ Name: 'Loop 2' }]);
    invalid(await thrown(() => viaSobject.length), /not an array/);
    // The REST path of a switching write (a SwitchedResult) too; its counts work.
    const deleted = await Account.find({ Name: 'Loop 2' }, ['Id']).destroy();
    expect(deleted.numberRecordsSucceeded).toBe(1);
    invalid(await thrown(() => deleted.length), /not an array/);
    // Nothing else changed: spreading, JSON and matching see no `length`.
    expect(Object.keys(rets)).not.toContain('length');
    expect(rets).toMatchObject({ numberRecordsSucceeded: 1 });
  });

  it('a callback where a promise is returned is INVALID_ARGUMENT, naming what to do', async () => {
    const { conn } = org();
    const cb = (_err: unknown, _rets: unknown) => {};
    const records = [{ Name: 'Callback' }];
    const Account = withBulk(sobject(conn, 'Account'));
    const bulk = createBulk1(conn);
    const anyArgs = (f: unknown) => f as (...args: unknown[]) => unknown;
    for (const call of [
      () => anyArgs(insertBulk)(conn, 'Account', records, cb),
      () => anyArgs(bulkload(conn, 'Account', 'insert').execute)(records, cb),
      () => anyArgs(Account.insertBulk)(records, cb),
      () => anyArgs(Account.bulkload('insert').execute)(records, cb),
      () => anyArgs(bulk.load.bind(bulk))('Account', 'insert', records, cb),
      () => anyArgs(load)(conn, 'Account', 'insert', records, cb),
      () => anyArgs(bulk.createJob('Account', 'insert').createBatch().execute.bind(bulk))(records, cb),
    ]) {
      invalid(await thrown(call), /takes no callback: it returns an awaitable/);
    }
  });

  it('renamed options are INVALID_ARGUMENT naming the new name, before anything is sent', async () => {
    const { conn, emu } = org();
    const since = emu.requests.length;
    const old = (o: object) => o as never;
    invalid(
      await thrown(() => load(conn, 'Account', 'insert', [], old({ pollInterval: 10 }))),
      /pollInterval is now pollIntervalMs/,
    );
    invalid(
      await thrown(() => createBulk1(conn, old({ pollTimeout: 10 }))),
      /pollTimeout is now pollTimeoutMs/,
    );
    invalid(
      await thrown(() => createBulk1(conn).createJob('Item__c', 'upsert', old({ extIdField: 'Code__c' }))),
      /extIdField is now externalIdField/,
    );
    invalid(
      await thrown(() =>
        createIngestJob(
          conn,
          old({ object: 'Item__c', operation: 'upsert', externalIdFieldName: 'Code__c' }),
        ),
      ),
      /externalIdFieldName is now externalIdField/,
    );
    invalid(
      await thrown(() => withBulk(sobject(conn, 'Account'), old({ maxPollInterval: 5 }))),
      /maxPollIntervalMs/,
    );
    expect(emu.requests.length).toBe(since);
  });

  it('a positional signal (the 0.x form) is INVALID_ARGUMENT', async () => {
    const { conn } = org();
    const job = await createIngestJob(conn, { object: 'Account', operation: 'insert' });
    const signal = new AbortController().signal;
    invalid(await thrown(() => job.info(signal as never)), /\{ signal \}/);
    invalid(
      await thrown(() =>
        createBulk1(conn)
          .job('750000000000001AAA')
          .info(signal as never),
      ),
      /\{ signal \}/,
    );
    await job.abort();
  });
});

describe('externalIdField', () => {
  it('upserts through Bulk 1.0 by externalIdField', async () => {
    const { conn, emu } = org();
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const results = await bulk.load('Item__c', 'upsert', [{ Code__c: 'X1', Qty__c: 1 }], {
      externalIdField: 'Code__c',
    });
    expect(results).toMatchObject([{ success: true, created: true }]);
    const again = await bulk.load('Item__c', 'upsert', [{ Code__c: 'X1', Qty__c: 7 }], {
      externalIdField: 'Code__c',
    });
    expect(again).toMatchObject([{ success: true, created: false, id: results[0]!.id }]);
    expect(emu.store.get('Item__c', results[0]!.id as string)?.Qty__c).toBe(7);
  });
});

describe('{ signal, timeoutMs } on every network call', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A server that reads each request and never answers. */
  async function silent(): Promise<string> {
    server = createServer((req) => req.resume());
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('an aborted signal rejects each small call with signal.reason, unchanged', async () => {
    const { conn } = org();
    const reason = new Error('stop here');
    const controller = new AbortController();
    controller.abort(reason);
    const { signal } = controller;
    const job = await createIngestJob(conn, { object: 'Account', operation: 'insert' });
    const bulk1Job = createBulk1(conn).createJob('Account', 'insert');
    await bulk1Job.open();
    const calls: (() => Promise<unknown>)[] = [
      () => job.info({ signal }),
      () => job.upload('Name\nA\n', { signal }),
      () => job.close({ signal }),
      () => job.abort({ signal }),
      () => job.delete({ signal }),
      () => job.successfulResults({ signal }).toArray(),
      () => job.failedResults({ signal }).toArray(),
      () => job.unprocessedRecords({ signal }).toArray(),
      () => bulk1Job.info({ signal }),
      () => bulk1Job.list({ signal }),
      () => bulk1Job.close({ signal }),
      () => bulk1Job.abort({ signal }),
      () => bulk1Job.createBatch().send('Name\nA\n', { signal }),
    ];
    for (const call of calls) expect(await thrown(call)).toBe(reason);
    await job.abort();
    await bulk1Job.abort();
  });

  it('timeoutMs bounds each call: TIMEOUT from a server that never answers', async () => {
    const url = await silent();
    const conn = createConnection({ instanceUrl: url, auth: 'token', retry: false });
    const job = ingestJob(conn, '750000000000001AAA');
    const bulk1Job = createBulk1(conn).job('750000000000001AAA');
    const timeoutMs = 100;
    for (const call of [
      () => job.info({ timeoutMs }),
      () => job.abort({ timeoutMs }),
      () => job.successfulResults({ timeoutMs }).toArray(),
      () => bulk1Job.info({ timeoutMs }),
      () => bulk1Job.batch('751000000000001AAA').readResults({ timeoutMs }),
    ]) {
      const error = await thrown(call);
      expect(isSalesforceError(error, 'TIMEOUT')).toBe(true);
    }
  });
});
