// What someone coming from node-salesforce or nforce writes first (issue 15, the silent
// differences): a plain `exchangeCode(code)`, `identity()` of stored credentials without `id`,
// and the old callback style. Each either works or fails loudly, naming what to do instead.
import { soapLogin, soapLogout } from '@sf/auth';
import { SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clientFor, type Emulator, emulator, emulatorUser, issued, jwtKeys } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

async function rejection(promise: Promise<unknown>): Promise<SalesforceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SalesforceError);
  return error as SalesforceError;
}

describe('exchangeCode(code) with PKCE on (the default)', () => {
  it('a plain exchangeCode(code) after one getAuthorizationUrl uses that authorization’s verifier', async () => {
    const client = clientFor(emu);
    const { url } = client.getAuthorizationUrl({ scope: 'api id refresh_token' });
    const code = (await approve(url)).searchParams.get('code')!;
    // As node-salesforce's `conn.authorize(code)`: no state, no verifier.
    const credentials = await client.exchangeCode(code);
    expect(credentials.accessToken).toMatch(/^00D/);
    expect(credentials.refreshToken).toBeDefined();
  });

  it('with several logins pending, a plain exchangeCode(code) refuses before sending, naming { state }', async () => {
    const client = clientFor(emu);
    const first = client.getAuthorizationUrl();
    client.getAuthorizationUrl();
    const code = (await approve(first.url)).searchParams.get('code')!;
    const before = emu.requests.length;
    const error = await rejection(client.exchangeCode(code));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^\[@sf\/auth\] /);
    expect(error.message).toContain('{ state }');
    expect(error.message).toContain('codeVerifier');
    expect(emu.requests.length).toBe(before); // nothing sent: the code is still good
    const credentials = await client.exchangeCode(code, { state: first.state });
    expect(credentials.accessToken).toMatch(/^00D/);
  });

  it('a code whose verifier this client does not hold fails AUTH_FAILED and says to pass codeVerifier', async () => {
    const elsewhere = clientFor(emu); // another process made the authorization URL
    const { url } = elsewhere.getAuthorizationUrl();
    const code = (await approve(url)).searchParams.get('code')!;
    const error = await rejection(clientFor(emu).exchangeCode(code));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant' });
    expect(error.message).toContain('codeVerifier');
  });

  it('an explicit codeVerifier still wins, and pkce: false authorizations exchange without one', async () => {
    const client = clientFor(emu);
    const a = client.getAuthorizationUrl();
    const codeA = (await approve(a.url)).searchParams.get('code')!;
    expect((await client.exchangeCode(codeA, { codeVerifier: a.codeVerifier! })).accessToken).toMatch(/^00D/);
    const plain = clientFor(emu);
    const b = plain.getAuthorizationUrl({ pkce: false });
    const codeB = (await approve(b.url)).searchParams.get('code')!;
    expect((await plain.exchangeCode(codeB)).accessToken).toMatch(/^00D/);
  });
});

describe('getAuthorizationUrl()', () => {
  it('prints as its URL, so node-salesforce’s res.redirect(oauth2.getAuthorizationUrl(...)) still works', () => {
    const request = clientFor(emu).getAuthorizationUrl({ scope: 'api id web' });
    expect(String(request)).toBe(request.url);
    expect(`${request}`).toMatch(/\/services\/oauth2\/authorize\?/);
    expect(Object.keys(request)).not.toContain('toString');
  });
});

describe('refresh(refreshToken)', () => {
  it('resolves with credentials that keep the refresh token, so saving them keeps the user renewable', async () => {
    const client = clientFor(emu);
    const { refreshToken } = issued(emu);
    // Salesforce answers a refresh without refresh_token (unless it rotates them).
    const credentials = await client.refresh(refreshToken);
    expect(credentials.refreshToken).toBe(refreshToken);
    expect((await client.refresh(credentials.refreshToken!)).accessToken).toMatch(/^00D/);
  });
});

describe('identity() of stored credentials without `id`', () => {
  it('finds the identity URL through userinfo (its `sub`) and reads it', async () => {
    const client = clientFor(emu);
    const { accessToken, instanceUrl } = issued(emu);
    const identity = await client.identity({ accessToken, instanceUrl });
    expect(identity.username).toBe(emu.credentials.username);
    expect(identity.organization_id).toBe(emu.orgId);
    // Without instanceUrl the client's login URL answers userinfo.
    expect((await client.identity({ accessToken })).username).toBe(emu.credentials.username);
  });
});

describe('callback-style calls (a function as the last argument)', () => {
  const cb = () => {
    throw new Error('a callback must never be called');
  };
  type Call = [name: string, run: () => unknown];

  it('every network call throws INVALID_ARGUMENT naming its promise form, and sends nothing', async () => {
    const client = clientFor(emu, { clientSecret: emu.credentials.clientSecret });
    const token = issued(emu);
    const login = emulatorUser(emu);
    const c = client as any;
    const calls: Call[] = [
      ['exchangeCode', () => c.exchangeCode('code', cb)],
      ['password', () => c.password(login, cb)],
      ['refresh', () => c.refresh(token.refreshToken, cb)],
      ['jwtBearer', () => c.jwtBearer({ username: login.username, privateKey: jwtKeys.privateKey }, cb)],
      ['clientCredentials', () => c.clientCredentials(cb)],
      ['revoke', () => c.revoke(token.accessToken, cb)],
      ['userinfo', () => c.userinfo(token.accessToken, cb)],
      ['identity', () => c.identity(token, cb)],
      ['soapLogin', () => (soapLogin as any)({ ...login, loginUrl: emu.loginUrl }, cb)],
      [
        'soapLogout',
        () => (soapLogout as any)({ sessionId: token.accessToken, instanceUrl: emu.instanceUrl }, cb),
      ],
    ];
    const before = emu.requests.length;
    for (const [name, run] of calls) {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(SalesforceError);
      const error = thrown as SalesforceError;
      expect(error.code, name).toBe('INVALID_ARGUMENT');
      expect(error.message, name).toMatch(new RegExp(`^\\[@sf/auth\\] ${name}\\(\\) takes no callback`));
      expect(error.message, name).toContain(`await `);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emu.requests.length).toBe(before);
    // The token still works: revoke was never sent.
    expect((await client.userinfo(token.accessToken)).user_id).toMatch(/^005/);
  });
});
