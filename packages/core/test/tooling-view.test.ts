// conn.tooling: the same connection with relative paths under /services/data/vNN.N/tooling/.
// A small local server records what arrives, so the paths and headers are the wire's.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthStrategy, createConnection } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
}

let server: Server;
let url: string;
const seen: Seen[] = [];
/** Tokens the server refuses (401), to drive a renewal. */
const refused = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    seen.push({ method: req.method ?? 'GET', path: req.url ?? '', authorization });
    req.resume();
    if (authorization && refused.has(authorization.replace(/^Bearer /, ''))) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'sforce-limit-info': 'api-usage=7/15000' });
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const last = (): Seen => seen[seen.length - 1] as Seen;

describe('conn.tooling', () => {
  it('resolves relative paths under the Tooling root, and leaves the data root alone', async () => {
    const conn = createConnection({ instanceUrl: url, apiVersion: '62.0', auth: 'tok' });
    const tooling = conn.tooling;
    // One view per connection, so caches keyed by connection (describe) are reused.
    expect(conn.tooling).toBe(tooling);
    expect(tooling.tooling).toBe(tooling);
    expect(conn.dataPath).toBe('/services/data/v62.0/');
    expect(tooling.dataPath).toBe('/services/data/v62.0/tooling/');
    expect(tooling.apiVersion).toBe('62.0');

    await tooling.request({ path: 'query', query: { q: 'SELECT Id FROM ApexClass' } });
    expect(last().path).toBe('/services/data/v62.0/tooling/query?q=SELECT+Id+FROM+ApexClass');
    await tooling.get('sobjects/ApexClass/describe');
    expect(last().path).toBe('/services/data/v62.0/tooling/sobjects/ApexClass/describe');
    await tooling.post('sobjects/ApexClass', { Name: 'A', Body: 'public class A {}' });
    expect(last()).toMatchObject({ method: 'POST', path: '/services/data/v62.0/tooling/sobjects/ApexClass' });
    await tooling.patch('sobjects/ApexClass/01p000000000001AAA', { Body: 'x' });
    await tooling.delete('sobjects/ApexClass/01p000000000001AAA');
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: '/services/data/v62.0/tooling/sobjects/ApexClass/01p000000000001AAA',
    });
    await tooling.request('executeAnonymous/?anonymousBody=x');
    expect(last().path).toBe('/services/data/v62.0/tooling/executeAnonymous/?anonymousBody=x');
    await tooling.resources();
    expect(last().path).toBe('/services/data/v62.0/tooling/');
    const raw = await tooling.requestRaw({ path: 'sobjects' });
    await raw.cancel();
    expect(last().path).toBe('/services/data/v62.0/tooling/sobjects');

    // Absolute paths and URLs are the caller's: a nextRecordsUrl already names its root.
    await tooling.get('/services/data/v62.0/tooling/query/01gXX-2000');
    expect(last().path).toBe('/services/data/v62.0/tooling/query/01gXX-2000');
    await tooling.get(`${url}/services/apexrest/x`);
    expect(last().path).toBe('/services/apexrest/x');
    expect(tooling.url('sobjects/ApexTrigger')).toBe(
      `${url}/services/data/v62.0/tooling/sobjects/ApexTrigger`,
    );

    // The data root is not touched by the view.
    await conn.get('query', { query: { q: 'SELECT Id FROM Account' } });
    expect(last().path).toBe('/services/data/v62.0/query?q=SELECT+Id+FROM+Account');
    expect(conn.url('sobjects')).toBe(`${url}/services/data/v62.0/sobjects`);
    await conn.resources();
    expect(last().path).toBe('/services/data/v62.0/');
    // Org-wide resources stay where they are on both.
    await tooling.fetchLimits();
    expect(last().path).toBe('/services/data/v62.0/limits');
    await tooling.versions();
    expect(last().path).toBe('/services/data/');
  });

  it('shares the auth session, limits and events of its connection', async () => {
    let renewals = 0;
    refused.add('old');
    const strategy: AuthStrategy = {
      getCredentials: async () => ({ accessToken: 'old', instanceUrl: url }),
      refresh: async () => {
        renewals++;
        return { accessToken: 'new', instanceUrl: url };
      },
    };
    const conn = createConnection({ auth: strategy });
    const refreshed: string[] = [];
    const limits: number[] = [];
    // Listeners on the view land on the connection's emitter, and chaining returns the view.
    expect(conn.tooling.on('refresh', (c) => refreshed.push(c.accessToken))).toBe(conn.tooling);
    conn.on('limits', (info) => limits.push(info.apiUsage?.used ?? -1));

    await conn.tooling.get('sobjects');
    // The 401 on the Tooling root renewed the one session: the data root uses the new token.
    expect(renewals).toBe(1);
    expect(refreshed).toEqual(['new']);
    expect(last().authorization).toBe('Bearer new');
    await conn.get('sobjects');
    expect(renewals).toBe(1);
    expect(last()).toMatchObject({ authorization: 'Bearer new', path: '/services/data/v64.0/sobjects' });
    expect(limits).toEqual([7, 7]);
    expect(conn.tooling.limits).toBe(conn.limits);
    expect(conn.tooling.instanceUrl).toBe(url);
    expect((await conn.tooling.credentials()).accessToken).toBe('new');
  });

  it('keeps the Tooling root across withAuth', async () => {
    const conn = createConnection({ instanceUrl: url, auth: 'a' });
    const other = conn.tooling.withAuth('b');
    expect(other.dataPath).toBe('/services/data/v64.0/tooling/');
    await other.get('sobjects/ApexLog');
    expect(last()).toMatchObject({
      authorization: 'Bearer b',
      path: '/services/data/v64.0/tooling/sobjects/ApexLog',
    });
  });
});
