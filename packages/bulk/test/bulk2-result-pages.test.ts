// Bulk 2.0 parallel results (API 58.0+, GET /jobs/query/{id}/resultPages): pages downloaded
// several at once are handed on in page order (or, with order: 'arrival', as each is complete),
// a 404 or an API version below 58.0 falls back to the Sforce-Locator chain, both spellings of
// the fields Salesforce's documentation uses are read, and a truncated page among parallel ones
// rejects MALFORMED_RESPONSE with none of its records handed on. Against the emulator, and a
// small local server for what the emulator does not do (404, the other spelling, a bad page).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type Connection, createConnection, isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkQuery } from '../src/index.js';
import { fast, useOrg } from './helpers.js';

const org = useOrg();

async function names(records: AsyncIterable<Record<string, unknown>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of records) out.push(r.Name);
  return out;
}

describe('Bulk 2.0 parallel results against the emulator', () => {
  it('downloads pages from resultPages several at once and hands them on in page order', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 230; i++) emu.store.insert('Account', { Name: `Par ${String(i).padStart(4, '0')}` });
    const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Par %' ORDER BY Name";
    const before = emu.requests.length;
    const parallel = await names(bulkQuery(conn, soql, { ...fast, maxRecords: 20, concurrency: 3 }));
    const sent = emu.requests.slice(before).map((r) => r.path);
    // What must happen: the page URLs came from resultPages, and the order is the query's.
    expect(sent.some((p) => p.endsWith('/resultPages'))).toBe(true);
    expect(sent.filter((p) => p.endsWith('/results')).length).toBe(12);
    const sequential = await names(bulkQuery(conn, soql, { ...fast, maxRecords: 20, concurrency: 1 }));
    expect(parallel).toHaveLength(230);
    expect(parallel).toEqual(sequential);
    expect(parallel[0]).toBe('Par 0000');
    expect(parallel[229]).toBe('Par 0229');
  });

  it("order: 'arrival' hands every record on once, whole pages at a time", async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 95; i++) emu.store.insert('Account', { Name: `Arr ${String(i).padStart(3, '0')}` });
    const got = await names(
      bulkQuery(conn, "SELECT Id, Name FROM Account WHERE Name LIKE 'Arr %' ORDER BY Name", {
        ...fast,
        maxRecords: 10,
        concurrency: 4,
        order: 'arrival',
      }),
    );
    expect([...got].sort()).toEqual(
      Array.from({ length: 95 }, (_, i) => `Arr ${String(i).padStart(3, '0')}`),
    );
  });

  it('below API 58.0 reads the locators and never asks for resultPages', async () => {
    const { emu } = org();
    for (let i = 0; i < 45; i++) emu.store.insert('Account', { Name: `Old ${String(i).padStart(3, '0')}` });
    const conn = createConnection({
      instanceUrl: emu.url,
      auth: {
        getCredentials: async () => ({ accessToken: emu.issueToken().accessToken, instanceUrl: emu.url }),
      },
      apiVersion: '57.0',
    });
    const before = emu.requests.length;
    const got = await names(
      bulkQuery(conn, "SELECT Id, Name FROM Account WHERE Name LIKE 'Old %' ORDER BY Name", {
        ...fast,
        maxRecords: 10,
        concurrency: 4,
      }),
    );
    expect(got).toHaveLength(45);
    expect(emu.requests.slice(before).some((r) => r.path.endsWith('/resultPages'))).toBe(false);
  });

  it('gzip: true reads the same records from compressed pages', async () => {
    const { conn } = org();
    const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Par %' ORDER BY Name";
    const plain = await names(bulkQuery(conn, soql, { ...fast, maxRecords: 50 }));
    expect(await names(bulkQuery(conn, soql, { ...fast, maxRecords: 50, gzip: true }))).toEqual(plain);
  });

  it('stops downloading when the consumer stops early (at most the window of pages requested)', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 300; i++) emu.store.insert('Account', { Name: `Stop ${i}` });
    const before = emu.requests.length;
    let n = 0;
    for await (const _ of bulkQuery(conn, "SELECT Id, Name FROM Account WHERE Name LIKE 'Stop %'", {
      ...fast,
      maxRecords: 10,
      concurrency: 2,
    })) {
      if (++n === 5) break;
    }
    const pages = emu.requests.slice(before).filter((r) => r.path.endsWith('/results'));
    // Two downloading, and the next one started when the first was taken: never all 30.
    expect(pages.length).toBeLessThanOrEqual(3);
  });
});

interface FakeOptions {
  /** How resultPages answers: Salesforce's `nextRecordsUrl`/`resultUrl`, the other spelling, or 404. */
  resultPages: 'records' | 'record' | 404;
  /** Index of a page sent without its final line break (gzip-compressed: its last 10 bytes cut). */
  truncated?: number;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const PAGES = 7;
const ROWS = 3;
const pageCsv = (index: number) =>
  `Id,Name\n${Array.from({ length: ROWS }, (_, r) => `001${index}${r},P${index}R${r}\n`).join('')}`;

/** A query job of 7 pages of 3 rows, its result URLs served by resultPages two at a time. */
async function fakeOrg(options: FakeOptions): Promise<{ conn: Connection; paths: string[] }> {
  const paths: string[] = [];
  const http = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    paths.push(url.pathname);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const base = '/services/data/v60.0/jobs/query/750P';
    if (req.method === 'POST' && url.pathname.endsWith('/jobs/query')) {
      json(200, { id: '750P', state: 'UploadComplete', operation: 'query', object: 'Account' });
    } else if (url.pathname === base) {
      json(200, { id: '750P', state: 'JobComplete', operation: 'query', object: 'Account' });
    } else if (url.pathname === `${base}/resultPages`) {
      if (options.resultPages === 404) {
        json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
        return;
      }
      const from = Number(url.searchParams.get('locator') ?? '0');
      const to = Math.min(from + 2, PAGES);
      const links = [];
      for (let i = from; i < to; i++) {
        const link = `${base}/results?locator=${i}`;
        links.push(options.resultPages === 'records' ? { resultUrl: link } : { resultLink: link });
      }
      const next = to < PAGES ? `${base}/resultPages?locator=${to}` : null;
      json(
        200,
        options.resultPages === 'records'
          ? { resultPages: links, nextRecordsUrl: next, done: next === null }
          : { resultPages: links, nextRecordUrl: next, done: next === null },
      );
    } else if (url.pathname === `${base}/results`) {
      const index = Number(url.searchParams.get('locator') ?? '0');
      const body = pageCsv(index);
      const gzip = /gzip/.test(String(req.headers['accept-encoding']));
      const bytes = gzip ? gzipSync(body) : Buffer.from(body);
      res.writeHead(200, {
        'content-type': 'text/csv',
        'sforce-locator': index + 1 < PAGES ? String(index + 1) : 'null',
        'sforce-numberofrecords': String(ROWS),
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      const cut = index === options.truncated ? bytes.subarray(0, bytes.length - (gzip ? 10 : 1)) : bytes;
      // Later pages answer sooner, so that parallel downloads complete out of order.
      setTimeout(() => res.end(cut), (PAGES - index) * 5);
    } else {
      json(404, [{ errorCode: 'NOT_FOUND', message: url.pathname }]);
    }
  });
  server = http;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    conn: createConnection({ instanceUrl: url, auth: 'token', retry: false, apiVersion: '60.0' }),
    paths,
  };
}

async function read(conn: Connection, extra: object = {}): Promise<{ got: unknown[]; error: unknown }> {
  const got: unknown[] = [];
  try {
    for await (const r of bulkQuery(conn, 'SELECT Id, Name FROM Account', {
      pollIntervalMs: 5,
      concurrency: 3,
      ...extra,
    })) {
      got.push(r.Name);
    }
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  }
}

const all = Array.from({ length: PAGES }, (_, p) =>
  Array.from({ length: ROWS }, (_, r) => `P${p}R${r}`),
).flat();

describe('Bulk 2.0 parallel results against a local server', () => {
  it('reads nextRecordsUrl and resultUrl (the documented example), in page order though pages finish out of order', async () => {
    const { conn, paths } = await fakeOrg({ resultPages: 'records' });
    const { got, error } = await read(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(all);
    expect(paths.filter((p) => p.endsWith('/resultPages'))).toHaveLength(4);
  });

  it('reads nextRecordUrl and resultLink (the other spelling in the documentation)', async () => {
    const { conn, paths } = await fakeOrg({ resultPages: 'record' });
    const { got, error } = await read(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(all);
    expect(paths.filter((p) => p.endsWith('/resultPages'))).toHaveLength(4);
  });

  it('falls back to the locators when resultPages answers 404', async () => {
    const { conn, paths } = await fakeOrg({ resultPages: 404 });
    const { got, error } = await read(conn);
    expect(error).toBeUndefined();
    expect(got).toEqual(all);
    expect(paths.filter((p) => p.endsWith('/resultPages'))).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith('/results'))).toHaveLength(PAGES);
  });

  it('a truncated page among parallel ones rejects MALFORMED_RESPONSE; nothing of it or after it goes out', async () => {
    const { conn } = await fakeOrg({ resultPages: 'records', truncated: 3 });
    const { got, error } = await read(conn, { gzip: false });
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/page 4.*line break/);
    // Records of earlier pages may still be in the stream's buffer when the error destroys it
    // (as with any stream error), so what went out is a prefix of pages 1 to 3: never page 4's.
    expect(got).toEqual(all.slice(0, got.length));
    expect(got.length).toBeLessThanOrEqual(3 * ROWS);
  });

  it("with order: 'arrival' a truncated page still hands on none of its rows", async () => {
    const { conn } = await fakeOrg({ resultPages: 'records', truncated: 3 });
    const { got, error } = await read(conn, { order: 'arrival' });
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(got.some((name) => String(name).startsWith('P3'))).toBe(false);
  });

  it('gzip: true asks for compressed pages and inflates them; a cut compressed page rejects MALFORMED_RESPONSE', async () => {
    const { conn } = await fakeOrg({ resultPages: 'records' });
    expect(await read(conn, { gzip: true })).toEqual({ got: all, error: undefined });
    server?.close();
    const cut = await fakeOrg({ resultPages: 'records', truncated: 2 });
    const { got, error } = await read(cut.conn, { gzip: true });
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/page 3: the gzip-compressed body does not inflate/);
    expect(got.some((name) => String(name).startsWith('P2'))).toBe(false);
  });

  it('concurrency and order are checked before anything is sent', async () => {
    const { conn, paths } = await fakeOrg({ resultPages: 'records' });
    expect(() => bulkQuery(conn, 'SELECT Id FROM Account', { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => bulkQuery(conn, 'SELECT Id FROM Account', { order: 'random' as never })).toThrow(/order/);
    expect(paths).toHaveLength(0);
  });
});
