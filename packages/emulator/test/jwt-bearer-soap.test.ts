import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { api, tokenRequest, useEmulator } from './helpers.js';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const keys = pair();
const forger = pair();

function jwt(
  claims: Record<string, unknown>,
  privateKey: string,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('JWT bearer grant', () => {
  const emu = useEmulator({ jwtPublicKey: keys.publicKey });
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: emu().credentials.clientId,
    sub: emu().credentials.username,
    aud: emu().loginUrl,
    exp: Math.floor(Date.now() / 1000) + 180,
    ...over,
  });
  const grant = (assertion: string) => tokenRequest(emu(), { grant_type: GRANT, assertion });

  it('issues an access token (no refresh token) for a valid assertion; it works for REST', async () => {
    const res = await grant(jwt(claims(), keys.privateKey));
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^00D/);
    expect(res.body.refresh_token).toBeUndefined();
    expect(res.body.id).toMatch(/\/id\/00D\w+\/005\w+$/);
    expect((await api(emu(), 'GET', 'limits', { token: res.body.access_token })).status).toBe(200);
  });

  it.each([
    ['a bad signature', () => jwt(claims(), forger.privateKey), 'invalid assertion'],
    [
      'a wrong audience',
      () => jwt(claims({ aud: 'https://evil.example.com' }), keys.privateKey),
      'audience is invalid',
    ],
    [
      'a wrong issuer',
      () => jwt(claims({ iss: 'someone-else' }), keys.privateKey),
      'client identifier invalid',
    ],
    [
      'an unknown user',
      () => jwt(claims({ sub: 'nobody@example.com' }), keys.privateKey),
      "user hasn't approved this consumer",
    ],
    [
      'an expired assertion',
      () => jwt(claims({ exp: Math.floor(Date.now() / 1000) - 120 }), keys.privateKey),
      'expired assertion',
    ],
    [
      'an exp beyond 3 minutes',
      () => jwt(claims({ exp: Math.floor(Date.now() / 1000) + 3600 }), keys.privateKey),
      'invalid assertion expiry',
    ],
    ['another algorithm', () => jwt(claims(), keys.privateKey, { alg: 'HS256' }), 'invalid assertion'],
    ['garbage', () => 'not.a.jwt', 'invalid assertion'],
  ])('refuses %s with 400 invalid_grant', async (_name, make, description) => {
    const res = await grant(make());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: description });
  });

  it('an emulator without a registered key refuses every assertion; registerJwtKey adds one', async () => {
    const bare = await startEmulator({ port: 0 });
    try {
      const assertion = () =>
        jwt(
          {
            iss: bare.credentials.clientId,
            sub: bare.credentials.username,
            aud: bare.loginUrl,
            exp: Math.floor(Date.now() / 1000) + 60,
          },
          keys.privateKey,
        );
      expect((await tokenRequest(bare, { grant_type: GRANT, assertion: assertion() })).body.error).toBe(
        'invalid_grant',
      );
      bare.registerJwtKey(keys.publicKey);
      expect((await tokenRequest(bare, { grant_type: GRANT, assertion: assertion() })).status).toBe(200);
      expect(() => bare.registerJwtKey('not a key')).toThrow(/PEM/);
    } finally {
      await bare.close();
    }
  });

  it.skipIf(!hasOpenssl())('accepts an X.509 certificate as the connected app key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-jwt-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=emulator-test',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const withCert = await startEmulator({
        port: 0,
        jwtPublicKey: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      });
      try {
        const assertion = jwt(
          {
            iss: withCert.credentials.clientId,
            sub: withCert.credentials.username,
            aud: withCert.loginUrl,
            exp: Math.floor(Date.now() / 1000) + 60,
          },
          readFileSync(join(dir, 'key.pem'), 'utf8'),
        );
        expect((await tokenRequest(withCert, { grant_type: GRANT, assertion })).status).toBe(200);
      } finally {
        await withCert.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('refresh tokens only where Salesforce issues them', () => {
  const emu = useEmulator({ jwtPublicKey: keys.publicKey });

  it('web-server flow yes; password, client credentials and JWT bearer no; a revoked one is refused', async () => {
    const c = emu().credentials;
    const password = await tokenRequest(emu(), {
      grant_type: 'password',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      username: c.username,
      password: c.password + c.securityToken,
    });
    expect(password.body.refresh_token).toBeUndefined();
    const cc = await tokenRequest(emu(), {
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    expect(cc.body.refresh_token).toBeUndefined();
    const jwtGrant = await tokenRequest(emu(), {
      grant_type: GRANT,
      assertion: jwt(
        { iss: c.clientId, sub: c.username, aud: emu().loginUrl, exp: Math.floor(Date.now() / 1000) + 60 },
        keys.privateKey,
      ),
    });
    expect(jwtGrant.body.refresh_token).toBeUndefined();

    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:9/cb';
    const authorize = await fetch(
      `${emu().url}/services/oauth2/authorize?response_type=code&client_id=${c.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=s1&code_challenge=${challenge}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const web = await tokenRequest(emu(), {
      grant_type: 'authorization_code',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(web.body.refresh_token).toMatch(/^5Aep/);

    const revoke = await fetch(`${emu().url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: web.body.refresh_token }).toString(),
    });
    expect(revoke.status).toBe(200);
    const again = await tokenRequest(emu(), {
      grant_type: 'refresh_token',
      client_id: c.clientId,
      refresh_token: web.body.refresh_token,
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await api(emu(), 'GET', 'limits', { token: web.body.access_token })).status).toBe(401);
  });
});

describe('SOAP login and logout', () => {
  const emu = useEmulator();
  const envelope = (body: string, header = '') =>
    `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">` +
    `${header ? `<env:Header>${header}</env:Header>` : ''}<env:Body>${body}</env:Body></env:Envelope>`;
  const loginBody = (username: string, password: string) =>
    envelope(
      `<n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${username}</n1:username><n1:password>${password}</n1:password></n1:login>`,
    );
  const post = async (path: string, body: string, action: string) => {
    const res = await fetch(`${emu().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: action },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

  it('login returns sessionId, serverUrl, userId and userInfo; the session id is a REST bearer token; logout ends it', async () => {
    const c = emu().credentials;
    const res = await post(
      '/services/Soap/u/64.0',
      loginBody(c.username, c.password + c.securityToken),
      'login',
    );
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
    expect(res.text).toContain('<loginResponse><result>');
    const sessionId = tag(res.text, 'sessionId')!;
    const serverUrl = tag(res.text, 'serverUrl')!;
    expect(sessionId).toMatch(/^00D\w{12}!AQ/);
    expect(serverUrl).toBe(`${emu().url}/services/Soap/u/64.0/${emu().orgId}`);
    expect(tag(res.text, 'userId')).toMatch(/^005/);
    expect(tag(res.text, 'organizationId')).toBe(emu().orgId);
    expect(tag(res.text, 'userName')).toBe(c.username);
    expect(Number(tag(res.text, 'sessionSecondsValid'))).toBe(7200);
    expect((await api(emu(), 'GET', 'limits', { token: sessionId })).status).toBe(200);

    const header = `<n1:SessionHeader xmlns:n1="urn:partner.soap.sforce.com"><n1:sessionId>${sessionId}</n1:sessionId></n1:SessionHeader>`;
    const out = await post(
      new URL(serverUrl).pathname,
      envelope('<n1:logout xmlns:n1="urn:partner.soap.sforce.com"/>', header),
      'logout',
    );
    expect(out.status).toBe(200);
    expect(out.text).toContain('<logoutResponse/>');
    expect((await api(emu(), 'GET', 'limits', { token: sessionId })).status).toBe(401);
    const twice = await post(
      new URL(serverUrl).pathname,
      envelope('<n1:logout xmlns:n1="urn:partner.soap.sforce.com"/>', header),
      'logout',
    );
    expect(twice.status).toBe(500);
    expect(tag(twice.text, 'faultcode')).toBe('sf:INVALID_SESSION_ID');
  });

  it('a wrong password (or a missing security token) is a 500 SOAP fault sf:INVALID_LOGIN', async () => {
    const c = emu().credentials;
    for (const password of ['wrong', c.password]) {
      const res = await post('/services/Soap/u/64.0', loginBody(c.username, password), 'login');
      expect(res.status).toBe(500);
      expect(res.text).toContain('<soapenv:Fault>');
      expect(tag(res.text, 'faultcode')).toBe('sf:INVALID_LOGIN');
      expect(tag(res.text, 'faultstring')).toBe(
        'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
      );
      expect(res.text).toContain('<sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>');
    }
  });

  it('login() is gone from API 65.0 on; malformed XML is a client fault', async () => {
    const c = emu().credentials;
    const v65 = await post(
      '/services/Soap/u/65.0',
      loginBody(c.username, c.password + c.securityToken),
      'login',
    );
    expect(v65.status).toBe(500);
    expect(tag(v65.text, 'faultcode')).toBe('sf:UNSUPPORTED_API_VERSION');
    const bad = await post('/services/Soap/u/64.0', '<not xml', 'login');
    expect(bad.status).toBe(500);
    expect(tag(bad.text, 'faultcode')).toBe('soapenv:Client');
  });
});
