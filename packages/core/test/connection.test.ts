import { assertConnection, createConnection, type LogEntry, SalesforceError } from '@sf/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

let emu: Emulator;
let token: ReturnType<Emulator['issueToken']>;

beforeAll(async () => {
  emu = await emulator();
  token = emu.issueToken();
});
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

const connect = (extra: Parameters<typeof createConnection>[0] = {}) =>
  createConnection({
    instanceUrl: emu.instanceUrl,
    auth: { accessToken: token.accessToken, id: token.id },
    retry: { backoff: { initialMs: 1, maxMs: 5 } },
    ...extra,
  });

describe('generic REST calls', () => {
  it('lists versions, resources and limits', async () => {
    const conn = connect();
    const versions = await conn.versions();
    expect(versions.map((v) => v.version)).toContain(emu.apiVersion);
    const resources = await conn.resources();
    expect(resources.sobjects).toBe(`/services/data/v${conn.apiVersion}/sobjects`);
    const limits = await conn.fetchLimits();
    expect(limits.DailyApiRequests?.Max).toBeGreaterThan(0);
  });

  it('returns the identity of the logged-in user', async () => {
    const identity = await connect().identity();
    expect(identity.user_id).toBeTypeOf('string');
    expect(identity.organization_id).toBeTypeOf('string');
  });

  it('resolves relative, absolute and full-URL paths', async () => {
    const conn = connect();
    const { id } = await conn.post<{ id: string }>('sobjects/Account', { Name: 'Paths Inc' });
    const relative = await conn.get<{ Name: string }>(`sobjects/Account/${id}`);
    const absolute = await conn.get<{ Name: string }>(
      `/services/data/v${conn.apiVersion}/sobjects/Account/${id}`,
    );
    const full = await conn.get<{ Name: string }>(conn.url(`sobjects/Account/${id}`));
    expect([relative.Name, absolute.Name, full.Name]).toEqual(['Paths Inc', 'Paths Inc', 'Paths Inc']);
    await conn.patch(`sobjects/Account/${id}`, { Name: 'Renamed' });
    expect((await conn.get<{ Name: string }>(`sobjects/Account/${id}`)).Name).toBe('Renamed');
    expect(await conn.delete(`sobjects/Account/${id}`)).toBeUndefined();
  });

  it('tracks Sforce-Limit-Info and emits limits events', async () => {
    const conn = connect();
    const seen: number[] = [];
    conn.on('limits', (info) => seen.push(info.apiUsage?.used ?? -1));
    await conn.resources();
    await conn.resources();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    expect(conn.limits?.apiUsage?.max).toBeGreaterThan(0);
  });
});

describe('typed errors', () => {
  it('turns Salesforce error arrays into SalesforceError with code, fields, method and path', async () => {
    const conn = connect();
    const err = await conn.post('sobjects/Account', { Nmae: 'typo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect(err).toMatchObject({ code: 'API_ERROR', status: 400, errorCode: 'INVALID_FIELD', method: 'POST' });
    expect((err as SalesforceError).url).toBe(`/services/data/v${conn.apiVersion}/sobjects/Account`);
    const missing = await conn
      .post('sobjects/Contact', { FirstName: 'No last name' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    // The parsed body is there for callers, but never enumerated or serialised.
    expect((err as SalesforceError).body).toEqual((err as SalesforceError).details);
    expect(Object.keys(err as object)).not.toContain('body');
    expect(JSON.stringify(err)).not.toContain('"body"');
    const notFound = await conn.get('sobjects/Account/001000000000000AAA').catch((e: unknown) => e);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('never carries the token in messages or serialised errors', async () => {
    const conn = connect({ retry: false });
    emu.faults.expireToken(token.accessToken);
    const err = (await conn.get('limits').catch((e: unknown) => e)) as SalesforceError;
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.errorCode).toBe('INVALID_SESSION_ID');
    for (const text of [err.message, String(err), JSON.stringify(err), err.stack ?? '']) {
      expect(text).not.toContain(token.accessToken);
    }
    token = emu.issueToken();
  });

  it('reports an HTML error page as SERVER_ERROR naming the page, without crashing', async () => {
    emu.faults.failNext(1, 'html');
    const err = await connect({ retry: false })
      .get('limits')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect((err as SalesforceError).code).toBe('SERVER_ERROR');
    expect((err as SalesforceError).message).toMatch(/HTML page/);
  });

  it('reports a truncated body as a typed error', async () => {
    emu.faults.failNext(1, 'truncated');
    const err = await connect({ retry: false })
      .get('limits')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceError);
    expect(['MALFORMED_RESPONSE', 'NETWORK']).toContain((err as SalesforceError).code);
  });

  it('decodes Salesforce XML errors (SOAP faults, Bulk API 1.0) into errorCode and message', async () => {
    const envelope = `<?xml version="1.0" encoding="utf-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
  <env:Body><urn:login><urn:username>nobody@example.com</urn:username><urn:password>wrong</urn:password></urn:login></env:Body>
</env:Envelope>`;
    const soap = await connect({ retry: false })
      .request({
        method: 'POST',
        path: `/services/Soap/u/${emu.apiVersion}`,
        headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: 'login' },
        body: envelope,
      })
      .catch((e: unknown) => e);
    expect(soap).toMatchObject({ errorCode: 'INVALID_LOGIN' });
    expect((soap as SalesforceError).message).not.toContain('wrong');
    const bulk = await connect({ retry: false })
      .request({
        path: `/services/async/${emu.apiVersion}/job/750000000000000AAA`,
        headers: { 'x-sfdc-session': 'bogus' },
      })
      .catch((e: unknown) => e);
    expect(bulk).toBeInstanceOf(SalesforceError);
    expect((bulk as SalesforceError).errorCode).toMatch(/^[A-Za-z_]+$/);
    expect((bulk as SalesforceError).details[0]?.message).toBeTruthy();
    // Asked for JSON, Bulk API 1.0 answers {"exceptionCode","exceptionMessage"}: decoded the same.
    expect(bulk).toMatchObject({ errorCode: 'InvalidSessionId', code: 'AUTH_FAILED', status: 400 });
  });

  it('reports REQUEST_LIMIT_EXCEEDED as LIMIT_EXCEEDED and does not retry it', async () => {
    emu.resetRequests();
    emu.faults.failNext(1, 'REQUEST_LIMIT_EXCEEDED');
    const err = await connect()
      .get('limits')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED', errorCode: 'REQUEST_LIMIT_EXCEEDED', status: 403 });
    expect(emu.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(1);
  });
});

describe('retry', () => {
  it('retries an idempotent request through 503s and succeeds', async () => {
    emu.resetRequests();
    emu.faults.failNext(2, { status: 503 });
    const limits = await connect().fetchLimits();
    expect(limits.DailyApiRequests).toBeDefined();
    expect(emu.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(3);
  });

  it('takes { signal, timeoutMs } on the small calls (versions, resources, fetchLimits, identity)', async () => {
    // CONVENTIONS.md rule 2: a timeout given to a small call is applied, not ignored.
    emu.faults.latency(2000, { path: /\/limits$/ });
    const conn = connect({ retry: false });
    const err = await conn.fetchLimits({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = conn.fetchLimits({ signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('credentials() takes { signal } (and the signal alone, as before)', async () => {
    // A login that never answers: the caller's signal ends the wait with its reason.
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: { getCredentials: () => new Promise(() => {}) },
    });
    for (const form of ['options', 'positional'] as const) {
      const controller = new AbortController();
      const reason = new Error(`stop ${form}`);
      const pending =
        form === 'options'
          ? conn.credentials({ signal: controller.signal })
          : conn.credentials(controller.signal);
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    }
  });

  it('retries a 503 that carries Retry-After (within maxRetryAfterMs)', async () => {
    emu.resetRequests();
    emu.faults.failNext(1, { status: 503, retryAfter: 1 });
    const limits = await connect({ retry: { backoff: { initialMs: 1, maxMs: 2 } } }).fetchLimits();
    expect(limits.DailyApiRequests).toBeDefined();
    expect(emu.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(2);
    // That the header is read shows in the next test; how long it waits is computeBackoff's
    // (backoff.test.ts: the header wins over the computed backoff).
  });

  it('honours Retry-After: a wait over maxRetryAfterMs is not taken, the 503 comes back', async () => {
    emu.resetRequests();
    emu.faults.failNext(1, { status: 503, retryAfter: 1 });
    // Without reading the header it would retry (after 1 to 2 ms of backoff) and succeed.
    const err = await connect({ retry: { maxRetryAfterMs: 500, backoff: { initialMs: 1, maxMs: 2 } } })
      .fetchLimits()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(emu.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(1);
  });

  it('does not retry a POST that reached the server', async () => {
    emu.resetRequests();
    emu.faults.failNext(1, { status: 503 });
    const err = await connect()
      .post('sobjects/Account', { Name: 'Once' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('can be switched off', async () => {
    emu.faults.failNext(1, { status: 503 });
    await expect(connect({ retry: false }).fetchLimits()).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  });

  it('retries a GET whose connection was reset', async () => {
    emu.faults.failNext(1, 'reset');
    const limits = await connect().fetchLimits();
    expect(limits.DailyApiRequests).toBeDefined();
  });

  it('surfaces a reset POST as NETWORK without sending it twice', async () => {
    emu.resetRequests();
    emu.faults.failNext(1, 'reset', { path: /\/sobjects\/Account$/ });
    const err = await connect()
      .post('sobjects/Account', { Name: 'Reset' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK' });
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('timeouts and aborts', () => {
  it('times out a slow answer', async () => {
    emu.faults.latency(2_000);
    await expect(connect({ retry: false, timeoutMs: 100 }).fetchLimits()).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('rejects with the caller’s abort reason', async () => {
    emu.faults.latency(2_000);
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = connect().fetchLimits({ signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('logger', () => {
  it('logs every exchange with method, path and status and never a token', async () => {
    const entries: LogEntry[] = [];
    const conn = connect({ logger: (e) => entries.push(e) });
    await conn.fetchLimits();
    await conn.get('sobjects/Account/001000000000000AAA').catch(() => {});
    expect(entries.map((e) => e.status)).toEqual([200, 404]);
    expect(entries[0]).toMatchObject({ method: 'GET', level: 'debug' });
    expect(JSON.stringify(entries)).not.toContain(token.accessToken);
  });
});

describe('multi-user', () => {
  it('withAuth gives another user a connection on the same transport', async () => {
    const a = connect();
    const other = emu.issueToken();
    const b = a.withAuth(other.accessToken);
    emu.faults.expireToken(token.accessToken);
    await expect(a.fetchLimits()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(b.fetchLimits()).resolves.toBeDefined();
    token = emu.issueToken();
  });

  it('withAuth follows the instance named by the other user’s credentials (another org)', async () => {
    const otherOrg = await emulator();
    try {
      const theirs = otherOrg.issueToken();
      const conn = connect().withAuth({
        getCredentials: async () => ({ accessToken: theirs.accessToken, instanceUrl: theirs.instanceUrl }),
      });
      const { id } = await conn.post<{ id: string }>('sobjects/Account', { Name: 'Other org' });
      expect(otherOrg.store.get('Account', id)).toBeDefined();
      expect(emu.store.get('Account', id)).toBeUndefined();
    } finally {
      await otherOrg.close();
    }
  });
});

describe('assertConnection', () => {
  it('refuses what is not a connection with INVALID_ARGUMENT from the calling package', () => {
    for (const value of [undefined, null, 'SELECT Id FROM Account', { get() {} }]) {
      expect(() => assertConnection(value, '@sf/query')).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/^\[@sf\/query\] /),
        }),
      );
    }
    expect(() => assertConnection(connect(), '@sf/query')).not.toThrow();
  });
});
