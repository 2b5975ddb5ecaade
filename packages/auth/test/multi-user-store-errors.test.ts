// A token store that fails to save a renewal (a database or Redis outage) must be reported: the
// request still succeeds on the new token held in memory, but with refresh-token rotation the
// store now holds a refresh token that no longer works, so the user would be logged out at the
// next restart without anyone knowing why.

import { createMultiUser, MemoryTokenStore, type TokenStore } from '@sf/auth';
import { type Credentials, createConnection, SalesforceError } from '@sf/core';
import { startEmulator } from '@sf/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, type Emulator, issued } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, rotateRefreshTokens: true });
});
afterAll(() => emu.close());

/** A MemoryTokenStore whose writes fail while `failing` is set. */
class FlakyStore implements TokenStore {
  readonly inner = new MemoryTokenStore();
  failing = false;
  writes = 0;
  get(key: string) {
    return this.inner.get(key);
  }
  async set(key: string, credentials: Credentials) {
    this.writes++;
    if (this.failing) throw new Error('connection to the token database lost');
    await this.inner.set(key, credentials);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

describe('multi-user: token store write failures', () => {
  it('onStoreError is told (STORE_FAILED, the user key, the cause); the request succeeds and later renewals use the new token', async () => {
    const store = new FlakyStore();
    const reported: Array<{ error: SalesforceError; userKey: string }> = [];
    const users = createMultiUser({
      connection: createConnection({ instanceUrl: emu.instanceUrl }),
      store,
      client: clientFor(emu),
      onStoreError: (error, userKey) => reported.push({ error, userKey }),
    });
    const first = issued(emu);
    await users.save('alice', first);
    const alice = users.connectionFor('alice');
    await alice.resources();

    store.failing = true;
    emu.faults.expireAllTokens();
    await alice.resources();
    expect(reported).toHaveLength(1);
    const { error, userKey } = reported[0]!;
    expect(userKey).toBe('alice');
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(error.message).toMatch(/^\[@sf\/auth\] /);
    expect((error.cause as Error).message).toBe('connection to the token database lost');
    const inMemory = await alice.credentials();
    for (const secret of [
      first.accessToken,
      first.refreshToken,
      inMemory.accessToken,
      inMemory.refreshToken!,
    ]) {
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(error.message).not.toContain(secret);
    }
    // The store still holds the first (now refused) refresh token; the connection renews with
    // the one it holds, not the stale stored one.
    expect((await store.get('alice'))!.refreshToken).toBe(first.refreshToken);
    emu.faults.expireAllTokens();
    await alice.resources();
    expect(reported).toHaveLength(2);

    // Once the store works again, the next renewal is saved.
    store.failing = false;
    emu.faults.expireAllTokens();
    await alice.resources();
    expect(reported).toHaveLength(2);
    const saved = (await store.get('alice'))!;
    expect(saved.refreshToken).toBe((await alice.credentials()).refreshToken);
    expect(saved.accessToken).toBe((await alice.credentials()).accessToken);
  });

  it('without onStoreError the failure is a process warning, never silent and never a crash', async () => {
    const store = new FlakyStore();
    const users = createMultiUser({
      connection: createConnection({ instanceUrl: emu.instanceUrl }),
      store,
      client: clientFor(emu),
    });
    await users.save('bob', issued(emu));
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    store.failing = true;
    emu.faults.expireAllTokens();
    await users.connectionFor('bob').resources();
    const warning = await warned;
    expect(warning).toBeInstanceOf(SalesforceError);
    expect(warning).toMatchObject({ code: 'STORE_FAILED' });
  });

  it('an onStoreError that throws does not fail the request', async () => {
    const store = new FlakyStore();
    const users = createMultiUser({
      connection: createConnection({ instanceUrl: emu.instanceUrl }),
      store,
      client: clientFor(emu),
      onStoreError: () => {
        throw new Error('logger down too');
      },
    });
    await users.save('carol', issued(emu));
    store.failing = true;
    emu.faults.expireAllTokens();
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    await users.connectionFor('carol').resources();
    expect((await warned).message).toMatch(/onStoreError threw/);
  });

  it('the renewal is saved before the request that renewed goes on', async () => {
    const store = new FlakyStore();
    const users = createMultiUser({
      connection: createConnection({ instanceUrl: emu.instanceUrl }),
      store,
      client: clientFor(emu),
    });
    await users.save('dave', issued(emu));
    const conn = users.connectionFor('dave');
    await conn.resources();
    emu.faults.expireAllTokens();
    const writes = store.writes;
    await conn.resources();
    // No waiting on a fire-and-forget write: it is done when the request resolves.
    expect(store.writes).toBe(writes + 1);
    expect((await store.get('dave'))!.accessToken).toBe((await conn.credentials()).accessToken);
  });
});
