// Logging in and out through the client (@sf/auth underneath), node-salesforce's connection
// options, and the refresh event from whichever connection the client holds.

import { isSalesforceError } from '@sf/core';
import { type Emulator, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const oauth2 = () => ({
  clientId: emu.credentials.clientId,
  clientSecret: emu.credentials.clientSecret,
  loginUrl: emu.loginUrl,
  redirectUri: 'http://127.0.0.1:3000/oauth2/callback',
});
const password = () => emu.credentials.password + emu.credentials.securityToken;

describe('sf.login, sf.logout', () => {
  it('login(username, password) without oauth2 is a SOAP login; logout() ends that session', async () => {
    const sf = createClient({ loginUrl: emu.loginUrl, retry: false });
    const user = await sf.login(emu.credentials.username, password());
    expect(user.id).toMatch(/^005/);
    expect(user.organizationId).toMatch(/^00D/);
    expect(sf.connection.instanceUrl).toBe(emu.instanceUrl);
    expect((await sf.query('SELECT Id FROM Account')).totalSize).toBeGreaterThanOrEqual(0);
    const { accessToken } = await sf.connection.credentials();
    await sf.logout();
    // The session is over on the server, and the client holds none any more.
    const old = await fetch(`${emu.instanceUrl}/services/data/v64.0/limits`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(old.status).toBe(401);
    await old.body?.cancel();
    const after = await sf.limits().catch((error: unknown) => error);
    expect(isSalesforceError(after)).toBe(true);
  });

  it('login(username, password) with oauth2 is the OAuth password flow; logout() revokes the token', async () => {
    const sf = createClient({ oauth2: oauth2(), retry: false });
    const user = await sf.login(emu.credentials.username, password());
    expect(user.url).toMatch(/\/id\/00D/);
    const identity = await sf.identity();
    expect(identity.username).toBe(emu.credentials.username);
    const { accessToken } = await sf.connection.credentials();
    await sf.logout();
    const old = await fetch(`${emu.instanceUrl}/services/data/v64.0/limits`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(old.status).toBe(401);
    await old.body?.cancel();
  });

  it('a refused login rejects AUTH_FAILED and the message holds no password', async () => {
    const sf = createClient({ oauth2: oauth2(), retry: false });
    const failure = await sf.login(emu.credentials.username, 'wrong-password-123').catch((e: unknown) => e);
    expect(isSalesforceError(failure, 'AUTH_FAILED')).toBe(true);
    expect(String((failure as Error).message)).not.toContain('wrong-password-123');
  });

  it('getAuthorizationUrl and authorize(code): the web-server flow', async () => {
    const sf = createClient({ oauth2: oauth2(), retry: false });
    const { url, state } = sf.getAuthorizationUrl({ scope: 'api id refresh_token' });
    const callback = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') as string);
    expect(callback.searchParams.get('state')).toBe(state);
    const user = await sf.authorize(callback.searchParams.get('code') as string, { state });
    expect(user.id).toMatch(/^005/);
    expect(Object.keys(await sf.connection.resources())).toContain('sobjects');
  });
});

describe("node-salesforce's connection options and the refresh event", () => {
  it('{ oauth2, instanceUrl, accessToken, refreshToken }: an expired token is renewed and sf.on("refresh") hears it', async () => {
    const token = emu.issueToken();
    const sf = createClient({
      oauth2: oauth2(),
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      refreshToken: token.refreshToken,
      retry: false,
    });
    const renewed: string[] = [];
    sf.on('refresh', (credentials) => renewed.push(credentials.accessToken));
    emu.faults.expireAllTokens();
    const result = await sf.query('SELECT Id FROM Account');
    expect(result.done).toBe(true);
    expect(renewed).toHaveLength(1);
    expect(renewed[0]).not.toBe(token.accessToken);
  });

  it('{ serverUrl, sessionId }: a SOAP session, ended by logout()', async () => {
    const token = emu.issueToken();
    const sf = createClient({
      serverUrl: `${token.instanceUrl}/services/Soap/u/64.0/00D000000000001`,
      sessionId: token.accessToken,
      retry: false,
    });
    expect(sf.connection.instanceUrl).toBe(token.instanceUrl);
    expect((await sf.limits()).DailyApiRequests).toBeDefined();
    await sf.logout();
    const old = await fetch(`${emu.instanceUrl}/services/data/v64.0/limits`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(old.status).toBe(401);
    await old.body?.cancel();
  });

  it('refuses two auths at once, and refreshToken without oauth2, before any request', () => {
    expect(() => createClient({ auth: 'a', accessToken: 'b' })).toThrow(/one of auth/);
    expect(() => createClient({ refreshToken: 'r' })).toThrow(/oauth2/);
  });
});

describe('cancellation and laziness', () => {
  it('login(username, password, { signal }): an abort rejects with signal.reason, unchanged', async () => {
    const sf = createClient({ oauth2: oauth2(), retry: false });
    const reason = new Error('user went away');
    const failure = await sf
      .login(emu.credentials.username, password(), { signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(failure).toBe(reason);
  });

  it('the Pub/Sub client is made on first use of sf.pubsub, not by createClient', async () => {
    const token = emu.issueToken();
    // An endpoint @sf/pubsub refuses (plain HTTP off loopback): nothing fails until it is used.
    const sf = createClient({
      instanceUrl: token.instanceUrl,
      auth: token.accessToken,
      pubsub: { endpoint: 'http://pubsub.example:7443' },
    });
    expect((await sf.limits()).DailyApiRequests).toBeDefined();
    expect(() => sf.pubsub.client).toThrow();
  });
});
