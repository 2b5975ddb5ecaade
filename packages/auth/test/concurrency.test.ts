import { passwordAuth, refreshTokenAuth } from '@sf/auth';
import { type Credentials, createConnection } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, type Emulator, emulator, emulatorUser, tokenRequests, issued } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

describe('renewal across an expiry', () => {
  it('20 concurrent requests after expireAllTokens cause exactly one renewal, one refresh event, and all succeed', async () => {
    const conn = createConnection({ auth: refreshTokenAuth(clientFor(emu), issued(emu)) });
    const events: Credentials[] = [];
    conn.on('refresh', (c) => events.push(c));
    await conn.resources();
    emu.faults.expireAllTokens();
    emu.resetRequests();
    const results = await Promise.all(Array.from({ length: 20 }, () => conn.fetchLimits()));
    expect(results).toHaveLength(20);
    for (const limits of results) expect(limits).toHaveProperty('DailyApiRequests');
    expect(tokenRequests(emu)).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]!.refreshToken).toBeDefined();
  });

  it('the same holds for a flow that renews by logging in again (password)', async () => {
    const conn = createConnection({ auth: passwordAuth(clientFor(emu), emulatorUser(emu)) });
    const events: Credentials[] = [];
    conn.on('refresh', (c) => events.push(c));
    await conn.resources();
    emu.faults.expireAllTokens();
    emu.resetRequests();
    await Promise.all(Array.from({ length: 20 }, () => conn.resources()));
    expect(tokenRequests(emu)).toBe(1);
    expect(events).toHaveLength(1);
  });
});
