// Bulk 2.0 upsert by an external id, over HTTP: each row finds its match through an index kept
// for the job (not a scan of every stored row per row), with the same answers as ever: new
// values inserted, existing ones updated, a value matching two stored rows refused with
// DUPLICATE_EXTERNAL_ID, and a value twice within one chunk of 200 refused with Salesforce's
// `DUPLICATE_VALUE: Duplicate external id specified` (the same value in different chunks: the
// later row updates the record the earlier one created).
import { describe, expect, it, vi } from 'vitest';
import { ExternalIdIndex } from '../src/bulk/external-id-index.js';
import { bulkSettings } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator({
  customObjects: [
    {
      name: 'Part__c',
      fields: [
        { name: 'Code__c', type: 'string', externalId: true },
        { name: 'Qty__c', type: 'double' },
      ],
    },
  ],
});

async function upsert(
  csv: string,
  whileRunning?: (info: Record<string, unknown>) => boolean,
  externalIdFieldName = 'Code__c',
) {
  const emu = emulator();
  const token = emu.issueToken().accessToken;
  const job = await api(emu, 'POST', 'jobs/ingest', {
    token,
    body: { object: 'Part__c', operation: 'upsert', externalIdFieldName },
  });
  const id = job.body.id as string;
  const put = await fetch(`${emu.url}/services/data/v64.0/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  expect(put.status).toBe(201);
  await api(emu, 'PATCH', `jobs/ingest/${id}`, { token, body: { state: 'UploadComplete' } });
  let info: Record<string, unknown> = {};
  for (let i = 0; i < 1000; i++) {
    info = (await api(emu, 'GET', `jobs/ingest/${id}`, { token })).body;
    if (whileRunning?.(info) === true) whileRunning = undefined;
    if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ok = (await api(emu, 'GET', `jobs/ingest/${id}/successfulResults`, { token })).text;
  const failed = (await api(emu, 'GET', `jobs/ingest/${id}/failedResults`, { token })).text;
  return { emu, info, ok: ok.trim().split('\n').slice(1), failed: failed.trim().split('\n').slice(1) };
}

function byCode(emu: ReturnType<typeof emulator>): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const row of emu.store.rows('Part__c')) {
    const code = String(row.Code__c);
    out.set(code, [...(out.get(code) ?? []), row]);
  }
  return out;
}

describe('Bulk 2.0 upsert by external id', () => {
  it('inserts new values, updates existing ones (case-insensitively), across ticks and chunks', async () => {
    const emu = emulator();
    // Small ticks: the job's index must stay right between ticks, and see rows it wrote itself.
    bulkSettings(emu.store).rowsPerTick = 7;
    const existing = emu.store.insert('Part__c', { Name: 'old', Code__c: 'E-1', Qty__c: 1 });
    const rows = ['Name,Code__c,Qty__c', 'updated,e-1,10'];
    for (let i = 0; i < 450; i++) rows.push(`new ${i},N-${i},${i}`);
    // N-5 again, in a later chunk: it updates the row created by the earlier one.
    rows.push('again,N-5,555');
    // Linear: the stored rows are read once for the job's index, not once per upserted row.
    const reads = vi.spyOn(emu.store, 'rows');
    const { info, ok, failed } = await upsert(`${rows.join('\n')}\n`);
    expect(reads.mock.calls.filter(([name]) => name === 'Part__c').length).toBeLessThanOrEqual(1);
    reads.mockRestore();
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 452, numberRecordsFailed: 0 });
    expect(failed).toEqual([]);
    expect(ok).toHaveLength(452);
    expect(ok).toContain(`${existing},false,updated,e-1,10`);
    const codes = byCode(emu);
    // The row's own value is written (e-1), on the one record that matched.
    expect(codes.get('E-1')).toBeUndefined();
    expect(codes.get('e-1')?.map((r) => [r.Id, r.Name, r.Qty__c])).toEqual([[existing, 'updated', 10]]);
    expect(codes.get('N-5')).toHaveLength(1);
    expect(codes.get('N-5')?.[0]).toMatchObject({ Name: 'again', Qty__c: 555 });
    expect(ok.filter((line) => line.includes(',true,'))).toHaveLength(450);
    expect(codes.get('N-449')).toHaveLength(1);
  });

  it('refuses a value matching two stored rows (DUPLICATE_EXTERNAL_ID) and a value twice in one chunk (DUPLICATE_VALUE)', async () => {
    const emu = emulator();
    bulkSettings(emu.store).rowsPerTick = 3;
    const a = emu.store.insert('Part__c', { Name: 'twin a', Code__c: 'TWIN' });
    const b = emu.store.insert('Part__c', { Name: 'twin b', Code__c: 'twin' });
    // TWIN and twin are one value (matched case-insensitively): two stored rows match it.
    const { info, ok, failed } = await upsert(
      'Name,Code__c\ntwin row,Twin\nfirst,D-1\nsolo,S-1\nsecond,d-1\n',
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 4, numberRecordsFailed: 3 });
    expect(failed).toContain(
      `,"DUPLICATE_EXTERNAL_ID:Code__c: more than one record found for external id field: [${a}, ${b}]:Code__c --",twin row,Twin`,
    );
    expect(failed).toContain(',DUPLICATE_VALUE:Duplicate external id specified: D-1:Code__c --,first,D-1');
    expect(failed).toContain(',DUPLICATE_VALUE:Duplicate external id specified: d-1:Code__c --,second,d-1');
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatch(/,true,solo,S-1$/);
    expect(byCode(emu).get('D-1')).toBeUndefined();
  });

  it('sees rows written by others between its ticks (the index follows the store)', async () => {
    const emu = emulator();
    const settings = bulkSettings(emu.store);
    settings.rowsPerTick = 1;
    settings.tickMs = 5;
    const rows = ['Name,Code__c'];
    for (let i = 0; i < 40; i++) rows.push(`job ${i},L-${i}`);
    rows.push('job late,LATE');
    // Once the job has processed a row (its index built), another client creates LATE: the
    // job's last row must update it rather than create a second LATE.
    let late: string | undefined;
    const { info } = await upsert(`${rows.join('\n')}\n`, (current) => {
      if (Number(current.numberRecordsProcessed) < 1) return false;
      expect(current.state).toBe('InProgress');
      late = emu.store.insert('Part__c', { Name: 'by rest', Code__c: 'LATE' });
      return true;
    });
    settings.tickMs = 0;
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
    expect(
      byCode(emu)
        .get('LATE')
        ?.map((r) => [r.Id, r.Name]),
    ).toEqual([[late, 'job late']]);
  });

  it('uses the index for an externalIdFieldName spelled in another case (code__c), with the same answers', async () => {
    const emu = emulator();
    bulkSettings(emu.store).rowsPerTick = 7;
    const existing = emu.store.insert('Part__c', { Name: 'lower old', Code__c: 'LC-1', Qty__c: 1 });
    const rows = ['Name,Code__c,Qty__c', 'lower updated,lc-1,2'];
    for (let i = 0; i < 30; i++) rows.push(`lower ${i},LN-${i},${i}`);
    // Field names are case-insensitive: the job's index must serve `code__c` as `Code__c`, so
    // the stored rows are read once (for the index), not once per upserted row.
    const reads = vi.spyOn(emu.store, 'rows');
    const lookups = vi.spyOn(ExternalIdIndex.prototype, 'ids');
    const { info, ok, failed } = await upsert(`${rows.join('\n')}\n`, undefined, 'code__c');
    expect(reads.mock.calls.filter(([name]) => name === 'Part__c').length).toBeLessThanOrEqual(1);
    expect(lookups).toHaveBeenCalledTimes(31);
    reads.mockRestore();
    lookups.mockRestore();
    expect(info).toMatchObject({
      state: 'JobComplete',
      externalIdFieldName: 'Code__c',
      numberRecordsProcessed: 31,
      numberRecordsFailed: 0,
    });
    expect(failed).toEqual([]);
    expect(ok).toContain(`${existing},false,lower updated,lc-1,2`);
    const codes = byCode(emu);
    expect(codes.get('lc-1')?.map((r) => [r.Id, r.Qty__c])).toEqual([[existing, 2]]);
    expect(codes.get('LN-29')).toHaveLength(1);
  });
});
