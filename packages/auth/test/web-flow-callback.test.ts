// The web-server flow's callback as an attacker would call it: a forged `?error=` must not
// cancel a pending login nor put its text into onFailure, and the redirect URI sent to
// /authorize must be the one sent with the code.

import { createOAuth2Client, type OAuth2Client, webFlowMiddleware } from '@sf/auth';
import type { SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type RunningApp, startApp } from './express-app.js';
import { approve, clientFor, type Emulator, emulator } from './helpers.js';

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
    // The same app's other login, whose callback URL differs from the client's redirectUri.
    server.use(
      webFlowMiddleware({
        client,
        loginPath: '/alt/login',
        authorization: { redirectUri: `${url}/alt/callback` },
        pendingKey: 'altPending',
        onSuccess: '/home',
        onError: '/oauth/error',
        onFailure: (e) => failures.push(e),
      }),
    );
    server.get('/home', (req, res) => {
      const session = req.session as unknown as { oauth?: { userId?: string } };
      if (!session.oauth) return void res.status(401).send('not logged in');
      res.json({ userId: session.oauth.userId });
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('web-flow callback: state is checked before anything else', () => {
  it('a forged ?error= with a wrong or missing state is invalid_state and leaves the pending login intact', async () => {
    const browser = new Browser();
    const start = await browser.get(`${app.url}/oauth/login`);
    const approved = await browser.get(start.location!);
    const forged = [
      `${app.url}/oauth/_callback?error=access_denied%0d%0aSet-Cookie:%20pwned=1&error_description=x%0d%0ay`,
      `${app.url}/oauth/_callback?error=access_denied&state=forged-state`,
    ];
    for (const url of forged) {
      failures.length = 0;
      expect((await browser.follow(url)).at(-1)).toMatchObject({ status: 401, body: 'invalid_state' });
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'invalid_state' });
      expect(failures[0]!.message).not.toMatch(CONTROL);
      expect(failures[0]!.message).not.toContain('pwned');
    }
    // The real callback still completes the login.
    const hops = await browser.follow(approved.location!);
    expect(hops.at(-1)).toMatchObject({ status: 200 });
    expect(JSON.parse(hops.at(-1)!.body).userId).toMatch(/^005/);
  });

  it('a refusal with the right state: the code and description reach onFailure without control characters, bounded', async () => {
    const browser = new Browser();
    const start = await browser.get(`${app.url}/oauth/login`);
    const state = new URL(start.location!).searchParams.get('state')!;
    failures.length = 0;
    const description = `end-user denied authorization\r\nINFO fake log line\u2028${'x'.repeat(5_000)}`;
    const hops = await browser.follow(
      `${app.url}/oauth/_callback?${new URLSearchParams({ error: 'access_denied', error_description: description, state })}`,
    );
    expect(hops.at(-1)).toMatchObject({ status: 401, body: 'access_denied' });
    const error = failures[0]!;
    expect(error).toMatchObject({ code: 'AUTH_FAILED', errorCode: 'access_denied' });
    expect(error.message).toContain('access_denied');
    expect(error.message).toContain('end-user denied authorization');
    expect(error.message).not.toMatch(CONTROL);
    expect(error.message.length).toBeLessThan(400);

    // An error code that is not an OAuth error code (RFC 6749's characters) is not passed on.
    const again = await browser.get(`${app.url}/oauth/login`);
    const state2 = new URL(again.location!).searchParams.get('state')!;
    failures.length = 0;
    const odd = await browser.follow(
      `${app.url}/oauth/_callback?${new URLSearchParams({ error: 'access_denied\r\nSet-Cookie: a=b', state: state2 })}`,
    );
    expect(odd.at(-1)).toMatchObject({ status: 401, body: 'invalid_request' });
    expect(failures[0]).toMatchObject({ errorCode: 'invalid_request' });
    expect(failures[0]!.message).not.toMatch(CONTROL);
    expect(failures[0]!.message).not.toContain('Set-Cookie');
  });
});

describe('web-flow callback: one redirect URI for both requests', () => {
  it('authorization.redirectUri is sent with the code too, and its path is the callback by default', async () => {
    const browser = new Browser();
    failures.length = 0;
    const hops = await browser.follow(`${app.url}/alt/login`);
    expect(hops.map((h) => new URL(h.url).pathname)).toEqual([
      '/alt/login',
      '/services/oauth2/authorize',
      '/alt/callback',
      '/home',
    ]);
    expect(new URL(hops[1]!.url).searchParams.get('redirect_uri')).toBe(`${app.url}/alt/callback`);
    expect(failures).toEqual([]);
    expect(hops.at(-1)).toMatchObject({ status: 200 });
  });

  it('OAuth2Client.exchangeCode({ state }) uses the redirectUri that getAuthorizationUrl was given', async () => {
    const oauth2 = clientFor(emu);
    const { url, state } = oauth2.getAuthorizationUrl({ redirectUri: 'http://localhost:9/other/callback' });
    const callback = await approve(url);
    const credentials = await oauth2.exchangeCode(callback.searchParams.get('code')!, { state });
    expect(credentials.refreshToken).toMatch(/^5Aep/);
    // Without PKCE too.
    const plain = oauth2.getAuthorizationUrl({ redirectUri: 'http://localhost:9/plain', pkce: false });
    const back = await approve(plain.url);
    const viaPlain = await oauth2.exchangeCode(back.searchParams.get('code')!, { state: plain.state });
    expect(viaPlain.accessToken).toMatch(/^00D/);
  });
});
