// Bulk 2.0 query results over HTTP: parallel result pages (API 58.0+) and gzip downloads.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

const unzip = promisify(gunzip);
const emulator = useEmulator();
const ROWS = 23;

beforeAll(() => {
  const emu = emulator();
  for (let i = 0; i < ROWS; i++) {
    emu.store.insert('Account', { Name: `Pages ${String(i).padStart(2, '0')}`, Description: 'a, "b"' });
  }
});

async function completedJob(version = '64.0', soql = "SELECT Name FROM Account WHERE Name LIKE 'Pages %'") {
  const emu = emulator();
  const token = emu.issueToken().accessToken;
  const path = (p: string) => `/services/data/v${version}/${p}`;
  const job = await api(emu, 'POST', path('jobs/query'), {
    token,
    body: { operation: 'query', query: soql },
  });
  const id = job.body.id as string;
  for (let i = 0; i < 500; i++) {
    if ((await api(emu, 'GET', path(`jobs/query/${id}`), { token })).body.state === 'JobComplete') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { emu, token, id, path };
}

describe('GET /jobs/query/{id}/resultPages', () => {
  it('lists up to five results?locator= URLs a set, then the next set, until done; every row once, in order', async () => {
    const { emu, token, id, path } = await completedJob();
    let next: string | null = path(`jobs/query/${id}/resultPages?maxRecords=2`);
    const sets: { resultPages: { resultUrl: string }[]; nextRecordsUrl: string | null; done: boolean }[] = [];
    while (next) {
      const res = await api(emu, 'GET', next, { token });
      expect(res.status).toBe(200);
      sets.push(res.body);
      next = res.body.done ? null : res.body.nextRecordsUrl;
    }
    // 23 rows in pages of 2: 12 pages, in sets of 5, 5 and 2.
    expect(sets.map((s) => s.resultPages.length)).toEqual([5, 5, 2]);
    expect(sets.map((s) => s.done)).toEqual([false, false, true]);
    expect(sets[2]?.nextRecordsUrl).toBeNull();
    const names: string[] = [];
    for (const set of sets) {
      for (const page of set.resultPages) {
        expect(page.resultUrl).toMatch(
          new RegExp(`^/services/data/v64\\.0/jobs/query/${id}/results\\?locator=[\\w-]+&maxRecords=2$`),
        );
        // The pages can be fetched in any order, so fetch them all at once.
      }
      const pages = await Promise.all(set.resultPages.map((p) => api(emu, 'GET', p.resultUrl, { token })));
      for (const page of pages) {
        const [header, ...rows] = page.text.trimEnd().split('\n');
        expect(header).toBe('Name');
        expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(rows.length);
        names.push(...rows);
      }
    }
    expect(names).toEqual(Array.from({ length: ROWS }, (_, i) => `Pages ${String(i).padStart(2, '0')}`));
  });

  it('answers one result URL and done for a small result, 404 below API 58.0, 409 for another version', async () => {
    const small = await completedJob('64.0', "SELECT Name FROM Account WHERE Name = 'Pages 00'");
    const one = await api(small.emu, 'GET', small.path(`jobs/query/${small.id}/resultPages`), {
      token: small.token,
    });
    expect(one.body).toEqual({
      resultPages: [{ resultUrl: expect.stringMatching(/\/results\?locator=\w+$/) }],
      nextRecordsUrl: null,
      done: true,
    });
    const page = await api(small.emu, 'GET', one.body.resultPages[0].resultUrl, { token: small.token });
    expect(page.text).toBe('Name\nPages 00\n');

    const old = await completedJob('57.0');
    const missing = await api(old.emu, 'GET', old.path(`jobs/query/${old.id}/resultPages`), {
      token: old.token,
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);

    const other = await api(small.emu, 'GET', `/services/data/v60.0/jobs/query/${small.id}/resultPages`, {
      token: small.token,
    });
    expect(other.status).toBe(409);
  });
});

describe('gzip on result downloads', () => {
  it('compresses query results and ingest results when Accept-Encoding names gzip, and not otherwise', async () => {
    const { emu, token, id, path } = await completedJob(
      '64.0',
      "SELECT Name, Description FROM Account WHERE Name LIKE 'Pages %'",
    );
    const url = `${emu.url}${path(`jobs/query/${id}/results`)}`;
    // node:http, not fetch: fetch would decompress on its own and hide the header.
    const raw = async (target: string, encoding?: string) => {
      const { request } = await import('node:http');
      return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = request(
          target,
          {
            headers: {
              authorization: `Bearer ${token}`,
              ...(encoding ? { 'accept-encoding': encoding } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
    };
    const plain = await raw(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await raw(url, 'gzip, deflate, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    // Same page, same headers, same rows once decompressed.
    expect(zipped.headers['sforce-numberofrecords']).toBe(String(ROWS));
    expect(zipped.headers['sforce-locator']).toBe('null');
    expect((await unzip(zipped.body)).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect(plain.body.toString('utf8')).toContain('Pages 00,"a, ""b"""\n');
    const refused = await raw(url, 'gzip;q=0, identity');
    expect(refused.headers['content-encoding']).toBeUndefined();

    // Ingest results too.
    const job = await api(emu, 'POST', 'jobs/ingest', {
      token,
      body: { object: 'Account', operation: 'insert' },
    });
    await fetch(`${emu.url}/services/data/v64.0/jobs/ingest/${job.body.id}/batches`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'Name\nZipped\n',
    });
    await api(emu, 'PATCH', `jobs/ingest/${job.body.id}`, { token, body: { state: 'UploadComplete' } });
    for (let i = 0; i < 500; i++) {
      if ((await api(emu, 'GET', `jobs/ingest/${job.body.id}`, { token })).body.state === 'JobComplete')
        break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const ok = await raw(
      `${emu.url}/services/data/v64.0/jobs/ingest/${job.body.id}/successfulResults`,
      'gzip',
    );
    expect(ok.headers['content-encoding']).toBe('gzip');
    expect((await unzip(ok.body)).toString('utf8')).toMatch(
      /^sf__Id,sf__Created,Name\n001\w{15},true,Zipped\n$/,
    );
  });
});
