import { createOAuth2Client, type OAuth2Client, refreshTokenAuth, webFlowMiddleware } from '@sf/auth';
import { type Credentials, createConnection, type SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type RunningApp, startApp } from './express-app.js';
import { type Emulator, emulator } from './helpers.js';

declare module 'express-session' {
  interface SessionData {
    oauth: Credentials;
  }
}

let emu: Emulator;
let app: RunningApp;
let client: OAuth2Client;
const failures: SalesforceError[] = [];

beforeAll(async () => {
  emu = await emulator();
  app = await startApp((server, url) => {
    client = createOAuth2Client({
      clientId: emu.credentials.clientId,
      clientSecret: emu.credentials.clientSecret,
      redirectUri: `${url}/oauth/_callback`,
      loginUrl: emu.loginUrl,
    });
    server.use(
      webFlowMiddleware({
        client,
        loginPath: '/oauth/login',
        onSuccess: '/home',
        onError: '/oauth/error',
        onFailure: (e) => failures.push(e),
      }),
    );
    server.get('/home', async (req, res) => {
      if (!req.session.oauth) return void res.status(401).send('not logged in');
      const conn = createConnection({ auth: refreshTokenAuth(client, req.session.oauth) });
      const identity = await conn.identity();
      res.json({ username: identity.username, hasRefreshToken: Boolean(req.session.oauth.refreshToken) });
    });
    server.get('/oauth/error', (req, res) => {
      res.status(401).send(String(req.query.error));
    });
  });
});
afterAll(async () => {
  await app.close();
  await emu.close();
});

describe('webFlowMiddleware with express and express-session', () => {
  it('login redirects to Salesforce, the callback stores the token in the session, then /home uses it', async () => {
    const browser = new Browser();
    const hops = await browser.follow(`${app.url}/oauth/login`);
    expect(hops.map((h) => new URL(h.url).pathname)).toEqual([
      '/oauth/login',
      '/services/oauth2/authorize',
      '/oauth/_callback',
      '/home',
    ]);
    const authorize = new URL(hops[1]!.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('api id refresh_token');
    const last = hops.at(-1)!;
    expect(last.status).toBe(200);
    expect(JSON.parse(last.body)).toEqual({ username: emu.credentials.username, hasRefreshToken: true });
    // The verifier went into the session, not the client's in-process map.
    expect(client.takeCodeVerifier(authorize.searchParams.get('state')!)).toBeUndefined();
  });

  it('a wrong state is refused and sent to the error route', async () => {
    const browser = new Browser();
    const start = await browser.get(`${app.url}/oauth/login`);
    const approve = await browser.get(start.location!);
    const callback = new URL(approve.location!);
    callback.searchParams.set('state', 'forged-state');
    const hops = await browser.follow(callback.toString());
    expect(hops.at(-1)).toMatchObject({ status: 401, body: 'invalid_state' });
    expect(failures.at(-1)).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_state' });
    // A callback that is not for this login leaves it pending (a forged one must not cancel
    // it): the real callback then completes, once; a replay of it is refused.
    const real = approve.location!;
    expect((await browser.follow(real)).at(-1)).toMatchObject({ status: 200 });
    expect((await browser.follow(real)).at(-1)).toMatchObject({ status: 401, body: 'invalid_state' });
  });

  it('a callback in another browser (no pending login in its session) is refused', async () => {
    const alice = new Browser();
    const start = await alice.get(`${app.url}/oauth/login`);
    const approve = await alice.get(start.location!);
    const mallory = new Browser();
    expect((await mallory.follow(approve.location!)).at(-1)).toMatchObject({
      status: 401,
      body: 'invalid_state',
    });
  });

  it('a bad code and a refused authorization go to the error route with their OAuth error', async () => {
    const browser = new Browser();
    const start = await browser.get(`${app.url}/oauth/login`);
    const approve = await browser.get(start.location!);
    const callback = new URL(approve.location!);
    callback.searchParams.set('code', 'aPrxBogus');
    expect((await browser.follow(callback.toString())).at(-1)).toMatchObject({
      status: 401,
      body: 'invalid_grant',
    });
    expect(failures.at(-1)).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_grant' });

    const again = await browser.get(`${app.url}/oauth/login`);
    const state = new URL(again.location!).searchParams.get('state')!;
    const denied = await browser.follow(`${app.url}/oauth/_callback?error=access_denied&state=${state}`);
    expect(denied.at(-1)).toMatchObject({ status: 401, body: 'access_denied' });
  });

  it('passes other requests through, and complains without a session middleware', async () => {
    const browser = new Browser();
    expect((await browser.get(`${app.url}/home`)).status).toBe(401);
    const mw = webFlowMiddleware({ client });
    const errors: unknown[] = [];
    mw({ method: 'GET', url: '/oauth2/auth' }, { statusCode: 200, setHeader: () => {}, end: () => {} }, (e) =>
      errors.push(e),
    );
    expect(errors[0]).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
