import { describe, expect, it } from 'vitest';
import { bulkSettings } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator();

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

async function put(path: string, token: string, body: string) {
  const emu = emulator();
  return fetch(`${emu.url}/services/data/v64.0/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body,
  });
}

describe('Bulk 2.0 ingest over HTTP', () => {
  it('moves Open → UploadComplete → InProgress → JobComplete with per-row results', async () => {
    const emu = emulator();
    const token = emu.issueToken().accessToken;
    const settings = bulkSettings(emu.store);
    settings.rowsPerTick = 1;
    settings.tickMs = 5;
    const job = await api(emu, 'POST', 'jobs/ingest', {
      token,
      body: { object: 'Account', operation: 'insert' },
    });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({
      state: 'Open',
      object: 'Account',
      contentType: 'CSV',
      jobType: 'V2Ingest',
    });
    const id = job.body.id as string;
    expect(
      (await put(`jobs/ingest/${id}/batches`, token, 'Name,Industry\nA1,Energy\n,Energy\nA3,\n')).status,
    ).toBe(201);
    expect((await put(`jobs/ingest/${id}/batches`, token, 'Name\nAgain\n')).status).toBe(409);
    // Hold processing after its first row (the job is InProgress by then), so the state can be
    // seen without racing the emulator's timers.
    const stopAfterFirstRow = emu.store.onChange(() => {
      settings.paused = true;
      stopAfterFirstRow();
    });
    const closed = await api(emu, 'PATCH', `jobs/ingest/${id}`, { token, body: { state: 'UploadComplete' } });
    expect(closed.body.state).toBe('UploadComplete');
    await until(async () => settings.paused);
    expect((await api(emu, 'GET', `jobs/ingest/${id}`, { token })).body.state).toBe('InProgress');
    settings.paused = false;
    await until(
      async () => (await api(emu, 'GET', `jobs/ingest/${id}`, { token })).body.state === 'JobComplete',
    );
    settings.rowsPerTick = 2000;
    settings.tickMs = 0;
    const info = await api(emu, 'GET', `jobs/ingest/${id}`, { token });
    expect(info.body).toMatchObject({ numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    const ok = await api(emu, 'GET', `jobs/ingest/${id}/successfulResults`, { token });
    expect(ok.text.split('\n')[0]).toBe('sf__Id,sf__Created,Name,Industry');
    expect(ok.text).toMatch(/^001\w{15},true,A1,Energy$/m);
    const failed = await api(emu, 'GET', `jobs/ingest/${id}/failedResults`, { token });
    expect(failed.text).toBe(
      'sf__Id,sf__Error,Name,Industry\n,REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --,,Energy\n',
    );
    expect((await api(emu, 'DELETE', `jobs/ingest/${id}`, { token })).status).toBe(204);
  });

  it('answers 413 above the upload limit, and lists unprocessed rows after an abort', async () => {
    const emu = emulator();
    const token = emu.issueToken().accessToken;
    const settings = bulkSettings(emu.store);
    settings.ingestUploadLimitBytes = 100;
    const job = await api(emu, 'POST', 'jobs/ingest', {
      token,
      body: { object: 'Account', operation: 'insert' },
    });
    const big = `Name\n${'x'.repeat(200)}\n`;
    const res = await put(`jobs/ingest/${job.body.id}/batches`, token, big);
    expect(res.status).toBe(413);
    settings.ingestUploadLimitBytes = 150 * 1024 * 1024;
    expect((await put(`jobs/ingest/${job.body.id}/batches`, token, 'Name\nU1\nU2\n')).status).toBe(201);
    const aborted = await api(emu, 'PATCH', `jobs/ingest/${job.body.id}`, {
      token,
      body: { state: 'Aborted' },
    });
    expect(aborted.body.state).toBe('Aborted');
    const rows = await api(emu, 'GET', `jobs/ingest/${job.body.id}/unprocessedrecords`, { token });
    expect(rows.text).toBe('Name\nU1\nU2\n');
  });
});

describe('Bulk 2.0 query over HTTP', () => {
  it('pages with Sforce-Locator and Sforce-NumberOfRecords, each page with its header row', async () => {
    const emu = emulator();
    const token = emu.issueToken().accessToken;
    for (let i = 0; i < 5; i++) emu.store.insert('Account', { Name: `Page ${i}`, Description: 'a, "b"' });
    const job = await api(emu, 'POST', 'jobs/query', {
      token,
      body: { operation: 'query', query: "SELECT Name, Description FROM Account WHERE Name LIKE 'Page %'" },
    });
    expect(job.body.state).toBe('UploadComplete');
    await until(
      async () =>
        (await api(emu, 'GET', `jobs/query/${job.body.id}`, { token })).body.state === 'JobComplete',
    );
    let locator = '';
    const pages: string[] = [];
    for (;;) {
      const res = await api(
        emu,
        'GET',
        `jobs/query/${job.body.id}/results?maxRecords=2${locator ? `&locator=${locator}` : ''}`,
        { token },
      );
      pages.push(res.text);
      const next = res.headers.get('sforce-locator') ?? 'null';
      expect(Number(res.headers.get('sforce-numberofrecords'))).toBe(next === 'null' ? 1 : 2);
      if (next === 'null') break;
      locator = next;
    }
    expect(pages).toHaveLength(3);
    for (const page of pages) expect(page.startsWith('Name,Description\n')).toBe(true);
    expect(pages[0]).toContain('Page 0,"a, ""b"""');
  });
});
