// Bulk 1.0 upsert by an external id, over HTTP: each row finds its match through an index kept
// while the job's batches run (not a scan of every stored row per row), with the same answers
// as ever: new values inserted, existing ones updated (matched case-insensitively), a value
// matching two stored rows refused with DUPLICATE_EXTERNAL_ID, a value twice in one batch
// updating the record its first row created, and rows written by others between ticks seen.
import { describe, expect, it, vi } from 'vitest';
import { ExternalIdIndex } from '../src/bulk/external-id-index.js';
import { bulkSettings } from '../src/index.js';
import { useEmulator } from './helpers.js';

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
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function call(token: string, method: string, path: string, body?: string, type = 'application/xml') {
  const emu = emulator();
  const res = await fetch(`${emu.url}/services/async/64.0/${path}`, {
    method,
    headers: { 'x-sfdc-session': token, 'content-type': type },
    ...(body === undefined ? {} : { body }),
  });
  return res.text();
}

/** Runs upsert batches (CSV texts) in one job; `whileRunning` is called on each poll until true. */
async function upsert(
  batches: string[],
  whileRunning?: (info: string) => boolean,
  externalIdFieldName = 'Code__c',
) {
  const emu = emulator();
  const token = emu.issueToken().accessToken;
  const job = await call(
    token,
    'POST',
    'job',
    `<?xml version="1.0"?><jobInfo xmlns="${NS}"><operation>upsert</operation><object>Part__c</object>` +
      `<externalIdFieldName>${externalIdFieldName}</externalIdFieldName><contentType>CSV</contentType></jobInfo>`,
  );
  const jobId = tag(job, 'id') as string;
  const ids: string[] = [];
  for (const csv of batches)
    ids.push(tag(await call(token, 'POST', `job/${jobId}/batch`, csv, 'text/csv'), 'id') as string);
  await call(token, 'POST', `job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
  const results: string[][] = [];
  for (const batchId of ids) {
    let info = '';
    for (let i = 0; i < 1000; i++) {
      info = await call(token, 'GET', `job/${jobId}/batch/${batchId}`);
      if (whileRunning?.(info) === true) whileRunning = undefined;
      if (!['Queued', 'InProgress'].includes(String(tag(info, 'state')))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(tag(info, 'state')).toBe('Completed');
    const text = await call(token, 'GET', `job/${jobId}/batch/${batchId}/result`);
    results.push(text.trim().split('\n').slice(1));
  }
  return results;
}

function byCode(): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const row of emulator().store.rows('Part__c')) {
    const code = String(row.Code__c);
    out.set(code, [...(out.get(code) ?? []), row]);
  }
  return out;
}

describe('Bulk 1.0 upsert by external id', () => {
  it('inserts new values and updates existing ones, reading the stored rows once, not once per row', async () => {
    const emu = emulator();
    // Small ticks: the index must stay right between ticks, and see rows the batch wrote itself.
    bulkSettings(emu.store).rowsPerTick = 7;
    const existing = emu.store.insert('Part__c', { Name: 'old', Code__c: 'E-1', Qty__c: 1 });
    const rows = ['Name,Code__c,Qty__c', 'updated,e-1,10'];
    for (let i = 0; i < 300; i++) rows.push(`new ${i},N-${i},${i}`);
    // N-5 again in the same batch: it updates the record the earlier row created.
    rows.push('again,N-5,555');
    const reads = vi.spyOn(emu.store, 'rows');
    const [results] = await upsert([`${rows.join('\n')}\n`]);
    expect(reads.mock.calls.filter(([name]) => name === 'Part__c').length).toBeLessThanOrEqual(1);
    reads.mockRestore();
    expect(results).toHaveLength(302);
    expect(results?.[0]).toBe(`"${existing}","true","false",""`);
    expect(results?.filter((line) => line.endsWith('"true","true",""'))).toHaveLength(300);
    const codes = byCode();
    expect(codes.get('E-1')).toBeUndefined();
    expect(codes.get('e-1')?.map((r) => [r.Id, r.Name, r.Qty__c])).toEqual([[existing, 'updated', 10]]);
    expect(codes.get('N-5')).toHaveLength(1);
    expect(codes.get('N-5')?.[0]).toMatchObject({ Name: 'again', Qty__c: 555 });
    // The last row updated what row 7 created: its result names that id, not created.
    expect(results?.[301]).toBe(`"${String(codes.get('N-5')?.[0]?.Id)}","true","false",""`);
  });

  it('refuses a value that matches two stored rows (DUPLICATE_EXTERNAL_ID), the other rows go on', async () => {
    const emu = emulator();
    bulkSettings(emu.store).rowsPerTick = 2;
    const a = emu.store.insert('Part__c', { Name: 'twin a', Code__c: 'TWIN' });
    const b = emu.store.insert('Part__c', { Name: 'twin b', Code__c: 'twin' });
    const [results] = await upsert(['Name,Code__c\ntwin row,Twin\nsolo,S-1\n']);
    expect(results?.[0]).toBe(
      `"","false","false","DUPLICATE_EXTERNAL_ID:Code__c: more than one record found for external id field: [${a}, ${b}]:Code__c --"`,
    );
    expect(results?.[1]).toMatch(/^"a\w{17}","true","true",""$/);
  });

  it('two batches of one job and rows written by others between ticks share one current index', async () => {
    const emu = emulator();
    const settings = bulkSettings(emu.store);
    settings.rowsPerTick = 1;
    settings.tickMs = 5;
    const first = ['Name,Code__c'];
    for (let i = 0; i < 30; i++) first.push(`one ${i},M-${i}`);
    first.push('one late,LATE');
    // Once a row is processed (the index built), another client creates LATE: the batch's last
    // row must update it rather than create a second LATE. The second batch updates M-0.
    let late: string | undefined;
    const closes = vi.spyOn(ExternalIdIndex.prototype, 'close');
    const results = await upsert([`${first.join('\n')}\n`, 'Name,Code__c\ntwo,m-0\n'], (info) => {
      if (Number(tag(info, 'numberRecordsProcessed')) < 1) return false;
      late = emu.store.insert('Part__c', { Name: 'by rest', Code__c: 'LATE' });
      return true;
    });
    settings.tickMs = 0;
    // One index for the two batches running together, closed once the last of them is done.
    expect(closes).toHaveBeenCalledTimes(1);
    closes.mockRestore();
    expect(results[0]?.[30]).toBe(`"${late}","true","false",""`);
    expect(
      byCode()
        .get('LATE')
        ?.map((r) => [r.Id, r.Name]),
    ).toEqual([[late, 'one late']]);
    expect(results[1]?.[0]).toMatch(/^"a\w{17}","true","false",""$/);
    expect(
      byCode()
        .get('m-0')
        ?.map((r) => r.Name),
    ).toEqual(['two']);
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
    const [results] = await upsert([`${rows.join('\n')}\n`], undefined, 'code__c');
    expect(reads.mock.calls.filter(([name]) => name === 'Part__c').length).toBeLessThanOrEqual(1);
    expect(lookups).toHaveBeenCalledTimes(31);
    reads.mockRestore();
    lookups.mockRestore();
    expect(results).toHaveLength(31);
    expect(results?.[0]).toBe(`"${existing}","true","false",""`);
    expect(results?.filter((line) => line.endsWith('"true","true",""'))).toHaveLength(30);
    const codes = byCode();
    expect(codes.get('lc-1')?.map((r) => [r.Id, r.Qty__c])).toEqual([[existing, 2]]);
    expect(codes.get('LN-29')).toHaveLength(1);
  });

  it('an index made with the field name in another case keys on the canonical field', () => {
    const emu = emulator();
    const id = emu.store.insert('Part__c', { Name: 'direct', Code__c: 'DIRECT-1' });
    // What applyRow compares with the canonical name (`Code__c`): the index must hold it, and
    // find the stored row, whatever case its maker spelled the field in.
    const index = new ExternalIdIndex(emu.store, 'Part__c', 'code__c');
    try {
      expect(index.field).toBe('Code__c');
      expect(index.ids('direct-1')).toEqual([id]);
      const later = emu.store.insert('Part__c', { Name: 'later', Code__c: 'DIRECT-2' });
      expect(index.ids('DIRECT-2')).toEqual([later]);
    } finally {
      index.close();
    }
  });
});
