// conn.identity(): the identity URL from the credentials' `id`, or, when the credentials carry
// none (a token given by hand, JWT, client credentials), the `identity` entry of the REST
// version resource (`GET /services/data/vNN.N/`), as jsforce does. And an expired session on the
// identity URL, which Salesforce's identity service answers with 403 `Bad_OAuth_Token` (plain
// text) rather than the REST API's 401, is renewed once like any other expired session.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnection } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator, refreshingStrategy, tokenRequests } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

const identityCalls = () => emu.requests.filter((r) => r.path.startsWith('/id/'));

async function userIdOf(username: string): Promise<string> {
  const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: emu.issueToken().accessToken });
  const result = await conn.get<{ records: Array<{ Id: string }> }>('query', {
    query: { q: `SELECT Id FROM User WHERE Username = '${username}'` },
  });
  return result.records[0]!.Id;
}

describe('identity() without a stored identity URL', () => {
  it('finds the identity URL in the version resource for a bare access token, and returns its user', async () => {
    const integration = await userIdOf('integration@emulator.example.com');
    const issued = emu.issueToken({ userId: integration });
    // A token given by hand: no `id` anywhere.
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: issued.accessToken });
    emu.resetRequests();
    const identity = await conn.identity();
    expect(identity.user_id).toBe(integration);
    expect(identity.username).toBe('integration@emulator.example.com');
    expect(identity.organization_id).toBeTypeOf('string');
    // One look at the version resource, then the identity URL it named.
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /services/data/v${conn.apiVersion}/`,
      `GET /id/${identity.organization_id}/${integration}`,
    ]);
  });

  it('works the same on conn.tooling and for credentials without an id', async () => {
    const issued = emu.issueToken();
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: { accessToken: issued.accessToken, instanceUrl: issued.instanceUrl },
    });
    const identity = await conn.tooling.identity();
    expect(identity.id).toBe(issued.id);
  });

  it('uses the credentials id when there is one, without the version resource', async () => {
    const issued = emu.issueToken();
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: { accessToken: issued.accessToken, id: issued.id },
    });
    emu.resetRequests();
    expect((await conn.identity()).id).toBe(issued.id);
    expect(emu.requests.map((r) => r.path)).toEqual([new URL(issued.id).pathname]);
  });

  it('an expired bare token fails with AUTH_FAILED from the version resource (nothing to renew)', async () => {
    const issued = emu.issueToken();
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: issued.accessToken });
    emu.faults.expireToken(issued.accessToken);
    await expect(conn.identity()).rejects.toMatchObject({
      name: 'SalesforceError',
      code: 'AUTH_FAILED',
      errorCode: 'INVALID_SESSION_ID',
    });
  });
});

describe('identity() when neither the credentials nor the version resource name an identity URL', () => {
  let server: Server;
  let url: string;
  let resources: Record<string, string> = {};
  const seen: string[] = [];
  beforeAll(async () => {
    // A server whose version resource lists no usable `identity` (a proxy, an odd answer).
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(resources));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('rejects with a typed MALFORMED_RESPONSE that says what was missing, never the token', async () => {
    resources = { sobjects: '/services/data/v64.0/sobjects', query: '/services/data/v64.0/query' };
    const conn = createConnection({ instanceUrl: url, auth: 'secret-token-value', retry: false });
    const error = await conn.identity().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SalesforceError', code: 'MALFORMED_RESPONSE' });
    const message = (error as Error).message;
    expect(message).toMatch(/^\[@sf\/core\]/);
    expect(message).toContain('identity');
    expect(message).not.toContain('secret-token-value');
  });

  it('does not send the token in clear to another origin the version resource names', async () => {
    resources = { identity: 'http://elsewhere.invalid/id/00D000000000001AAA/005000000000001AAA' };
    seen.length = 0;
    const conn = createConnection({ instanceUrl: url, auth: 'secret-token-value', retry: false });
    await expect(conn.identity()).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(seen).toEqual(['/services/data/v64.0/']);
  });
});

describe('identity() on an expired session (403 Bad_OAuth_Token)', () => {
  it('renews once and succeeds', async () => {
    const issued = emu.issueToken();
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      id: issued.id,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    await conn.identity();
    emu.faults.expireAllTokens();
    emu.resetRequests();
    const identity = await conn.identity();
    expect(identity.id).toBe(issued.id);
    expect(strategy.renewals).toBe(1);
    expect(tokenRequests(emu)).toBe(1);
    // The identity service said so with its own status and code, and the retry succeeded.
    expect(identityCalls().map((r) => r.status)).toEqual([403, 200]);
  });

  it('renews once for many identity() calls in flight at once', async () => {
    const issued = emu.issueToken();
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      id: issued.id,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    await conn.identity();
    emu.faults.expireAllTokens();
    const results = await Promise.all(Array.from({ length: 5 }, () => conn.identity()));
    expect(results.map((r) => r.id)).toEqual(Array(5).fill(issued.id));
    expect(strategy.renewals).toBe(1);
  });

  it('without a way to renew, fails with AUTH_FAILED and errorCode Bad_OAuth_Token', async () => {
    const issued = emu.issueToken();
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: { accessToken: issued.accessToken, id: issued.id },
    });
    emu.faults.expireToken(issued.accessToken);
    const error = await conn.identity().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 403, errorCode: 'Bad_OAuth_Token' });
    expect((error as Error).message).not.toContain(issued.accessToken);
  });

  it('does not renew on other 403s: Wrong_Org from the identity service', async () => {
    const issued = emu.issueToken();
    const otherOrg = issued.id.replace(/\/id\/[^/]+\//, '/id/00D000000000001AAA/');
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      id: otherOrg,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    await expect(conn.identity()).rejects.toMatchObject({ status: 403, errorCode: 'Wrong_Org' });
    expect(strategy.renewals).toBe(0);
  });

  it('does not renew on other 403s: REQUEST_LIMIT_EXCEEDED', async () => {
    const issued = emu.issueToken();
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      id: issued.id,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy, retry: false });
    emu.faults.failNext(1, 'REQUEST_LIMIT_EXCEEDED', { path: '/id/' });
    await expect(conn.identity()).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', status: 403 });
    expect(strategy.renewals).toBe(0);
  });
});

describe('isSessionExpiredResponse and 403s', () => {
  it('takes 403 Bad_OAuth_Token (plain or as a JSON errorCode) and no other 403', async () => {
    const { isSessionExpiredResponse } = await import('../src/middleware/auth.js');
    expect(isSessionExpiredResponse(403, 'Bad_OAuth_Token')).toBe(true);
    expect(isSessionExpiredResponse(403, 'Bad_OAuth_Token\n')).toBe(true);
    expect(isSessionExpiredResponse(403, '[{"errorCode":"Bad_OAuth_Token","message":"x"}]')).toBe(true);
    for (const other of [
      'Missing_OAuth_Token',
      'Wrong_Org',
      '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]',
      '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
      '<html><body>Bad_OAuth_Token is not a thing here</body></html>',
      '',
    ])
      expect(isSessionExpiredResponse(403, other), other).toBe(false);
  });
});
