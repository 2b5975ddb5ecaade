import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, tokenRequest, useEmulator } from './helpers.js';

describe('OAuth token endpoint', () => {
  const emu = useEmulator();
  const password = () => {
    const c = emu().credentials;
    return {
      grant_type: 'password',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      username: c.username,
      password: c.password + c.securityToken,
    };
  };

  it('password grant: issues a signed token without a refresh token', async () => {
    const res = await tokenRequest(emu(), password());
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.token_type).toBe('Bearer');
    expect(body.instance_url).toBe(emu().url);
    expect(body.id).toMatch(new RegExp(`^${emu().url}/id/00D[a-zA-Z0-9]{15}/005[a-zA-Z0-9]{15}$`));
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.access_token).toMatch(/^00D[a-zA-Z0-9]{12}!AQ/);
    expect(body.refresh_token).toBeUndefined();
    expect(typeof body.scope).toBe('string');
    const expected = createHmac('sha256', emu().credentials.clientSecret)
      .update(body.id + body.issued_at)
      .digest('base64');
    expect(body.signature).toBe(expected);
    const limits = await api(emu(), 'GET', 'limits', { token: body.access_token });
    expect(limits.status).toBe(200);
  });

  it('password grant: the password alone (without the security token) fails', async () => {
    const res = await tokenRequest(emu(), { ...password(), password: emu().credentials.password });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    const wrongUser = await tokenRequest(emu(), { ...password(), username: 'nobody@example.com' });
    expect(wrongUser.body.error).toBe('invalid_grant');
  });

  it('rejects an unknown client id and a wrong secret', async () => {
    const unknown = await tokenRequest(emu(), { ...password(), client_id: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    const wrong = await tokenRequest(emu(), { ...password(), client_secret: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('rejects unsupported and missing grant types', async () => {
    const res = await tokenRequest(emu(), { grant_type: 'magic' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest(emu(), {})).body.error).toBe('unsupported_grant_type');
  });

  it('client_credentials: body or HTTP Basic; runs as the integration user; no refresh token', async () => {
    const c = emu().credentials;
    const inBody = await tokenRequest(emu(), {
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
    expect(inBody.status).toBe(200);
    expect(inBody.body.refresh_token).toBeUndefined();
    const adminId = emu().issueToken().id;
    expect(inBody.body.id).not.toBe(adminId);
    const basic = Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64');
    const viaBasic = await tokenRequest(
      emu(),
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(200);
    const bad = await tokenRequest(emu(), {
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('refresh_token: issues a new access token; an unknown one fails', async () => {
    const issued = emu().issueToken();
    const c = emu().credentials;
    const res = await tokenRequest(emu(), {
      grant_type: 'refresh_token',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      refresh_token: issued.refreshToken,
    });
    expect(res.status).toBe(200);
    expect(res.body.access_token).not.toBe(issued.accessToken);
    expect(res.body.id).toBe(issued.id);
    expect((await api(emu(), 'GET', 'limits', { token: res.body.access_token })).status).toBe(200);
    const bad = await tokenRequest(emu(), {
      grant_type: 'refresh_token',
      client_id: c.clientId,
      refresh_token: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
  });

  it('revoke: a refresh token takes its access tokens with it; unknown tokens are refused', async () => {
    const issued = emu().issueToken();
    const revoke = (token: string) =>
      fetch(`${emu().url}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
    const ok = await revoke(issued.refreshToken);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    const after = await api(emu(), 'GET', 'limits', { token: issued.accessToken });
    expect(after.status).toBe(401);
    const again = await revoke(issued.refreshToken);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'unsupported_token_type',
      error_description: 'this token type is not supported',
    });
  });

  it('revoking an access token leaves other tokens working', async () => {
    const a = emu().issueToken();
    const b = emu().issueToken();
    const res = await fetch(`${emu().url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(a.accessToken)}`,
    });
    expect(res.status).toBe(200);
    expect((await api(emu(), 'GET', 'limits', { token: a.accessToken })).status).toBe(401);
    expect((await api(emu(), 'GET', 'limits', { token: b.accessToken })).status).toBe(200);
  });

  it('authorization code with PKCE: authorize redirects with code and state; the verifier is checked', async () => {
    const c = emu().credentials;
    const verifier = 'a'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = async () => {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: c.clientId,
        redirect_uri: 'http://localhost:3000/callback',
        state: 'xyz',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const res = await fetch(`${emu().url}/services/oauth2/authorize?${q}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe('http://localhost:3000/callback');
      expect(location.searchParams.get('state')).toBe('xyz');
      return location.searchParams.get('code') ?? '';
    };
    const exchange = (code: string, codeVerifier: string) =>
      tokenRequest(emu(), {
        grant_type: 'authorization_code',
        code,
        client_id: c.clientId,
        redirect_uri: 'http://localhost:3000/callback',
        code_verifier: codeVerifier,
      });
    const badVerifier = await exchange(await authorize(), 'b'.repeat(50));
    expect(badVerifier.status).toBe(400);
    expect(badVerifier.body.error).toBe('invalid_grant');
    const code = await authorize();
    const ok = await exchange(code, verifier);
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toMatch(/^5Aep/);
    const reused = await exchange(code, verifier);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('access tokens expire after tokenLifetimeSeconds', async () => {
    const { startEmulator } = await import('../src/index.js');
    // A second of lifetime: long enough for the first call on a loaded machine, short to wait out.
    const short = await startEmulator({ tokenLifetimeSeconds: 1 });
    try {
      const { accessToken } = short.issueToken();
      expect((await api(short, 'GET', 'limits', { token: accessToken })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_100));
      const res = await api(short, 'GET', 'limits', { token: accessToken });
      expect(res.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});
