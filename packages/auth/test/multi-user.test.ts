import { createMultiUser, MemoryTokenStore, passwordAuth } from '@sf/auth';
import { createConnection, createUndiciTransport, SalesforceError, type Transport } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, type Emulator, emulator, emulatorUser, issued } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

describe('multi-user mode', () => {
  it('two users, one transport: each request carries its own user’s token; renewals go to the store', async () => {
    const inner = createUndiciTransport();
    const seen: string[] = [];
    // Records which token each request carried (and proves one transport serves both users).
    const transport: Transport = (req) => {
      if (req.headers.authorization) seen.push(req.headers.authorization.replace(/^Bearer /, ''));
      return inner(req);
    };
    const base = createConnection({ instanceUrl: emu.instanceUrl, transport });
    const store = new MemoryTokenStore();
    const users = createMultiUser({ connection: base, store, client: clientFor(emu) });

    const admin = issued(emu);
    const integrationUserId = (await clientFor(emu).clientCredentials()).userId!;
    const integration = issued(emu, { userId: integrationUserId });
    await users.save('alice', admin);
    await users.save('bob', integration);

    const alice = users.connectionFor('alice');
    const bob = users.connectionFor('bob');
    expect(users.connectionFor('alice')).toBe(alice);
    await Promise.all([alice.resources(), bob.resources(), alice.fetchLimits(), bob.fetchLimits()]);
    expect(seen.filter((t) => t === admin.accessToken)).toHaveLength(2);
    expect(seen.filter((t) => t === integration.accessToken)).toHaveLength(2);
    expect((await alice.identity()).user_id).not.toBe((await bob.identity()).user_id);
    expect((await bob.identity()).user_id).toBe(integrationUserId);

    emu.faults.expireAllTokens();
    await Promise.all([alice.resources(), bob.resources()]);
    await new Promise((r) => setImmediate(r));
    const aliceNow = await store.get('alice');
    const bobNow = await store.get('bob');
    expect(aliceNow!.accessToken).not.toBe(admin.accessToken);
    expect(aliceNow!.refreshToken).toBe(admin.refreshToken);
    expect(bobNow!.accessToken).not.toBe(integration.accessToken);
    expect(seen).toContain(aliceNow!.accessToken);
    expect(seen).toContain(bobNow!.accessToken);
    await inner.close();
  });

  it('a user with nothing stored gets AUTH_FAILED; forget() logs a user out', async () => {
    const base = createConnection({ instanceUrl: emu.instanceUrl });
    const store = new MemoryTokenStore();
    const users = createMultiUser({ connection: base, store, client: clientFor(emu) });
    await expect(users.connectionFor('nobody').resources()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await users.save('carol', await clientFor(emu).password(emulatorUser(emu)));
    await users.connectionFor('carol').resources();
    await users.forget('carol');
    expect(store.size).toBe(0);
    const error = await users
      .connectionFor('carol')
      .resources()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
  });

  it('single-user mode is just a connection with a strategy', async () => {
    const conn = createConnection({ auth: passwordAuth(clientFor(emu), emulatorUser(emu)) });
    await conn.resources();
    expect((await conn.credentials()).accessToken).toMatch(/^00D/);
  });
});
