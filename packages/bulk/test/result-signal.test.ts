// CONVENTIONS.md rule 2 for the calls that were left positional or without options: a
// LoadResult's and a SwitchedResult's result readers, and node-salesforce's positional
// `batch.execute(input)`, `batch.poll(interval, timeout)` and `bulkload(op).execute(records)`,
// which now take a trailing `{ signal, timeoutMs }`. Over HTTP against the emulator: an aborted
// signal rejects with `signal.reason`, unchanged, and no further request is sent.
import { describe, expect, it } from 'vitest';
import { sobject } from '@sf/sobject';
import { bulkload, createBulk1, load, updateRecords } from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

const org = useOrg();

function aborted(): { signal: AbortSignal; reason: Error } {
  const reason = new Error('stop here');
  const controller = new AbortController();
  controller.abort(reason);
  return { signal: controller.signal, reason };
}

describe('{ signal } on result readers and the positional seed calls', () => {
  it('LoadResult readers take { signal }: an aborted one rejects with its reason and sends nothing', async () => {
    const { emu, conn } = org();
    const result = await load(conn, 'Account', 'insert', [{ Name: 'Sig 1' }, { Name: '' }], fast);
    const { signal, reason } = aborted();
    const before = emu.requests.length;
    expect(await thrown(() => result.successfulResults({ signal }).toArray())).toBe(reason);
    expect(await thrown(() => result.failedResults({ signal }).toArray())).toBe(reason);
    expect(await thrown(() => result.unprocessedRecords({ signal }).toArray())).toBe(reason);
    expect(emu.requests.length).toBe(before);
    // Without a signal they still read the results.
    expect((await result.successfulResults({ timeoutMs: 10_000 }).toArray()).length).toBe(1);
  });

  it('SwitchedResult readers take { signal } too (results held from sObject Collections)', async () => {
    const { conn } = org();
    const Account = sobject(conn, 'Account');
    const created = await Account.create({ Name: 'Sig 2' });
    const result = await updateRecords(Account, [{ Id: created.id }], (r) => ({ Id: r.Id, Name: 'Sig 2b' }));
    expect(result.api).toBe('rest');
    const { signal, reason } = aborted();
    expect(await thrown(() => result.successfulResults({ signal }).toArray())).toBe(reason);
    expect(await thrown(() => result.failedResults({ signal }).toArray())).toBe(reason);
    expect(await thrown(() => result.unprocessedRecords({ signal }).toArray())).toBe(reason);
    expect((await result.successfulResults({}).toArray()).length).toBe(1);
  });

  it('bulkload(op).execute(records, { signal }): an aborted signal rejects with its reason, creates no job', async () => {
    const { emu, conn } = org();
    const { signal, reason } = aborted();
    const before = emu.requests.length;
    expect(
      await thrown(() => bulkload(conn, 'Account', 'insert', fast).execute([{ Name: 'Sig 3' }], { signal })),
    ).toBe(reason);
    expect(emu.requests.length).toBe(before);
  });

  it('batch.execute(input, { signal }): an aborted signal rejects with its reason, sends no batch', async () => {
    const { emu, conn } = org();
    const job = createBulk1(conn, { pollIntervalMs: 10, pollTimeoutMs: 20_000 }).createJob(
      'Account',
      'insert',
    );
    await job.open();
    const { signal, reason } = aborted();
    const before = emu.requests.length;
    const batch = job.createBatch().execute([{ Name: 'Sig 4' }], { signal });
    expect(await thrown(() => batch)).toBe(reason);
    expect(emu.requests.length).toBe(before);
    await job.abort();
  });

  it('batch.poll(interval, timeout, { signal }): an aborted signal rejects with its reason, polls no more', async () => {
    const { emu, conn } = org();
    const job = createBulk1(conn, { pollIntervalMs: 10, pollTimeoutMs: 20_000 }).createJob(
      'Account',
      'insert',
    );
    const batch = job.createBatch();
    await batch.send('Name\nSig 5\n');
    const { signal, reason } = aborted();
    const before = emu.requests.length;
    batch.poll(10, 20_000, { signal });
    expect(await thrown(() => batch)).toBe(reason);
    expect(emu.requests.length).toBe(before);
    await job.abort();
  });
});
