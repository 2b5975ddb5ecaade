import { describe, expect, it, vi } from 'vitest';
import { api, tokenRequest, useEmulator } from './helpers.js';

describe('fault injection', () => {
  const emu = useEmulator();

  it('expireAllTokens and expireToken make tokens fail with 401; refresh still works', async () => {
    const a = emu().issueToken();
    const b = emu().issueToken();
    emu().faults.expireToken(a.accessToken);
    expect((await api(emu(), 'GET', 'limits', { token: a.accessToken })).status).toBe(401);
    expect((await api(emu(), 'GET', 'limits', { token: b.accessToken })).status).toBe(200);
    emu().faults.expireAllTokens();
    expect((await api(emu(), 'GET', 'limits', { token: b.accessToken })).status).toBe(401);
    const c = emu().credentials;
    const refreshed = await tokenRequest(emu(), {
      grant_type: 'refresh_token',
      client_id: c.clientId,
      refresh_token: b.refreshToken,
    });
    expect(refreshed.status).toBe(200);
  });

  it('failNext with a status: counted, with Retry-After, then normal again', async () => {
    emu().faults.failNext(2, { status: 503, retryAfter: 3 });
    const first = await api(emu(), 'GET', 'limits');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await api(emu(), 'GET', 'limits')).status).toBe(503);
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
    expect(emu().faults.pending).toBe(0);
  });

  it('failNext limited to a path prefix or RegExp leaves other paths alone', async () => {
    emu().faults.failNext(1, { status: 500 }, { path: '/services/oauth2/token' });
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
    const c = emu().credentials;
    const form = { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret };
    emu().resetRequests();
    expect((await tokenRequest(emu(), form)).status).toBe(500);
    expect((await tokenRequest(emu(), form)).status).toBe(200);
    expect(emu().requests.filter((r) => r.path === '/services/oauth2/token')).toHaveLength(2);
    expect(emu().requests[0]).toMatchObject({ status: 500, fault: 'status 500' });
    emu().faults.failNext(1, { status: 502 }, { path: /\/sobjects$/ });
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
    expect((await api(emu(), 'GET', 'sobjects')).status).toBe(502);
  });

  it("'REQUEST_LIMIT_EXCEEDED' answers 403 in Salesforce's shape", async () => {
    emu().faults.failNext(1, 'REQUEST_LIMIT_EXCEEDED');
    const res = await api(emu(), 'GET', 'limits');
    expect(res.status).toBe(403);
    expect(res.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
  });

  it("'html' answers an HTML maintenance page", async () => {
    emu().faults.failNext(1, 'html');
    const res = await api(emu(), 'GET', 'limits');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<html>');
  });

  it("'truncated' closes the connection before the promised body arrives", async () => {
    emu().faults.failNext(1, 'truncated');
    const res = await fetch(`${emu().url}/services/data/v64.0/limits`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
  });

  it("'truncated-json' sends a complete response whose JSON is cut off", async () => {
    emu().faults.failNext(1, 'truncated-json');
    const res = await fetch(`${emu().url}/services/data/v64.0/limits`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it("'reset' destroys the connection before any response", async () => {
    emu().faults.failNext(1, 'reset');
    await expect(fetch(`${emu().url}/services/data/v64.0/limits`)).rejects.toThrow(TypeError);
    expect(emu().requests.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
  });

  it("'reset-mid-body' sends headers and part of the body, then destroys the connection", async () => {
    emu().faults.failNext(1, 'reset-mid-body');
    const res = await fetch(`${emu().url}/services/data/v64.0/limits`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('latency delays requests until cleared', async () => {
    emu().faults.latency(120);
    const start = Date.now();
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    emu().faults.latency(0);
    emu().faults.failNext(5, { status: 500 });
    emu().faults.clear();
    expect(emu().faults.pending).toBe(0);
    expect((await api(emu(), 'GET', 'limits')).status).toBe(200);
  });

  it('close() returns promptly even with a request waiting on latency', async () => {
    const { startEmulator } = await import('../src/index.js');
    const other = await startEmulator();
    // Ten minutes of latency: if close() waited for the request, the test's timeout would end it.
    other.faults.latency(600_000);
    const pending = fetch(`${other.url}/services/data/`).catch((e: unknown) => e);
    // The request is logged before it waits out the latency.
    await vi.waitFor(() => expect(other.requests).toHaveLength(1));
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
