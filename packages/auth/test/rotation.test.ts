// Refresh-token rotation (the connected app's "Enable Refresh Token Rotation"): every refresh
// answers a new refresh token and the old one stops working, so a strategy that keeps using the
// first one logs its user out at the second renewal.

import {
  authorizationCodeAuth,
  createMultiUser,
  MemoryTokenStore,
  refreshTokenAuth,
  type TokenStore,
} from '@sf/auth';
import { type Credentials, createConnection } from '@sf/core';
import { startEmulator } from '@sf/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clientFor, type Emulator, issued, tokenRequests } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, rotateRefreshTokens: true });
});
afterAll(() => emu.close());

/** The emulator refuses a refresh token that rotation replaced. */
async function expectRefused(refreshToken: string): Promise<void> {
  await expect(clientFor(emu).refresh(refreshToken)).rejects.toMatchObject({
    code: 'AUTH_FAILED',
    errorCode: 'invalid_grant',
  });
}

describe('refresh-token rotation', () => {
  it('refreshTokenAuth: the refresh event carries the new refresh token, and the next renewal uses it', async () => {
    const first = issued(emu);
    const conn = createConnection({ auth: refreshTokenAuth(clientFor(emu), first) });
    const events: Credentials[] = [];
    conn.on('refresh', (c) => events.push(c));
    await conn.resources();

    emu.faults.expireAllTokens();
    await conn.resources();
    expect(events).toHaveLength(1);
    const second = events[0]!.refreshToken!;
    expect(second).toMatch(/^5Aep/);
    expect(second).not.toBe(first.refreshToken);
    expect((await conn.credentials()).refreshToken).toBe(second);
    await expectRefused(first.refreshToken);

    emu.faults.expireAllTokens();
    emu.resetRequests();
    await conn.resources();
    expect(tokenRequests(emu)).toBe(1);
    expect(events).toHaveLength(2);
    expect(events[1]!.refreshToken).not.toBe(second);
    await expectRefused(second);
  });

  it('refreshTokenAuth from a refresh token alone: the first refresh already rotates', async () => {
    const { refreshToken } = issued(emu);
    const conn = createConnection({ auth: refreshTokenAuth(clientFor(emu), { refreshToken }) });
    await conn.resources();
    const now = (await conn.credentials()).refreshToken!;
    expect(now).not.toBe(refreshToken);
    await expectRefused(refreshToken);
    emu.faults.expireAllTokens();
    await conn.resources();
    expect((await conn.credentials()).refreshToken).not.toBe(now);
  });

  it('authorizationCodeAuth: renewals rotate the refresh token the code exchange issued', async () => {
    const client = clientFor(emu);
    const { url, state } = client.getAuthorizationUrl({ scope: 'api refresh_token' });
    const code = (await approve(url)).searchParams.get('code')!;
    const conn = createConnection({ auth: authorizationCodeAuth(client, code, { state }) });
    const events: Credentials[] = [];
    conn.on('refresh', (c) => events.push(c));
    await conn.resources();
    const fromExchange = (await conn.credentials()).refreshToken!;
    expect(fromExchange).toMatch(/^5Aep/);

    for (let i = 0; i < 2; i++) {
      emu.faults.expireAllTokens();
      await conn.resources();
    }
    expect(events.map((e) => e.refreshToken)).toEqual([
      expect.stringMatching(/^5Aep/),
      expect.stringMatching(/^5Aep/),
    ]);
    expect(new Set([fromExchange, ...events.map((e) => e.refreshToken)]).size).toBe(3);
    await expectRefused(fromExchange);
    await expectRefused(events[0]!.refreshToken!);
  });

  it('multi-user: the store holds the new refresh token, and a restarted app (new helper, same store) still renews', async () => {
    const store = new MemoryTokenStore();
    const base = createConnection({ instanceUrl: emu.instanceUrl });
    const users = createMultiUser({ connection: base, store, client: clientFor(emu) });
    const first = issued(emu);
    await users.save('alice', first);
    const alice = users.connectionFor('alice');
    const events: Credentials[] = [];
    alice.on('refresh', (c) => events.push(c));
    await alice.resources();

    emu.faults.expireAllTokens();
    await alice.resources();
    const stored = await store.get('alice');
    expect(stored!.refreshToken).not.toBe(first.refreshToken);
    expect(events[0]!.refreshToken).toBe(stored!.refreshToken);
    await expectRefused(first.refreshToken);

    // A restart: nothing in memory, only the store.
    const restarted = createMultiUser({ connection: base, store, client: clientFor(emu) });
    emu.faults.expireAllTokens();
    await restarted.connectionFor('alice').resources();
    const afterRestart = await store.get('alice');
    expect(afterRestart!.refreshToken).not.toBe(stored!.refreshToken);
    await expectRefused(stored!.refreshToken!);
  });

  it('multi-user, two processes sharing a store: the one that loses the rotation race takes the winner’s token from the store', async () => {
    const shared = new MemoryTokenStore();
    const base = createConnection({ instanceUrl: emu.instanceUrl });
    await shared.set('bob', issued(emu));
    const before = (await shared.get('bob'))!;
    // Process B read the store just before process A wrote the rotated token: its first read
    // in the renewal sees the old entry.
    let stale = false;
    const storeB: TokenStore = {
      get: async (key) => {
        if (stale) {
          stale = false;
          return { ...before };
        }
        return shared.get(key);
      },
      set: (key, c) => shared.set(key, c),
      delete: (key) => shared.delete(key),
    };
    const a = createMultiUser({ connection: base, store: shared, client: clientFor(emu) }).connectionFor(
      'bob',
    );
    const b = createMultiUser({ connection: base, store: storeB, client: clientFor(emu) }).connectionFor(
      'bob',
    );
    await a.resources();
    await b.resources();

    emu.faults.expireAllTokens();
    await a.resources(); // rotates and stores the new token
    stale = true;
    await b.resources(); // its refresh with the old token is refused; the store has the new one
    const now = (await shared.get('bob'))!;
    expect(now.refreshToken).not.toBe(before.refreshToken);
    expect((await b.credentials()).accessToken).toBe(now.accessToken);
  });
});
