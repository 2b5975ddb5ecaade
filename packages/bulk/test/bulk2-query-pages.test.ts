// A Bulk 2.0 query results page is checked before any of its records go out: a page whose body
// ends mid-row (no final line break) or whose row count differs from Sforce-NumberOfRecords
// rejects with MALFORMED_RESPONSE, and none of its records is handed on. Against a small local
// server imitating the query endpoints, because the emulator never sends a bad page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Connection, createConnection, isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkQuery } from '../src/index.js';

interface FakePage {
  /** Body chunks, sent one after another (a pause between them, so the client reads them apart). */
  chunks: string[];
  /** The Sforce-NumberOfRecords header, or none. */
  count?: number;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Create job, poll (JobComplete at once), results pages chained by Sforce-Locator. */
async function fakeOrg(pages: FakePage[]): Promise<Connection> {
  const http = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname.endsWith('/jobs/query')) {
      json(200, { id: '750Q', state: 'UploadComplete', operation: 'query', object: 'Account' });
      return;
    }
    if (req.method === 'GET' && url.pathname.endsWith('/jobs/query/750Q')) {
      json(200, { id: '750Q', state: 'JobComplete', operation: 'query', object: 'Account' });
      return;
    }
    if (req.method === 'GET' && url.pathname.endsWith('/jobs/query/750Q/results')) {
      const index = Number(url.searchParams.get('locator') ?? '0');
      const page = pages[index];
      if (!page) {
        json(400, [{ errorCode: 'INVALID_LOCATOR', message: 'no such page' }]);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/csv',
        'sforce-locator': index + 1 < pages.length ? String(index + 1) : 'null',
        ...(page.count === undefined ? {} : { 'sforce-numberofrecords': String(page.count) }),
      });
      const chunks = [...page.chunks];
      const next = () => {
        const chunk = chunks.shift();
        if (chunk === undefined) {
          res.end();
          return;
        }
        res.write(chunk);
        setTimeout(next, 30);
      };
      next();
      return;
    }
    json(404, [{ errorCode: 'NOT_FOUND', message: url.pathname }]);
  });
  server = http;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return createConnection({ instanceUrl: url, auth: 'token', retry: false });
}

/** Reads the query as a consumer would; the records it got, and how it ended. */
async function read(conn: Connection): Promise<{ names: unknown[]; error: unknown }> {
  const names: unknown[] = [];
  try {
    for await (const record of bulkQuery(conn, 'SELECT Id, Name FROM Account', { pollIntervalMs: 5 })) {
      names.push(record.Name);
    }
    return { names, error: undefined };
  } catch (error) {
    return { names, error };
  }
}

const good: FakePage = { chunks: ['Id,Name\n001A,A\n001B,B\n'], count: 2 };

describe('Bulk 2.0 query: each results page is checked before its records are handed on', () => {
  it('reads well-formed pages (with and without Sforce-NumberOfRecords)', async () => {
    const conn = await fakeOrg([good, { chunks: ['Id,Name\n001C,C\n'] }]);
    expect(await read(conn)).toEqual({ names: ['A', 'B', 'C'], error: undefined });
  });

  it('a page that ends mid-row (no final line break) rejects MALFORMED_RESPONSE; none of its rows goes out', async () => {
    // The count matches and the last row has all its fields: only the missing line break says the
    // body was cut (its last value may be cut short), so the page is refused whole.
    const conn = await fakeOrg([good, { chunks: ['Id,Name\n001C,C\n', '001D,D\n001E,Ev'], count: 3 }]);
    const { names, error } = await read(conn);
    expect(names).toEqual(['A', 'B']);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/^\[@sf\/bulk\] .*page 2.*line break/);
  });

  it('a first page cut mid-row hands on nothing at all', async () => {
    const conn = await fakeOrg([{ chunks: ['Id,Name\n001A,A\n', '001B,B'], count: 2 }]);
    const { names, error } = await read(conn);
    expect(names).toEqual([]);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
  });

  it('a page with fewer rows than Sforce-NumberOfRecords rejects MALFORMED_RESPONSE; none of its rows goes out', async () => {
    const conn = await fakeOrg([good, { chunks: ['Id,Name\n001C,C\n', '001D,D\n'], count: 3 }]);
    const { names, error } = await read(conn);
    expect(names).toEqual(['A', 'B']);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/2 rows.*Sforce-NumberOfRecords.*3/);
  });

  it('a page with more rows than Sforce-NumberOfRecords rejects too', async () => {
    const conn = await fakeOrg([{ chunks: ['Id,Name\n001A,A\n', '001B,B\n001C,C\n'], count: 2 }]);
    const { names, error } = await read(conn);
    expect(names).toEqual([]);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
  });

  it('a header-only page with Sforce-NumberOfRecords 0, and an empty body, are no records', async () => {
    const conn = await fakeOrg([good, { chunks: ['Id,Name\n'], count: 0 }, { chunks: [], count: 0 }]);
    expect(await read(conn)).toEqual({ names: ['A', 'B'], error: undefined });
  });
});
