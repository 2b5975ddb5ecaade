import { describe, expect, it } from 'vitest';
import { bulkSettings } from '../src/index.js';
import { useEmulator } from './helpers.js';

const emulator = useEmulator();
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

async function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
  session?: string | null,
) {
  const emu = emulator();
  const token = session === undefined ? emu.issueToken().accessToken : session;
  const res = await fetch(`${emu.url}/services/async/64.0/${path}`, {
    method,
    headers: { ...(token ? { 'x-sfdc-session': token } : {}), 'content-type': 'application/xml', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, text: await res.text() };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function waitBatch(jobId: string, batchId: string) {
  for (let i = 0; i < 200; i++) {
    const info = await call('GET', `job/${jobId}/batch/${batchId}`);
    const state = tag(info.text, 'state');
    if (state !== 'Queued' && state !== 'InProgress') return info.text;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

describe('Bulk 1.0 over HTTP', () => {
  it('refuses a missing session with HTTP 400 and the asyncapi InvalidSessionId error, as Salesforce does', async () => {
    const res = await call('POST', 'job', '<jobInfo/>', {}, null);
    expect(res.status).toBe(400);
    expect(tag(res.text, 'exceptionCode')).toBe('InvalidSessionId');
  });

  it('refuses an expired session with HTTP 400 InvalidSessionId (Salesforce never answers 401 here)', async () => {
    const emu = emulator();
    const token = emu.issueToken().accessToken;
    emu.faults.expireToken(token);
    const res = await call('GET', 'job/750000000000000AAA', undefined, {}, token);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<exceptionCode>InvalidSessionId</exceptionCode>');
    expect(tag(res.text, 'exceptionMessage')).toBeTruthy();
  });

  it('runs a CSV job: results in input order', async () => {
    const job = await call(
      'POST',
      'job',
      `<?xml version="1.0"?><jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`,
    );
    expect(job.status).toBe(201);
    expect(job.text).toContain(`xmlns="${NS}"`);
    const jobId = tag(job.text, 'id')!;
    const batch = await call('POST', `job/${jobId}/batch`, 'Name,Industry\nFirst,\n,Energy\nThird,\n', {
      'content-type': 'text/csv',
    });
    expect(tag(batch.text, 'state')).toBe('Queued');
    const batchId = tag(batch.text, 'id')!;
    expect(tag(await waitBatch(jobId, batchId), 'state')).toBe('Completed');
    const result = await call('GET', `job/${jobId}/batch/${batchId}/result`);
    const lines = result.text.trim().split('\n');
    expect(lines[0]).toBe('"Id","Success","Created","Error"');
    expect(lines[1]).toMatch(/^"001\w{15}","true","true",""$/);
    expect(lines[2]).toBe(
      '"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"',
    );
    expect(lines).toHaveLength(4);
    const closed = await call(
      'POST',
      `job/${jobId}`,
      `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`,
    );
    expect(tag(closed.text, 'state')).toBe('Closed');
  });

  it('takes XML batches and answers XML results', async () => {
    const job = await call(
      'POST',
      'job',
      `<jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>XML</contentType></jobInfo>`,
    );
    const jobId = tag(job.text, 'id')!;
    const batch = await call(
      'POST',
      `job/${jobId}/batch`,
      `<sObjects xmlns="${NS}"><sObject><Name>Xml One</Name></sObject></sObjects>`,
    );
    const batchId = tag(batch.text, 'id')!;
    await waitBatch(jobId, batchId);
    const result = await call('GET', `job/${jobId}/batch/${batchId}/result`);
    expect(result.text).toContain('<success>true</success><created>true</created>');
  });

  it('query with PK chunking: the first batch NotProcessed, chunk batches with result ids', async () => {
    const emu = emulator();
    for (let i = 0; i < 5; i++) emu.store.insert('Contact', { LastName: `Chunk${i}` });
    const job = await call(
      'POST',
      'job',
      `<jobInfo xmlns="${NS}"><operation>query</operation><object>Contact</object><contentType>CSV</contentType></jobInfo>`,
      {
        'sforce-enable-pkchunking': 'chunkSize=2',
      },
    );
    const jobId = tag(job.text, 'id')!;
    await call(
      'POST',
      `job/${jobId}/batch`,
      "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Chunk%'",
      { 'content-type': 'text/csv' },
    );
    await new Promise((r) => setTimeout(r, 50));
    const list = await call('GET', `job/${jobId}/batch`);
    const states = [...list.text.matchAll(/<state>([^<]*)<\/state>/g)].map((m) => m[1]);
    expect(states[0]).toBe('NotProcessed');
    const ids = [...list.text.matchAll(/<batchInfo><id>([^<]*)<\/id>/g)].map((m) => m[1]!).slice(1);
    let names: string[] = [];
    for (const id of ids) {
      await waitBatch(jobId, id);
      const results = await call('GET', `job/${jobId}/batch/${id}/result`);
      for (const rid of [...results.text.matchAll(/<result>([^<]*)<\/result>/g)].map((m) => m[1])) {
        const csv = await call('GET', `job/${jobId}/batch/${id}/result/${rid}`);
        names = names.concat(
          csv.text
            .trim()
            .split('\n')
            .slice(1)
            .map((l) => l.split(',')[1]!),
        );
      }
    }
    expect(names.sort()).toEqual(['"Chunk0"', '"Chunk1"', '"Chunk2"', '"Chunk3"', '"Chunk4"']);
  });

  describe('character limits', () => {
    /** One CSV batch of an insert job, waited for: its state, stateMessage, and the job's id. */
    async function csvBatch(csv: string) {
      const job = await call(
        'POST',
        'job',
        `<jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`,
      );
      const jobId = tag(job.text, 'id')!;
      const batch = await call('POST', `job/${jobId}/batch`, csv, {
        'content-type': 'text/csv; charset=UTF-8',
      });
      const info = await waitBatch(jobId, tag(batch.text, 'id')!);
      return { state: tag(info, 'state'), stateMessage: tag(info, 'stateMessage'), jobId };
    }

    /** Runs `fn` with some Bulk settings changed, then puts them back. */
    async function withSettings<T>(changes: Partial<ReturnType<typeof bulkSettings>>, fn: () => Promise<T>) {
      const settings = bulkSettings(emulator().store);
      const saved = { ...settings };
      Object.assign(settings, changes);
      try {
        return await fn();
      } finally {
        Object.assign(settings, saved);
      }
    }

    it('defaults to Salesforce limits: 10,000,000 characters a batch, 32,000 a field, 400,000 and 5,000 fields a record', () => {
      const settings = bulkSettings(emulator().store);
      expect([
        settings.batchCharLimit,
        settings.fieldCharLimit,
        settings.recordCharLimit,
        settings.recordFieldLimit,
      ]).toEqual([10_000_000, 32_000, 400_000, 5_000]);
    });

    it('fails a batch over the character limit, counting characters, not bytes', async () => {
      await withSettings({ batchCharLimit: 20 }, async () => {
        // 15 characters in 24 bytes: within 20 characters although over 20 bytes.
        const within = await csvBatch(`Name\n${'é'.repeat(9)}\n`);
        expect(within.state).toBe('Completed');
        // '日本' is 2 characters in 6 bytes: 21 characters.
        const over = await csvBatch(`Name\n${'日本'.repeat(7)}a\n`);
        expect(over.state).toBe('Failed');
        expect(over.stateMessage).toBe('InvalidBatch : Batch exceeds the max character limit of 20');
        // A character outside the BMP is two UTF-16 code units, as Salesforce counts: 22, then 20.
        const astral = await csvBatch(`Name\n${'😀'.repeat(8)}\n`);
        expect(astral.state).toBe('Failed');
        const exact = await csvBatch(`Name\n${'😀'.repeat(6)}12\n`);
        expect(exact.state).toBe('Completed');
      });
    });

    it('fails the whole batch when a field holds more than 32,000 characters', async () => {
      const emu = emulator();
      const long = 'x'.repeat(32_001);
      const failed = await csvBatch(`Name,Description\nBefore long field,\nLong,${long}\n`);
      expect(failed.state).toBe('Failed');
      expect(failed.stateMessage).toBe('InvalidBatch : Field value exceeds max length of 32000 characters');
      expect([...emu.store.rows('Account')].some((r) => r.Name === 'Before long field')).toBe(false);
      // Exactly 32,000 characters (quoted, with escaped quotes) is a field Salesforce takes.
      const value = `"${'abc""'.repeat(8_000)}"`;
      const ok = await csvBatch(`Name,Description\nAt the limit,${value}\n`);
      expect(ok.state).toBe('Completed');
      const row = [...emu.store.rows('Account')].find((r) => r.Name === 'At the limit');
      expect(String(row?.Description)).toHaveLength(32_000);
    });

    it('fails a batch with a record over the configured field, record-character or field-count limits', async () => {
      await withSettings({ fieldCharLimit: 5, recordCharLimit: 12, recordFieldLimit: 3 }, async () => {
        expect((await csvBatch('Name,Site\nfive5,seven77\n')).stateMessage).toBe(
          'InvalidBatch : Field value exceeds max length of 5 characters',
        );
        expect((await csvBatch('Name,Site,Phone\nfive5,four,four\n')).stateMessage).toBe(
          'InvalidBatch : Record exceeds max length of 12 characters',
        );
        expect((await csvBatch('Name,Site,Phone,Fax\na,b,c,d\n')).stateMessage).toBe(
          'InvalidBatch : Record exceeds the max of 3 fields',
        );
        expect((await csvBatch('Name,Site,Phone\nfive5,four,fou\n')).state).toBe('Completed');
      });
    });
  });
});
