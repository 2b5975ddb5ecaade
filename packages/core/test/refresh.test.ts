import { createConnection, type Credentials } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator, refreshingStrategy, tokenRequests } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

describe('refresh on 401', () => {
  it('renews once for 20 concurrent requests on an expired token, and all succeed', async () => {
    const issued = emu.issueToken();
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    const refreshed: Credentials[] = [];
    conn.on('refresh', (c) => refreshed.push(c));
    await conn.resources();
    emu.faults.expireAllTokens();
    emu.resetRequests();
    const results = await Promise.all(Array.from({ length: 20 }, () => conn.fetchLimits()));
    expect(results).toHaveLength(20);
    expect(strategy.renewals).toBe(1);
    expect(tokenRequests(emu)).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(issued.accessToken);
  });

  it('renews shortly before a known expiry, without a 401', async () => {
    const issued = emu.issueToken();
    const strategy = refreshingStrategy(emu, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      // A session of 10.5 minutes, 30 s from its end: inside the 60 s margin.
      issuedAt: Date.now() - 600_000,
      expiresAt: Date.now() + 30_000,
    });
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    await conn.resources(); // first use logs in with the initial credentials...
    emu.resetRequests();
    await conn.resources(); // ...and the next sees the expiry within a minute and renews first
    expect(strategy.renewals).toBe(1);
    expect(emu.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('gives AUTH_FAILED when the token expires and cannot be renewed', async () => {
    const issued = emu.issueToken();
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: issued.accessToken });
    emu.faults.expireToken(issued.accessToken);
    await expect(conn.resources()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      errorCode: 'INVALID_SESSION_ID',
    });
  });
});
