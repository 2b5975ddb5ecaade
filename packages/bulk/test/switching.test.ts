// `find(...).destroy()` and `find(...).update(mapper)` over @sf/sobject and @sf/query, switching
// from REST (sObject Collections) to Bulk API 2.0 above a threshold, against the emulator.
import { isSalesforceError } from '@sf/core';
import { find, query, SoqlDate } from '@sf/query';
import { RecordStream } from '@sf/record-stream';
import { sobject } from '@sf/sobject';
import { describe, expect, it } from 'vitest';
import {
  destroyRecords,
  type IngestJob,
  type SwitchedResult,
  updateRecords,
  withBulk,
} from '../src/index.js';
import { fast, useOrg } from './helpers.js';

const org = useOrg();

/** Inserts `count` Accounts named `${prefix} ${i}` straight into the store. */
function seed(prefix: string, count: number, fields: Record<string, unknown> = {}): string[] {
  const { emu } = org();
  return Array.from({ length: count }, (_, i) =>
    emu.store.insert('Account', { Name: `${prefix} ${i}`, ...fields }, { asSystem: true }),
  );
}

function named(prefix: string): Record<string, unknown>[] {
  return [...org().emu.store.rows('Account')].filter((r) => String(r.Name).startsWith(`${prefix} `));
}

/** The writes the emulator saw since `from`: Collections requests and Bulk 2.0 jobs created. */
function writesSince(from: number): { collections: number; bulkJobs: number } {
  const log = org().emu.requests.slice(from);
  return {
    collections: log.filter((r) => r.path.endsWith('/composite/sobjects')).length,
    bulkJobs: log.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/ingest')).length,
  };
}

async function failures(result: SwitchedResult): Promise<{ id: string | null; code: string }[]> {
  const out: { id: string | null; code: string }[] = [];
  for await (const f of result.failedResults()) out.push({ id: f.id, code: f.errors[0]?.errorCode ?? '' });
  return out;
}

describe('find(...).destroy(): REST at or below the threshold, Bulk API 2.0 above', () => {
  it('deletes through sObject Collections when the records are few (one request, no job)', async () => {
    const { conn, emu } = org();
    seed('FewDel', 5);
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const from = emu.requests.length;
    const result = await Account.find({ Name: { $like: 'FewDel %' } }).destroy();
    expect(result.api).toBe('rest');
    expect(result.numberRecordsSucceeded).toBe(5);
    expect(result.numberRecordsFailed).toBe(0);
    expect(writesSince(from)).toEqual({ collections: 1, bulkJobs: 0 });
    expect(named('FewDel')).toHaveLength(0);
    const deleted = [];
    for await (const s of result.successfulResults()) deleted.push(s.id);
    expect(deleted).toHaveLength(5);
  });

  it('deletes through Bulk API 2.0 above the threshold, reading the query as it uploads', async () => {
    const { conn, emu } = org();
    seed('ManyDel', 30);
    seed('KeepDel', 3);
    const Account = withBulk(sobject(conn, 'Account'), { ...fast, bulkThreshold: 10 });
    const from = emu.requests.length;
    const result = await Account.find({ Name: { $like: 'ManyDel %' } }).destroy();
    expect(result.api).toBe('bulk');
    expect(result.numberRecordsUploaded).toBe(30);
    expect(result.numberRecordsSucceeded).toBe(30);
    expect(writesSince(from)).toEqual({ collections: 0, bulkJobs: 1 });
    expect(named('ManyDel')).toHaveLength(0);
    expect(named('KeepDel')).toHaveLength(3);
  });

  it('exactly the threshold stays on REST; one more switches (the boundary)', async () => {
    const { conn, emu } = org();
    seed('EdgeA', 4);
    seed('EdgeB', 5);
    const Account = withBulk(sobject(conn, 'Account'), { ...fast, bulkThreshold: 4 });
    let from = emu.requests.length;
    const a = await Account.find({ Name: { $like: 'EdgeA %' } }).destroy();
    expect([a.api, a.numberRecordsSucceeded, writesSince(from).bulkJobs]).toEqual(['rest', 4, 0]);
    from = emu.requests.length;
    const b = await Account.find({ Name: { $like: 'EdgeB %' } }).destroy();
    expect([b.api, b.numberRecordsSucceeded, writesSince(from).collections]).toEqual(['bulk', 5, 0]);
  });

  it('chains sort/limit before destroy, and an empty match sends no write', async () => {
    const { conn, emu } = org();
    seed('Chain', 6);
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const result = await Account.find({ Name: { $like: 'Chain %' } }, ['Id', 'Name'])
      .sort({ Name: 1 })
      .limit(2)
      .destroy();
    expect(result.numberRecordsSucceeded).toBe(2);
    expect(named('Chain').map((r) => r.Name)).toEqual(['Chain 2', 'Chain 3', 'Chain 4', 'Chain 5']);
    const from = emu.requests.length;
    const none = await Account.find({ Name: 'No such account anywhere' }).destroy();
    expect([none.api, none.numberRecordsProcessed]).toEqual(['rest', 0]);
    const hard = await Account.find({ Name: 'No such account anywhere' }).destroy({ hard: true });
    expect(hard.numberRecordsProcessed).toBe(0);
    expect(writesSince(from)).toEqual({ collections: 0, bulkJobs: 0 });
  });

  it('the seed: DELETE FROM Account WHERE CreatedDate < LAST_YEAR, with hard: true through Bulk API', async () => {
    const { conn } = org();
    const old = new Date(Date.UTC(new Date().getUTCFullYear() - 2, 5, 1)).toISOString();
    seed('Ancient', 3, { CreatedDate: old });
    seed('Recent', 2);
    const Account = withBulk(sobject(conn, 'Account'), fast);
    const result = await Account.find({
      CreatedDate: { $lt: SoqlDate.LAST_YEAR },
      Name: { $like: 'Ancient %' },
    }).destroy({
      hard: true,
    });
    expect(result.api).toBe('bulk');
    expect(result.jobs[0]?.operation).toBe('hardDelete');
    expect(result.numberRecordsSucceeded).toBe(3);
    expect(named('Ancient')).toHaveLength(0);
    expect(named('Recent')).toHaveLength(2);
  });

  for (const [api, bulkThreshold] of [
    ['rest', Number.POSITIVE_INFINITY],
    ['bulk', 0],
  ] as const) {
    it(`reports each failed record against its id (${api})`, async () => {
      const { conn, emu } = org();
      const ids = seed(`FailDel${api}`, 12);
      // Two are deleted behind the caller's back: those rows fail, the others succeed.
      const gone = [ids[3] as string, ids[9] as string];
      for (const id of gone) emu.store.delete('Account', id);
      const result = await destroyRecords(
        sobject(conn, 'Account'),
        ids.map((Id) => ({ Id })),
        { ...fast, bulkThreshold },
      );
      expect(result.api).toBe(api);
      expect(result.numberRecordsSucceeded).toBe(10);
      expect(result.numberRecordsFailed).toBe(2);
      const failed = await failures(result);
      expect(failed.map((f) => f.id).sort()).toEqual([...gone].sort());
      expect(failed.every((f) => f.code === 'ENTITY_IS_DELETED')).toBe(true);
    });
  }

  it('streams above the threshold: the upload starts before the source is read, and an abort stops both', async () => {
    const { conn } = org();
    const total = 20_000;
    let pulled = 0;
    let released = false;
    const source = (async function* () {
      try {
        for (let i = 0; i < total; i++) {
          pulled += 1;
          yield { Id: `001Zz${String(i).padStart(13, '0')}` };
        }
      } finally {
        released = true;
      }
    })();
    const controller = new AbortController();
    const reason = new Error('enough');
    const op = destroyRecords(sobject(conn, 'Account'), source, { ...fast, signal: controller.signal });
    const jobs: IngestJob[] = [];
    let pulledAtJob = -1;
    op.on('job', (job) => {
      jobs.push(job);
      pulledAtJob = pulled;
      controller.abort(reason);
    });
    await expect(op).rejects.toBe(reason);
    expect(pulledAtJob).toBeGreaterThan(200);
    expect(pulledAtJob).toBeLessThan(total);
    expect(released).toBe(true);
    expect(jobs).toHaveLength(1);
    expect((await (jobs[0] as IngestJob).info()).state).toBe('Aborted');
  });

  it('a record without an Id is a typed error before anything is written', async () => {
    const { conn, emu } = org();
    const from = emu.requests.length;
    const error = await destroyRecords(sobject(conn, 'Account'), [
      { Id: '001000000000001AAA' },
      { Name: 'x' },
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String((error as Error).message)).toMatch(/record 2 has no Id/);
    expect(writesSince(from)).toEqual({ collections: 0, bulkJobs: 0 });
  });

  it('rejects a bad threshold with INVALID_ARGUMENT', async () => {
    const { conn } = org();
    for (const bulkThreshold of [-1, 1.5, Number.NaN]) {
      await expect(destroyRecords(sobject(conn, 'Account'), [], { bulkThreshold })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});

describe('find(...).update(mapper): the seed’s UPDATE Opportunity SET Name = Account.Name + Name', () => {
  async function opportunities(prefix: string, count: number): Promise<string> {
    const { emu } = org();
    const accId = emu.store.insert('Account', { Name: `${prefix} Parent` });
    for (let i = 0; i < count; i++) {
      emu.store.insert('Opportunity', {
        Name: `${prefix} Deal ${i}`,
        AccountId: accId,
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
      });
    }
    return accId;
  }

  function oppNames(accId: string): string[] {
    return [...org().emu.store.rows('Opportunity')]
      .filter((r) => r.AccountId === accId)
      .map((r) => String(r.Name))
      .sort();
  }

  for (const [label, count, api] of [
    ['few records through REST', 3, 'rest'],
    ['many records through Bulk API 2.0', 25, 'bulk'],
  ] as const) {
    it(label, async () => {
      const { conn } = org();
      const prefix = `Upd${count}`;
      const accId = await opportunities(prefix, count);
      const Opportunity = withBulk(
        sobject<{ Id: string; Name: string; Account: { Name: string } }>(conn, 'Opportunity'),
        {
          ...fast,
          bulkThreshold: 10,
        },
      );
      const result = await Opportunity.find(
        { 'Account.Id': accId },
        { Id: 1, Name: 1, 'Account.Name': 1 },
      ).update((r) => ({ Id: r.Id, Name: `${r.Account.Name} - ${r.Name}` }));
      expect(result.api).toBe(api);
      expect(result.numberRecordsSucceeded).toBe(count);
      expect(oppNames(accId)).toEqual(
        Array.from({ length: count }, (_, i) => `${prefix} Parent - ${prefix} Deal ${i}`).sort(),
      );
    });
  }

  it('a field only later records carry is loaded, not dropped (columns from every record read before the switch)', async () => {
    const { conn } = org();
    const ids = seed('Sparse', 8);
    const result = await updateRecords(
      sobject(conn, 'Account'),
      find(conn, 'Account', { Name: { $like: 'Sparse %' } }, ['Id', 'Name']).sort({ Name: 1 }),
      (r) => (r.Name === 'Sparse 2' ? { Id: r.Id, Description: 'two' } : { Id: r.Id }),
      { ...fast, bulkThreshold: 3 },
    );
    expect(result.api).toBe('bulk');
    expect(result.numberRecordsSucceeded).toBe(8);
    const byId = new Map(named('Sparse').map((r) => [r.Id, r]));
    expect(byId.get(ids[2])?.Description).toBe('two');
    expect(byId.get(ids[4])?.Description ?? null).toBeNull();
  });

  it('a field first seen after the switch is an INVALID_ARGUMENT error and the job is aborted, never half-loaded silently', async () => {
    const { conn } = org();
    seed('Late', 8);
    const op = updateRecords(
      sobject(conn, 'Account'),
      find(conn, 'Account', { Name: { $like: 'Late %' } }, ['Id', 'Name']).sort({ Name: 1 }),
      (r) => (r.Name === 'Late 7' ? { Id: r.Id, Description: 'late' } : { Id: r.Id, Name: `${r.Name}!` }),
      { ...fast, bulkThreshold: 3 },
    );
    const jobs: IngestJob[] = [];
    op.on('job', (job) => jobs.push(job));
    const error = await op.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String((error as Error).message)).toMatch(/record 8 has field "Description"/);
    // A job whose upload was cut short is aborted, never closed and processed.
    for (const job of jobs) expect((await job.info()).state).toBe('Aborted');
    // Nothing was processed: the open job was aborted, not closed.
    expect(named('Late').every((r) => !String(r.Name).endsWith('!'))).toBe(true);
  });

  for (const bulkThreshold of [Number.POSITIVE_INFINITY, 0]) {
    it(`'' from the mapper clears the field on either path (bulkThreshold ${bulkThreshold})`, async () => {
      const { conn } = org();
      const prefix = `Clear${bulkThreshold}`;
      seed(prefix, 3, { Description: 'to clear' });
      const result = await updateRecords(
        sobject(conn, 'Account'),
        find(conn, 'Account', { Name: { $like: `${prefix} %` } }, ['Id']),
        (r) => ({ Id: r.Id, Description: '' }),
        { ...fast, bulkThreshold },
      );
      expect(result.api).toBe(bulkThreshold === 0 ? 'bulk' : 'rest');
      expect(named(prefix).map((r) => r.Description ?? null)).toEqual([null, null, null]);
    });
  }

  it('the seed’s sObject methods: Account.insertBulk, bulkload(op).execute, updateBulk, destroyBulk; the sObject’s own still work', async () => {
    const { conn } = org();
    const Account = withBulk(sobject<{ Id: string; Name: string }>(conn, 'Account'), fast);
    const inserted = await Account.insertBulk([{ Name: 'Seed sobj 1' }, { Name: 'Seed sobj 2' }]);
    expect(inserted.numberRecordsSucceeded).toBe(2);
    const more = await Account.bulkload('insert').execute([{ Name: 'Seed sobj 3' }]);
    expect(more.numberRecordsSucceeded).toBe(1);
    expect(await Account.count({ Name: { $like: 'Seed sobj %' } })).toBe(3);
    const updated = await Account.updateBulk(
      Account.find({ Name: { $like: 'Seed sobj %' } }, ['Id', 'Name']),
      (a) => ({
        Id: a.Id,
        Name: `${a.Name}!`,
      }),
    );
    expect(updated.numberRecordsSucceeded).toBe(3);
    const one = await Account.findOne({ Name: 'Seed sobj 1!' }, ['Id', 'Name']);
    expect(one?.Name).toBe('Seed sobj 1!');
    const destroyed = await Account.destroyBulk(Account.find({ Name: { $like: 'Seed sobj %' } }));
    expect(destroyed.numberRecordsSucceeded).toBe(3);
    expect(named('Seed sobj')).toHaveLength(0);
  });

  it('withBulk refuses to shadow a destroy or update the find() result already has (a stream’s teardown)', () => {
    const { conn } = org();
    const fake = {
      type: 'Account',
      connection: conn,
      update: async () => [],
      destroy: async () => [],
      find: () => RecordStream.from([{ Id: '001000000000001AAA' }]),
    };
    expect(() => withBulk(fake).find()).toThrow(/already has a "destroy" member/);
    for (const notAnSObject of [null, {}, { type: 'Account' }, 'Account']) {
      expect(() => withBulk(notAnSObject as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/needs an sObject/),
        }),
      );
    }
  });

  it('a mapper that drops the Id, or is not a function, is a typed error', async () => {
    const { conn } = org();
    seed('NoId', 2);
    const Account = sobject(conn, 'Account');
    await expect(
      updateRecords(Account, find(conn, 'Account', { Name: { $like: 'NoId %' } }, ['Id', 'Name']), (r) => ({
        Name: String(r.Name),
      })),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => updateRecords(Account, [], undefined as never)).toThrow(/mapper/);
  });

  it('a failing query rejects with its error; nothing is written', async () => {
    const { conn, emu } = org();
    const from = emu.requests.length;
    await expect(
      updateRecords(sobject(conn, 'Account'), query(conn, 'SELECT Id FROM NoSuchObject__c'), (r) => r),
    ).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(writesSince(from)).toEqual({ collections: 0, bulkJobs: 0 });
  });

  it('an abort signal stops the write and rejects with its reason', async () => {
    const { conn } = org();
    seed('Abort', 3);
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(
      destroyRecords(sobject(conn, 'Account'), find(conn, 'Account', { Name: { $like: 'Abort %' } }), {
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(named('Abort')).toHaveLength(3);
  });
});
