import { createHmac } from 'node:crypto';
import {
  authorizationCodeAuth,
  clientCredentialsAuth,
  createOAuth2Client,
  jwtBearerAuth,
  passwordAuth,
  refreshTokenAuth,
  signJwtAssertion,
  soapLogin,
  soapLoginAuth,
  soapLogout,
} from '@sf/auth';
import { type AuthStrategy, type Credentials, createConnection, SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approve,
  clientFor,
  type Emulator,
  emulator,
  emulatorUser,
  forgerKeys,
  jwtKeys,
  REDIRECT_URI,
  tokenRequests,
  issued,
} from './helpers.js';

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

describe('OAuth2 client configuration', () => {
  it('resolves login hosts from environment, loginUrl or My Domain', () => {
    expect(createOAuth2Client({ clientId: 'x' }).loginUrl).toBe('https://login.salesforce.com');
    expect(createOAuth2Client({ clientId: 'x', environment: 'sandbox' }).loginUrl).toBe(
      'https://test.salesforce.com',
    );
    expect(
      createOAuth2Client({
        clientId: 'x',
        environment: 'sandbox',
        loginUrl: 'https://acme.my.salesforce.com/',
      }).loginUrl,
    ).toBe('https://acme.my.salesforce.com');
    expect(() => createOAuth2Client({ clientId: '' })).toThrow(SalesforceError);
    expect(() => createOAuth2Client({ clientId: 'x', loginUrl: 'not a url' })).toThrow(/loginUrl/);
  });

  it('getAuthorizationUrl: a fresh S256 verifier each time, a generated state, the params Salesforce expects', () => {
    const client = clientFor(emu);
    const a = client.getAuthorizationUrl({ scope: 'api id refresh_token', prompt: 'consent' });
    const b = client.getAuthorizationUrl({ scope: 'api', state: 'mine' });
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).not.toBe(b.state);
    expect(a.state.length).toBeGreaterThanOrEqual(32);
    expect(b.state).toBe('mine');
    const url = new URL(a.url);
    expect(url.origin + url.pathname).toBe(`${emu.loginUrl}/services/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: emu.credentials.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'api id refresh_token',
      prompt: 'consent',
      state: a.state,
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The client keeps each verifier for its callback, once.
    expect(client.takeCodeVerifier(a.state)).toBe(a.codeVerifier);
    expect(client.takeCodeVerifier(a.state)).toBeUndefined();
  });

  it('keeps a bounded number of pending verifiers, and forgets them after their TTL', async () => {
    const client = clientFor(emu, { maxPending: 3, pendingTtlMs: 50 });
    const states = Array.from({ length: 5 }, () => client.getAuthorizationUrl().state);
    expect(client.takeCodeVerifier(states[0]!)).toBeUndefined();
    expect(client.takeCodeVerifier(states[1]!)).toBeUndefined();
    expect(client.takeCodeVerifier(states[4]!)).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(client.takeCodeVerifier(states[3]!)).toBeUndefined();
  });
});

describe('web-server flow', () => {
  it('exchanges the code with its PKCE verifier (found by state) for tokens and user info', async () => {
    const client = clientFor(emu);
    const { url, state } = client.getAuthorizationUrl({ scope: 'api id refresh_token' });
    const callback = await approve(url);
    expect(callback.searchParams.get('state')).toBe(state);
    const credentials = await client.exchangeCode(callback.searchParams.get('code')!, { state });
    expect(credentials.accessToken).toMatch(/^00D/);
    expect(credentials.refreshToken).toBeDefined();
    expect(credentials.instanceUrl).toBe(emu.instanceUrl);
    expect(credentials.id).toMatch(/\/id\/00D\w+\/005\w+$/);
    expect(credentials.organizationId).toBe(emu.orgId);
    expect(credentials.userId).toMatch(/^005/);
    expect(credentials.tokenType).toBe('Bearer');
    expect(credentials.issuedAt).toBeGreaterThan(Date.now() - 60_000);

    const identity = await client.identity(credentials);
    expect(identity.username).toBe(emu.credentials.username);
    const userinfo = await client.userinfo(credentials.accessToken);
    expect(userinfo.user_id).toBe(credentials.userId);
    expect(userinfo.organization_id).toBe(emu.orgId);
  });

  it('authorizationCodeAuth: a connection that logs in with the code and renews with the refresh token', async () => {
    const client = clientFor(emu);
    const { url, state } = client.getAuthorizationUrl();
    const code = (await approve(url)).searchParams.get('code')!;
    const conn = createConnection({ auth: authorizationCodeAuth(client, code, { state }) });
    await conn.resources();
    expect(conn.instanceUrl).toBe(emu.instanceUrl);
    const refreshed: Credentials[] = [];
    conn.on('refresh', (c) => refreshed.push(c));
    emu.faults.expireAllTokens();
    await conn.resources();
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.refreshToken).toBeDefined();
  });

  it('a bad code is a typed AUTH_FAILED error', async () => {
    const error = await rejection(
      clientFor(emu).exchangeCode('aPrxNotACode', { codeVerifier: 'x'.repeat(43) }),
    );
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant', status: 400 });
    expect(error.message).toMatch(/^\[@sf\/auth\] POST \/services\/oauth2\/token: 400 invalid_grant/);
  });

  it('a bad PKCE verifier is a typed AUTH_FAILED error', async () => {
    const client = clientFor(emu);
    const { url } = client.getAuthorizationUrl();
    const code = (await approve(url)).searchParams.get('code')!;
    const error = await rejection(client.exchangeCode(code, { codeVerifier: 'A'.repeat(43) }));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant' });
  });
});

describe('username-password flow', () => {
  it('logs in with the security token appended; no refresh token is issued', async () => {
    const credentials = await clientFor(emu).password(emulatorUser(emu));
    expect(credentials.accessToken).toMatch(/^00D/);
    expect(credentials.refreshToken).toBeUndefined();
    expect(credentials.userId).toMatch(/^005/);
  });

  it('a wrong password is a typed AUTH_FAILED error', async () => {
    const error = await rejection(clientFor(emu).password({ ...emulatorUser(emu), password: 'wrong' }));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant', status: 400 });
    expect(error.message).toContain('authentication failure');
  });

  it('a wrong client secret is a typed AUTH_FAILED error', async () => {
    const error = await rejection(clientFor(emu, { clientSecret: 'nope' }).password(emulatorUser(emu)));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_client' });
  });
});

describe('token response signature', () => {
  const forged = (signature: string) => ({
    access_token: '00Dforged!token',
    instance_url: emu.url,
    id: `${emu.loginUrl}/id/00D000000000001AAA/005000000000001AAA`,
    token_type: 'Bearer',
    issued_at: '1700000000000',
    signature,
  });

  it('every real flow verifies (the emulator signs as Salesforce does); a forged signature is AUTH_FAILED and the token unused', async () => {
    const real = await clientFor(emu).password(emulatorUser(emu));
    expect(real.accessToken).toMatch(/^00D/);
    emu.faults.failNext(
      1,
      { status: 200, body: forged(Buffer.from('not the hmac').toString('base64')) },
      {
        path: '/services/oauth2/token',
      },
    );
    const error = await rejection(clientFor(emu).password(emulatorUser(emu)));
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(error.message).toMatch(/signature does not verify/);
    expect(error.message).not.toContain('00Dforged');
    expect(error.message).not.toContain(emu.credentials.clientSecret);
  });

  it('a response signed with the secret is taken; verifySignature: false skips the check', async () => {
    const body = forged('');
    body.signature = createHmac('sha256', emu.credentials.clientSecret)
      .update(body.id + body.issued_at)
      .digest('base64');
    emu.faults.failNext(1, { status: 200, body }, { path: '/services/oauth2/token' });
    expect((await clientFor(emu).password(emulatorUser(emu))).accessToken).toBe('00Dforged!token');
    emu.faults.failNext(1, { status: 200, body: forged('AAAA') }, { path: '/services/oauth2/token' });
    const unchecked = await clientFor(emu, { verifySignature: false }).password(emulatorUser(emu));
    expect(unchecked.accessToken).toBe('00Dforged!token');
  });
});

describe('refresh token flow', () => {
  it('refreshTokenAuth starts from a refresh token alone', async () => {
    const { refreshToken } = emu.issueToken();
    const conn = createConnection({ auth: refreshTokenAuth(clientFor(emu), { refreshToken }) });
    await conn.resources();
    const credentials = await conn.credentials();
    expect(credentials.refreshToken).toBe(refreshToken);
    expect(credentials.instanceUrl).toBe(emu.instanceUrl);
  });

  it('a revoked refresh token is a typed AUTH_FAILED error', async () => {
    const client = clientFor(emu);
    const { refreshToken } = emu.issueToken();
    await client.revoke(refreshToken);
    const error = await rejection(client.refresh(refreshToken));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant' });
    // ...and through a connection whose token expired.
    const token = issued(emu);
    const conn = createConnection({ auth: refreshTokenAuth(client, token) });
    await conn.resources();
    await client.revoke(token.refreshToken);
    const viaConnection = await rejection(conn.resources());
    expect(viaConnection.code).toBe('AUTH_FAILED');
  });

  it('revoke: an access token stops working; an unknown token is refused', async () => {
    const client = clientFor(emu);
    const issued = emu.issueToken();
    await client.revoke(issued.accessToken);
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: issued.accessToken });
    expect((await rejection(conn.resources())).code).toBe('AUTH_FAILED');
    const unknown = await rejection(client.revoke('not-a-token'));
    expect(unknown.status).toBe(400);
  });
});

describe('client credentials flow', () => {
  it('logs in as the run-as user and renews by asking again', async () => {
    const conn = createConnection({ auth: clientCredentialsAuth(clientFor(emu)) });
    await conn.resources();
    const first = await conn.credentials();
    expect(first.refreshToken).toBeUndefined();
    expect(first.userId).toMatch(/^005/);
    emu.faults.expireAllTokens();
    await conn.resources();
    expect((await conn.credentials()).accessToken).not.toBe(first.accessToken);
  });

  it('needs a client secret', async () => {
    const error = await rejection(clientFor(emu, { clientSecret: undefined as never }).clientCredentials());
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('JWT bearer flow', () => {
  const login = () => ({ username: emu.credentials.username, privateKey: jwtKeys.privateKey });

  it('signs an RS256 assertion with iss, sub, aud and exp within 3 minutes', () => {
    const assertion = signJwtAssertion(
      {
        issuer: 'cid',
        subject: 'u@example.com',
        audience: 'https://login.salesforce.com',
        now: 1_700_000_000_000,
      },
      jwtKeys.privateKey,
    );
    const [header, payload] = assertion
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toEqual({
      iss: 'cid',
      sub: 'u@example.com',
      aud: 'https://login.salesforce.com',
      exp: 1_700_000_180,
    });
    expect(() =>
      signJwtAssertion(
        { issuer: 'a', subject: 'b', audience: 'c', expiresInMs: 600_000 },
        jwtKeys.privateKey,
      ),
    ).toThrow(/expiresInMs must be between 1000 and 180000/);
    // The old name is refused, not ignored (CONVENTIONS.md: every duration in ms).
    expect(() =>
      signJwtAssertion(
        { issuer: 'a', subject: 'b', audience: 'c', expiresInSeconds: 60 } as never,
        jwtKeys.privateKey,
      ),
    ).toThrow(/expiresInSeconds is now expiresInMs/);
    const short = signJwtAssertion(
      { issuer: 'a', subject: 'b', audience: 'c', expiresInMs: 60_000, now: 1_700_000_000_000 },
      jwtKeys.privateKey,
    );
    expect(JSON.parse(Buffer.from(short.split('.')[1]!, 'base64url').toString()).exp).toBe(1_700_000_060);
    expect(() => signJwtAssertion({ issuer: 'a', subject: 'b', audience: 'c' }, 'not a key')).toThrow(
      SalesforceError,
    );
  });

  it('logs in without a secret, gets no refresh token, and renews by minting a new assertion', async () => {
    const client = clientFor(emu, { clientSecret: undefined as never });
    const conn = createConnection({ auth: jwtBearerAuth(client, login()) });
    await conn.resources();
    const first = await conn.credentials();
    expect(first.refreshToken).toBeUndefined();
    expect(first.organizationId).toBe(emu.orgId);
    emu.faults.expireAllTokens();
    await conn.resources();
    expect((await conn.credentials()).accessToken).not.toBe(first.accessToken);
  });

  it('a forged assertion (signed by another key) is a typed AUTH_FAILED error', async () => {
    const error = await rejection(
      clientFor(emu).jwtBearer({ username: emu.credentials.username, privateKey: forgerKeys.privateKey }),
    );
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant', status: 400 });
  });

  it('a wrong audience and an unknown user are refused', async () => {
    const client = clientFor(emu);
    const audience = await rejection(client.jwtBearer({ ...login(), audience: 'https://evil.example.com' }));
    expect(audience.message).toContain('audience is invalid');
    const user = await rejection(client.jwtBearer({ ...login(), username: 'nobody@example.com' }));
    expect(user).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant' });
  });
});

describe('SOAP login and logout', () => {
  it('logs in, its session id works for REST, and logout ends it', async () => {
    const result = await soapLogin({ ...emulatorUser(emu), loginUrl: emu.loginUrl });
    expect(result.sessionId).toMatch(/^00D/);
    expect(result.serverUrl).toBe(`${emu.url}/services/Soap/u/64.0/${emu.orgId}`);
    expect(result.instanceUrl).toBe(emu.instanceUrl);
    expect(result.userId).toMatch(/^005/);
    expect(result.organizationId).toBe(emu.orgId);
    expect(result.userInfo.userName).toBe(emu.credentials.username);
    expect(result.sessionSecondsValid).toBeGreaterThan(0);
    const conn = createConnection({ instanceUrl: result.instanceUrl, auth: result.sessionId });
    await conn.resources();
    await soapLogout({ sessionId: result.sessionId, serverUrl: result.serverUrl });
    expect((await rejection(conn.resources())).code).toBe('AUTH_FAILED');
  });

  it('a wrong password is AUTH_FAILED with the fault code INVALID_LOGIN', async () => {
    const error = await rejection(
      soapLogin({ ...emulatorUser(emu), password: 'wrong', loginUrl: emu.loginUrl }),
    );
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'INVALID_LOGIN', status: 500 });
    expect(error.message).toContain('INVALID_LOGIN: Invalid username, password, security token');
  });

  it('logout of an unknown session is AUTH_FAILED INVALID_SESSION_ID', async () => {
    const error = await rejection(soapLogout({ sessionId: 'nope', instanceUrl: emu.instanceUrl }));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'INVALID_SESSION_ID' });
  });

  it('soapLoginAuth: a known expiry from sessionSecondsValid, renewed by logging in again', async () => {
    const conn = createConnection({ auth: soapLoginAuth({ ...emulatorUser(emu), loginUrl: emu.loginUrl }) });
    await conn.resources();
    const first = await conn.credentials();
    expect(first.expiresAt).toBeGreaterThan(Date.now());
    emu.faults.expireAllTokens();
    await conn.resources();
    expect((await conn.credentials()).accessToken).not.toBe(first.accessToken);
  });
});

describe('every strategy renews on 401 with one token request', () => {
  const cases: Array<[string, () => Promise<AuthStrategy> | AuthStrategy]> = [
    ['password', () => passwordAuth(clientFor(emu), emulatorUser(emu))],
    ['refresh token', () => refreshTokenAuth(clientFor(emu), issued(emu))],
    ['client credentials', () => clientCredentialsAuth(clientFor(emu))],
    [
      'JWT bearer',
      () =>
        jwtBearerAuth(clientFor(emu), { username: emu.credentials.username, privateKey: jwtKeys.privateKey }),
    ],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const conn = createConnection({ auth: await make() });
      await conn.resources();
      emu.faults.expireAllTokens();
      emu.resetRequests();
      await Promise.all([conn.resources(), conn.fetchLimits(), conn.versions()]);
      expect(tokenRequests(emu)).toBe(1);
    });
  }

  it('sessionLifetimeMs sets expiresAt so renewal happens before the token expires', async () => {
    const login = await clientFor(emu).password(emulatorUser(emu));
    const fresh = createConnection({
      auth: passwordAuth(clientFor(emu), emulatorUser(emu), { sessionLifetimeMs: 30_000 }),
    });
    await fresh.resources();
    const first = await fresh.credentials();
    expect(first.expiresAt).toBe(first.issuedAt! + 30_000);
    // A token from a store, issued 50 s into its 60 s life: within the renewal margin
    // (min(60 s, lifetime / 2), @sf/core's rule), so it is renewed before it is used.
    const { refreshToken } = issued(emu);
    const conn = createConnection({
      auth: refreshTokenAuth(
        clientFor(emu),
        { ...login, refreshToken, issuedAt: Date.now() - 50_000 },
        { sessionLifetimeMs: 60_000 },
      ),
    });
    emu.resetRequests();
    await conn.resources(); // renewed first, no 401
    expect(tokenRequests(emu)).toBe(1);
    expect(emu.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });
});
