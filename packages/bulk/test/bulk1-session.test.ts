// Bulk API 1.0 renews an invalid or expired session on `<exceptionCode>InvalidSessionId</exceptionCode>`
// whatever the status: Salesforce answers HTTP 400 with it (jsforce's BulkApi.isSessionExpired
// tests exactly that), and 401 is kept. One renewal serves every request in flight.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Connection, createConnection } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createBulk1 } from '../src/index.js';
import { connect, useOrg } from './helpers.js';

const org = useOrg();
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

describe('Bulk 1.0 session renewal against the emulator (HTTP 400 InvalidSessionId, as Salesforce)', () => {
  it('job control and batch calls succeed after expireAllTokens, renewing once for all in flight', async () => {
    const { emu } = org();
    const conn = connect(emu) as Connection & { renewals(): number };
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const job = bulk.createJob('Account', 'insert');
    await job.open();
    const first = await job.createBatch().execute([{ Name: 'Session A' }]);
    expect(first).toHaveLength(1);
    emu.faults.expireAllTokens();
    // Several requests meet the expired session at once: one renewal, every one succeeds.
    const [info, list, again] = await Promise.all([
      job.info(),
      job.list(),
      bulk.createJob('Contact', 'insert').open(),
    ]);
    expect(info.state).toBe('Open');
    expect(list).toHaveLength(1);
    expect(again.state).toBe('Open');
    expect(conn.renewals()).toBe(1);
    // The emulator answers 400 (the renewal above proves the client reads the code, not the status).
    expect(emu.requests.some((r) => r.path.startsWith('/services/async/') && r.status === 400)).toBe(true);
  });

  it('a batch of records sent after the session expired is sent again with the new session', async () => {
    const { emu } = org();
    const conn = connect(emu) as Connection & { renewals(): number };
    const bulk = createBulk1(conn, { pollIntervalMs: 10 });
    const job = bulk.createJob('Account', 'insert');
    await job.open();
    emu.faults.expireAllTokens();
    const results = await job.createBatch().execute([{ Name: 'Session B' }, { Name: 'Session C' }]);
    expect(results.map((r) => r.success)).toEqual([true, true]);
    expect(conn.renewals()).toBe(1);
  });
});

describe('Bulk 1.0 load() across a session expiry', () => {
  it('a session that expires between batches is renewed and every row is loaded', async () => {
    const { emu } = org();
    const conn = connect(emu) as Connection & { renewals(): number };
    const batchPosts = () =>
      emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/batch') && r.status === 201);
    const input = (async function* () {
      for (let i = 0; i < 30; i++) {
        if (i === 25) {
          // The first two batches are on the server; the third is being read: the session ends.
          while (batchPosts().length < 2) await new Promise((r) => setTimeout(r, 5));
          emu.faults.expireAllTokens();
        }
        // 8,000 characters a row: a batch is more than one 64 KB chunk, so it is read as it goes.
        yield { Name: `Expiring ${i}`, Description: 'x'.repeat(8000) };
      }
    })();
    const results = await createBulk1(conn, { pollIntervalMs: 10 }).load('Account', 'insert', input, {
      maxBatchRecords: 10,
    });
    expect(results).toHaveLength(30);
    expect(results.every((r) => r.success)).toBe(true);
    expect(conn.renewals()).toBe(1);
  });
});

describe('Bulk 1.0 session renewal against a local server (both forms)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A Bulk 1.0 job endpoint that refuses every session but `fresh` with `status` and `code`. */
  async function start(status: number, code: string): Promise<{ url: string; seen: string[] }> {
    const seen: string[] = [];
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const session = String(req.headers['x-sfdc-session'] ?? '');
        seen.push(session);
        res.setHeader('content-type', 'application/xml');
        if (session !== 'fresh') {
          res.statusCode = status;
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?><error xmlns="${NS}"><exceptionCode>${code}</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>`,
          );
          return;
        }
        res.statusCode = 201;
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><id>750000000000001AAA</id><operation>insert</operation><object>Account</object><state>Open</state></jobInfo>`,
        );
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen };
  }

  function connection(url: string): Connection & { refreshes: () => number } {
    let refreshes = 0;
    const conn = createConnection({
      instanceUrl: url,
      retry: false,
      auth: {
        getCredentials: async () => ({ accessToken: 'stale', instanceUrl: url }),
        refresh: async () => {
          refreshes += 1;
          return { accessToken: 'fresh', instanceUrl: url };
        },
      },
    });
    return Object.assign(conn, { refreshes: () => refreshes });
  }

  for (const status of [400, 401]) {
    it(`renews once on HTTP ${status} InvalidSessionId, however many requests are in flight`, async () => {
      const { url, seen } = await start(status, 'InvalidSessionId');
      const conn = connection(url);
      const bulk = createBulk1(conn);
      const infos = await Promise.all([1, 2, 3].map(() => bulk.createJob('Account', 'insert').open()));
      expect(infos.map((i) => i.state)).toEqual(['Open', 'Open', 'Open']);
      expect(conn.refreshes()).toBe(1);
      expect(seen.filter((s) => s === 'fresh')).toHaveLength(3);
    });
  }

  it('another 400 error code is not a session error: no renewal, the error is typed', async () => {
    const { url } = await start(400, 'InvalidJob');
    const conn = connection(url);
    await expect(createBulk1(conn).createJob('Account', 'insert').open()).rejects.toMatchObject({
      errorCode: 'InvalidJob',
      status: 400,
    });
    expect(conn.refreshes()).toBe(0);
  });
});
