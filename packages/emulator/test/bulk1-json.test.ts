// Bulk API 1.0 JSON jobs, as simple-salesforce drives them: job and batch control in JSON, JSON
// batches, JSON results and JSON errors.
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { useEmulator } from './helpers.js';

async function bulk(emu: Emulator, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${emu.url}/services/async/64.0/${path}`, {
    method,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'x-sfdc-session': token ?? emu.issueToken().accessToken,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : null,
  };
}

async function completed(emu: Emulator, jobId: string, batchId: string) {
  for (;;) {
    const info = await bulk(emu, 'GET', `job/${jobId}/batch/${batchId}`);
    if (info.body.state === 'Completed' || info.body.state === 'Failed') return info.body;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Bulk API 1.0 JSON jobs', () => {
  const emu = useEmulator();

  it('creates a JSON job, loads a JSON batch and answers results in input order, in JSON', async () => {
    const job = await bulk(emu(), 'POST', 'job', {
      operation: 'insert',
      object: 'Account',
      contentType: 'JSON',
    });
    expect(job.status).toBe(201);
    expect(job.type).toMatch(/json/);
    expect(job.body).toMatchObject({
      id: expect.stringMatching(/^750/),
      object: 'Account',
      operation: 'insert',
      state: 'Open',
      contentType: 'JSON',
      apiVersion: 64,
      numberBatchesTotal: 0,
    });
    const batch = await bulk(emu(), 'POST', `job/${job.body.id}/batch`, [
      { Name: 'Json One', NumberOfEmployees: 5 },
      { NumberOfEmployees: 7 },
      { Name: 'Json Three', Phone: null },
    ]);
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({
      id: expect.stringMatching(/^751/),
      jobId: job.body.id,
      state: 'Queued',
    });
    const info = await completed(emu(), job.body.id, batch.body.id);
    expect(info).toMatchObject({ state: 'Completed', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    const results = await bulk(emu(), 'GET', `job/${job.body.id}/batch/${batch.body.id}/result`);
    expect(results.body).toEqual([
      { success: true, created: true, id: expect.stringMatching(/^001/), errors: [] },
      {
        success: false,
        created: false,
        id: null,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [Name]',
            fields: ['Name'],
          },
        ],
      },
      { success: true, created: true, id: expect.stringMatching(/^001/), errors: [] },
    ]);
    const list = await bulk(emu(), 'GET', `job/${job.body.id}/batch`);
    expect(list.body.batchInfo).toEqual([expect.objectContaining({ id: batch.body.id, state: 'Completed' })]);
    const closed = await bulk(emu(), 'POST', `job/${job.body.id}`, { state: 'Closed' });
    expect(closed.body).toMatchObject({
      state: 'Closed',
      numberBatchesCompleted: 1,
      numberRecordsProcessed: 3,
    });
  });

  it('runs a JSON query job: result ids, then records with their attributes', async () => {
    const job = await bulk(emu(), 'POST', 'job', {
      operation: 'query',
      object: 'Account',
      contentType: 'JSON',
    });
    const res = await fetch(`${emu().url}/services/async/64.0/job/${job.body.id}/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sfdc-session': emu().issueToken().accessToken },
      body: "SELECT Id, Name FROM Account WHERE Name LIKE 'Json%' ORDER BY Name",
    });
    const batch = JSON.parse(await res.text());
    await completed(emu(), job.body.id, batch.id);
    const ids = await bulk(emu(), 'GET', `job/${job.body.id}/batch/${batch.id}/result`);
    expect(ids.body).toEqual([expect.any(String)]);
    const records = await bulk(emu(), 'GET', `job/${job.body.id}/batch/${batch.id}/result/${ids.body[0]}`);
    expect(records.body).toEqual([
      {
        attributes: { type: 'Account', url: expect.stringMatching(/\/sobjects\/Account\/001/) },
        Id: expect.any(String),
        Name: 'Json One',
      },
      {
        attributes: { type: 'Account', url: expect.any(String) },
        Id: expect.any(String),
        Name: 'Json Three',
      },
    ]);
  });

  it('answers errors in JSON: a bad session (400 InvalidSessionId) and an unparsable batch', async () => {
    const denied = await bulk(
      emu(),
      'POST',
      'job',
      { operation: 'insert', object: 'Account', contentType: 'JSON' },
      'nope',
    );
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({ exceptionCode: 'InvalidSessionId', exceptionMessage: expect.any(String) });
    const job = await bulk(emu(), 'POST', 'job', {
      operation: 'insert',
      object: 'Account',
      contentType: 'JSON',
    });
    const batch = await bulk(emu(), 'POST', `job/${job.body.id}/batch`, { not: 'an array' });
    expect(batch.body).toMatchObject({ state: 'Failed', stateMessage: expect.stringContaining('array') });
  });
});
