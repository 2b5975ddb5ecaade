// Refresh-token rotation, as a connected app with "Enable Refresh Token Rotation" behaves: each
// refresh answers a new refresh_token and the one just used stops working.

import { describe, expect, it } from 'vitest';
import { api, tokenRequest, useEmulator } from './helpers.js';

describe('refresh-token rotation off (the default)', () => {
  const emu = useEmulator();

  it('a refresh answers no refresh_token and the same refresh token keeps working', async () => {
    const c = emu().credentials;
    const { refreshToken } = emu().issueToken();
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: c.clientId };
    const first = await tokenRequest(emu(), form);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeUndefined();
    expect((await tokenRequest(emu(), form)).status).toBe(200);
  });
});

describe('refresh-token rotation on (rotateRefreshTokens: true)', () => {
  const emu = useEmulator({ rotateRefreshTokens: true });
  const refresh = (refreshToken: string) =>
    tokenRequest(emu(), {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: emu().credentials.clientId,
      client_secret: emu().credentials.clientSecret,
    });

  it('each refresh answers a new refresh token; the old one is refused with invalid_grant', async () => {
    const { refreshToken: first, accessToken: firstAccess } = emu().issueToken();
    const a = await refresh(first);
    expect(a.status).toBe(200);
    const second = a.body.refresh_token as string;
    expect(second).toMatch(/^5Aep/);
    expect(second).not.toBe(first);
    expect((await api(emu(), 'GET', 'limits', { token: a.body.access_token })).status).toBe(200);

    const reused = await refresh(first);
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });

    const b = await refresh(second);
    expect(b.status).toBe(200);
    const third = b.body.refresh_token as string;
    expect(third).not.toBe(second);
    expect((await refresh(second)).status).toBe(400);

    // Access tokens issued along the way keep working until they expire, and revoking the
    // newest refresh token ends every one of them.
    expect((await api(emu(), 'GET', 'limits', { token: firstAccess })).status).toBe(200);
    const revoke = await fetch(`${emu().url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: third }).toString(),
    });
    expect(revoke.status).toBe(200);
    for (const token of [firstAccess, a.body.access_token, b.body.access_token]) {
      expect((await api(emu(), 'GET', 'limits', { token })).status).toBe(401);
    }
    expect((await refresh(third)).status).toBe(400);
  });

  it('the password grant still issues no refresh token under rotation', async () => {
    const c = emu().credentials;
    const res = await tokenRequest(emu(), {
      grant_type: 'password',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      username: c.username,
      password: c.password + c.securityToken,
    });
    expect(res.body.refresh_token).toBeUndefined();
  });

  it('two refreshes racing with the same old token: one wins, the other is refused', async () => {
    const { refreshToken } = emu().issueToken();
    const [x, y] = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect([x.status, y.status].sort()).toEqual([200, 400]);
  });
});
