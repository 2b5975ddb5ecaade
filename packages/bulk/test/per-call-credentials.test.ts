// nforce's multi-user mode (its README in shared/seeds/) passes the user's oauth object with each
// call. A bulk call given it as its options (`load(conn, 'Account', 'insert', records, oauth)`)
// would ignore it and load the records as the connection's user. The bulk entry checks must
// refuse it with INVALID_ARGUMENT before anything is sent, naming the keys but never the token;
// ordinary options must still work.
import { isSalesforceError } from '@sf/core';
import { sobject } from '@sf/sobject';
import { describe, expect, it } from 'vitest';
import {
  bulkload,
  bulkQuery,
  bulkQueryAll,
  createBulk1,
  createIngestJob,
  destroyBulk,
  destroyRecords,
  ingestJob,
  insertBulk,
  load,
  updateBulk,
  updateRecords,
  withBulk,
} from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;

const org = useOrg();
const TOKEN = '00Dxx0000001gPL!AQ4AQOtherUsersToken';

/** nforce's oauth object: the OAuth token response of another user. */
function oauth() {
  return {
    access_token: TOKEN,
    instance_url: org().emu.url,
    id: 'https://login.salesforce.com/id/00Dx0000001gPLEAY/005x0000001S2bCAAS',
    issued_at: '1278448101416',
    signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
  };
}

/** What must happen: INVALID_ARGUMENT naming the call and the keys, no token in it. */
function expectRefused(error: unknown, call: string, keys = 'access_token, instance_url'): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/bulk] ${call} takes no credentials (an argument has ${keys})`);
  expect(message).toContain('conn.withAuth({ accessToken, instanceUrl })');
  expect(message).not.toContain(TOKEN);
}

describe("nforce's per-call oauth object as a bulk call's options is refused, nothing sent", () => {
  it('load, insertBulk, createIngestJob and createBulk1', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const records = [{ Name: 'Theirs' }];
    expectRefused(await thrown(() => js(load)(conn, 'Account', 'insert', records, oauth())), 'load');
    expectRefused(
      await thrown(() => js(insertBulk)(conn, 'Account', records, { ...fast, accessToken: TOKEN })),
      'insertBulk',
      'accessToken',
    );
    expectRefused(
      await thrown(() =>
        js(createIngestJob)(conn, { object: 'Account', operation: 'insert', oauth: oauth() }),
      ),
      'createIngestJob',
      'oauth',
    );
    expectRefused(
      await thrown(() => js(createBulk1)(conn, { sessionId: TOKEN })),
      'createBulk1',
      'sessionId',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('ordinary records and options ({ signal, timeoutMs }) still load', async () => {
    const { conn } = org();
    const result = await load(conn, 'Account', 'insert', [{ Name: 'Mine', Description: 'access_token' }], {
      ...fast,
      signal: AbortSignal.timeout(30_000),
      timeoutMs: 30_000,
    });
    expect(result.numberRecordsProcessed).toBe(1);
  });
});

/** Reads a record stream to its end (a bulk query sends nothing until it is read). */
async function drain(stream: unknown): Promise<void> {
  for await (const _ of stream as AsyncIterable<unknown>) {
    // nothing: reading is what sends
  }
}

describe("nforce's oauth object after the options (its own position) is refused, nothing sent", () => {
  const ID = '001000000000001AAA';
  const records = () => [{ Name: 'Theirs' }];

  it('load, insertBulk, bulkload and its execute, destroyBulk, updateBulk', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const upper = (r: { Id: string }) => ({ Id: r.Id, Name: 'X' });
    const calls: [string, () => unknown][] = [
      ['load', () => js(load)(conn, 'Account', 'insert', records(), fast, oauth())],
      ['insertBulk', () => js(insertBulk)(conn, 'Account', records(), fast, oauth())],
      ['bulkload', () => js(bulkload)(conn, 'Account', 'insert', fast, oauth())],
      [
        'bulkload(operation).execute',
        () => js(bulkload(conn, 'Account', 'insert', fast).execute)(records(), {}, oauth()),
      ],
      ['destroyBulk', () => js(destroyBulk)(conn, 'Account', [{ Id: ID }], fast, oauth())],
      ['updateBulk', () => js(updateBulk)(conn, 'Account', [{ Id: ID }], upper, fast, oauth())],
      // Right after the data, in the options' place.
      ['updateBulk', () => js(updateBulk)(conn, 'Account', [{ Id: ID }], upper, oauth())],
      ['destroyBulk', () => js(destroyBulk)(conn, 'Account', [{ Id: ID }], oauth())],
    ];
    for (const [call, run] of calls) expectRefused(await thrown(run), call);
    expect(emu.requests.length).toBe(0);
  });

  it('bulkQuery and bulkQueryAll, after the options or as them', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const soql = 'SELECT Id FROM Account';
    expectRefused(await thrown(() => drain(js(bulkQuery)(conn, soql, fast, oauth()))), 'bulkQuery');
    expectRefused(await thrown(() => drain(js(bulkQuery)(conn, soql, oauth()))), 'bulkQuery');
    expectRefused(await thrown(() => drain(js(bulkQueryAll)(conn, soql, {}, oauth()))), 'bulkQueryAll');
    expectRefused(
      await thrown(() => drain(js(bulkQueryAll)(conn, soql, { accessToken: TOKEN }))),
      'bulkQueryAll',
      'accessToken',
    );
    expect(emu.requests.length).toBe(0);
  });

  it('createIngestJob, ingestJob and the ingest job methods', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const options = { object: 'Account', operation: 'insert' };
    expectRefused(await thrown(() => js(createIngestJob)(conn, options, oauth())), 'createIngestJob');
    expectRefused(await thrown(() => js(ingestJob)(conn, '750000000000001AAA', oauth())), 'ingestJob');
    const job = ingestJob(conn, '750000000000001AAA');
    const methods: [string, () => unknown][] = [
      ['job.info', () => js(job.info.bind(job))(oauth())],
      ['job.upload', () => js(job.upload.bind(job))('Name\nA\n', oauth())],
      ['job.close', () => js(job.close.bind(job))(oauth())],
      ['job.abort', () => js(job.abort.bind(job))({}, oauth())],
      ['job.delete', () => js(job.delete.bind(job))(oauth())],
      ['job.wait', () => js(job.wait.bind(job))(fast, oauth())],
      ['job.successfulResults', () => drain(js(job.successfulResults.bind(job))(oauth()))],
      ['job.failedResults', () => drain(js(job.failedResults.bind(job))(oauth()))],
      ['job.unprocessedRecords', () => drain(js(job.unprocessedRecords.bind(job))(oauth()))],
    ];
    for (const [call, run] of methods) expectRefused(await thrown(run), call);
    expect(emu.requests.length).toBe(0);
  });

  it('Bulk 1.0: createBulk1, createJob, job, load, query, and a job and batch methods', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    expectRefused(await thrown(() => js(createBulk1)(conn, fast, oauth())), 'createBulk1');
    const bulk = createBulk1(conn, fast);
    const soql = 'SELECT Id FROM Account';
    const calls: [string, () => unknown][] = [
      ['createJob', () => js(bulk.createJob.bind(bulk))('Account', 'insert', {}, oauth())],
      ['bulk.job', () => js(bulk.job.bind(bulk))('750000000000001AAA', oauth())],
      ['bulk.load', () => js(bulk.load.bind(bulk))('Account', 'insert', records(), {}, oauth())],
      ['bulk.query', () => drain(js(bulk.query.bind(bulk))(soql, {}, oauth()))],
      ['bulk.query', () => drain(js(bulk.query.bind(bulk))(soql, oauth()))],
    ];
    const job = bulk.createJob('Account', 'insert');
    const batch = () => job.createBatch();
    calls.push(
      ['job.open', () => js(job.open.bind(job))(oauth())],
      ['job.info', () => js(job.info.bind(job))(oauth())],
      ['job.close', () => js(job.close.bind(job))(oauth())],
      ['job.abort', () => js(job.abort.bind(job))(oauth())],
      ['job.list', () => js(job.list.bind(job))(oauth())],
      ['job.batch', () => js(job.batch.bind(job))('751000000000001AAA', oauth())],
      ['batch.execute', () => js(batch().execute.bind(batch()))(records(), {}, oauth())],
      ['batch.execute', () => js(batch().execute.bind(batch()))(records(), oauth())],
      ['batch.send', () => js(batch().send.bind(batch()))('Name\nA\n', oauth())],
    );
    for (const [call, run] of calls) expectRefused(await thrown(run), call);
    const attached = job.batch('751000000000001AAA');
    const methods: [string, () => unknown][] = [
      ['batch.info', () => js(attached.info.bind(attached))(oauth())],
      ['batch.poll', () => js(attached.poll.bind(attached))(10, 1000, oauth())],
      ['batch.readResults', () => js(attached.readResults.bind(attached))(oauth())],
      ['batch.result', () => js(attached.result.bind(attached))(oauth())],
      ['batch.resultIds', () => js(attached.resultIds.bind(attached))(oauth())],
    ];
    for (const [call, run] of methods) expectRefused(await thrown(run), call);
    expect(emu.requests.length).toBe(0);
  });

  it('withBulk, its methods, and destroyRecords / updateRecords', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const mapper = (r: Record<string, unknown>) => ({ Id: r.Id as string, Name: 'X' });
    const calls: [string, () => unknown][] = [
      ['withBulk', () => js(withBulk)(sobject(conn, 'Account'), fast, oauth())],
      ['insertBulk', () => js(Account.insertBulk)(records(), {}, oauth())],
      ['bulkload', () => js(Account.bulkload)('insert', {}, oauth())],
      ['updateBulk', () => js(Account.updateBulk)([{ Id: ID }], mapper, {}, oauth())],
      ['destroyBulk', () => js(Account.destroyBulk)([{ Id: ID }], {}, oauth())],
      ['destroyRecords', () => js(destroyRecords)(sobject(conn, 'Account'), [{ Id: ID }], {}, oauth())],
      ['updateRecords', () => js(updateRecords)(sobject(conn, 'Account'), [{ Id: ID }], mapper, oauth())],
      ['destroy', () => js(Account.find({ Name: 'X' }).destroy)({}, oauth())],
      ['update', () => js(Account.find({ Name: 'X' }).update)(mapper, oauth())],
    ];
    for (const [call, run] of calls) expectRefused(await thrown(run), call);
    expect(emu.requests.length).toBe(0);
  });

  it('a mapper given last (no options) is no callback: updateBulk still updates', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Before' }, { asSystem: true });
    const result = await updateBulk(conn, 'Account', [{ Id: id }], (r) => ({ Id: r.Id, Name: 'After' }));
    expect(result.numberRecordsSucceeded).toBe(1);
    expect([...emu.store.rows('Account')].find((r) => r.Id === id)?.Name).toBe('After');
  });
});
