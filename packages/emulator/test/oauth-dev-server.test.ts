// The emulator as a developer's server: it must not be reachable from a web page on another
// site (DNS rebinding makes the browser send that site's name in Host), and /authorize must
// hand codes only to registered redirect URIs.

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ port: 0, ...options });
  return emu;
}

/** One request with a Host header of our choosing (fetch will not let us set it). */
function withHost(
  e: Emulator,
  host: string | undefined,
  options: { method?: string; path?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: e.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/services/data/',
        setHost: false,
        headers: { ...(host === undefined ? {} : { host }), ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const passwordForm = (e: Emulator) => {
  const c = e.credentials;
  return new URLSearchParams({
    grant_type: 'password',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    username: c.username,
    password: c.password + c.securityToken,
  }).toString();
};

describe('Host allow-list (against DNS rebinding)', () => {
  it('answers 127.0.0.1, localhost and [::1] with any port, in any case', async () => {
    const e = await start();
    for (const host of [
      `127.0.0.1:${e.port}`,
      '127.0.0.1',
      `localhost:${e.port}`,
      'LocalHost',
      `[::1]:${e.port}`,
      '[::1]',
    ]) {
      expect((await withHost(e, host)).status, host).toBe(200);
    }
  });

  it('refuses any other Host with 403 before doing anything: no token from the well-known credentials', async () => {
    const e = await start();
    for (const host of [
      'evil.example',
      `evil.example:${e.port}`,
      '127.0.0.1.evil.example',
      'localhost.evil.example:80',
      '10.0.0.5',
      '[::2]:1',
      '',
    ]) {
      const res = await withHost(e, host, {
        method: 'POST',
        path: '/services/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: passwordForm(e),
      });
      expect(res.status, host).toBe(403);
      expect(res.body, host).not.toContain('access_token');
      expect(JSON.parse(res.body)).toEqual([expect.objectContaining({ errorCode: 'HOST_NOT_ALLOWED' })]);
    }
    // A request without any Host header is refused too (HTTP/1.1 requires one: Node's own
    // parser answers 400 before the emulator sees it).
    expect([400, 403]).toContain((await withHost(e, undefined)).status);
    // The same request with a loopback Host works.
    const ok = await withHost(e, `127.0.0.1:${e.port}`, {
      method: 'POST',
      path: '/services/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: passwordForm(e),
    });
    expect(ok.status).toBe(200);
    expect(e.requests.filter((r) => r.status === 403).length).toBeGreaterThan(0);
  });

  it('covers the CometD endpoint and authenticated REST alike', async () => {
    const e = await start();
    const { accessToken } = e.issueToken();
    const handshake = JSON.stringify([
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] },
    ]);
    const cometd = (host: string) =>
      withHost(e, host, {
        method: 'POST',
        path: '/cometd/64.0',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: handshake,
      });
    expect((await cometd('evil.example')).status).toBe(403);
    const good = await cometd(`localhost:${e.port}`);
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)[0]).toMatchObject({ successful: true });
    const rest = (host: string) =>
      withHost(e, host, {
        path: '/services/data/v64.0/limits',
        headers: { authorization: `Bearer ${accessToken}` },
      });
    expect((await rest('evil.example')).status).toBe(403);
    expect((await rest(`127.0.0.1:${e.port}`)).status).toBe(200);
  });

  it('allowedHosts adds host names (any port); "*" switches the check off', async () => {
    const e = await start({ allowedHosts: ['emulator.internal', 'Docker.Host'] });
    expect((await withHost(e, 'emulator.internal:8080')).status).toBe(200);
    expect((await withHost(e, 'docker.host')).status).toBe(200);
    expect((await withHost(e, '127.0.0.1')).status).toBe(200);
    expect((await withHost(e, 'evil.example')).status).toBe(403);
    await e.close();
    const open = await start({ allowedHosts: '*' });
    expect((await withHost(open, 'evil.example')).status).toBe(200);
  });

  it('rejects a bad allowedHosts option at start', async () => {
    await expect(startEmulator({ port: 0, allowedHosts: ['evil.example:80'] })).rejects.toThrow(
      /allowedHosts/,
    );
    await expect(startEmulator({ port: 0, allowedHosts: 'all' as never })).rejects.toThrow(/allowedHosts/);
  });
});

describe('/authorize redirects only to registered redirect URIs', () => {
  const authorize = (e: Emulator, redirectUri: string | undefined, extra: Record<string, string> = {}) => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: e.credentials.clientId,
      state: 's1',
      ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri }),
      ...extra,
    });
    return fetch(`${e.url}/services/oauth2/authorize?${q}`, { redirect: 'manual' });
  };

  it('by default: loopback http(s) URIs on any port and path are redirected to, others refused without a redirect', async () => {
    const e = await start();
    for (const uri of [
      'http://localhost:3000/oauth2/callback',
      'http://127.0.0.1:9/cb',
      'https://[::1]:8443/x?y=1',
      'http://LOCALHOST/cb',
    ]) {
      const res = await authorize(e, uri);
      expect(res.status, uri).toBe(302);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.searchParams.get('code'), uri).toMatch(/^aPrx/);
      expect(location.searchParams.get('state')).toBe('s1');
    }
    for (const uri of [
      'https://evil.example/steal',
      'http://localhost.evil.example/cb',
      'http://127.0.0.1.nip.io/cb',
      'javascript:alert(1)',
      'not a url',
      'ftp://localhost/cb',
    ]) {
      const res = await authorize(e, uri);
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
      expect(await res.json()).toEqual({
        error: 'redirect_uri_mismatch',
        error_description: 'redirect_uri must match configuration',
      });
    }
    // Even an unsupported response_type is not reported to an unregistered URI.
    const refused = await authorize(e, 'https://evil.example/steal', { response_type: 'token' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
  });

  it('redirectUris: a list is matched exactly (and replaces the loopback default); "*" allows any URI', async () => {
    const e = await start({ redirectUris: ['https://app.example/oauth2/callback'] });
    expect((await authorize(e, 'https://app.example/oauth2/callback')).status).toBe(302);
    expect((await authorize(e, 'https://app.example/oauth2/callback/')).status).toBe(400);
    expect((await authorize(e, 'https://app.example/other')).status).toBe(400);
    expect((await authorize(e, 'http://localhost:3000/cb')).status).toBe(400);
    await e.close();
    const open = await start({ redirectUris: '*' });
    expect((await authorize(open, 'https://anywhere.example/cb')).status).toBe(302);
  });

  it('rejects a bad redirectUris option at start', async () => {
    await expect(startEmulator({ port: 0, redirectUris: ['not a url'] })).rejects.toThrow(/redirectUris/);
    await expect(startEmulator({ port: 0, redirectUris: 'any' as never })).rejects.toThrow(/redirectUris/);
  });
});
