// The login, logout, authorize and refresh-event examples of the two original READMEs
// (node-salesforce and nforce, shared/seeds/), rewritten in today's API and run against the
// emulator. Each test is named after the example it runs.

import {
  createMultiUser,
  createOAuth2Client,
  MemoryTokenStore,
  passwordAuth,
  refreshTokenAuth,
  soapLogin,
  soapLoginAuth,
  soapLogout,
  webFlowMiddleware,
} from '@sf/auth';
import { type Credentials, createConnection } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startApp } from './express-app.js';
import { type Emulator, emulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

describe('node-salesforce README', () => {
  it('Using OAuth2 Access Token with Refresh Token (automatically refresh access token when expired)', async () => {
    const { accessToken, refreshToken, instanceUrl } = emu.issueToken();
    const oauth2 = createOAuth2Client({
      clientId: emu.credentials.clientId,
      clientSecret: emu.credentials.clientSecret,
      redirectUri: 'http://localhost:3000/oauth2/callback',
      loginUrl: emu.loginUrl,
    });
    const conn = createConnection({
      instanceUrl,
      auth: refreshTokenAuth(oauth2, { accessToken, refreshToken }),
    });
    const refreshed: Credentials[] = [];
    conn.on('refresh', (credentials) => {
      // Refresh event will be fired when renewed access token, to store it in your storage for next request
      refreshed.push(credentials);
    });
    await conn.resources();
    emu.faults.expireToken(accessToken);
    await conn.resources();
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(accessToken);
    expect(refreshed[0]!.refreshToken).toBe(refreshToken);
  });

  it('Username and Password Login (SOAP API)', async () => {
    const { username, password, securityToken } = emu.credentials;
    // `loginUrl` may point at a sandbox (https://test.salesforce.com) or a My Domain.
    const conn = createConnection({
      auth: soapLoginAuth({ username, password, securityToken, loginUrl: emu.loginUrl }),
    });
    const userInfo = await conn.credentials();
    expect(userInfo.userId).toMatch(/^005/); // console.log("User ID: " + userInfo.id)
    expect(userInfo.organizationId).toBe(emu.orgId); // console.log("Org ID: " + userInfo.organizationId)
    await conn.resources();
  });

  it('Username and Password Login (OAuth2 Resource Owner Password Credential)', async () => {
    const { username, password, securityToken, clientId, clientSecret } = emu.credentials;
    const oauth2 = createOAuth2Client({
      clientId,
      clientSecret,
      redirectUri: 'http://localhost:3000/oauth2/callback',
      loginUrl: emu.loginUrl,
    });
    const conn = createConnection({ auth: passwordAuth(oauth2, { username, password, securityToken }) });
    const userInfo = await conn.credentials();
    expect(userInfo.userId).toMatch(/^005/);
    expect(userInfo.organizationId).toBe(emu.orgId);
  });

  it('Logout (Only for SOAP API session)', async () => {
    const { username, password, securityToken } = emu.credentials;
    const { sessionId, serverUrl, instanceUrl } = await soapLogin({
      username,
      password,
      securityToken,
      loginUrl: emu.loginUrl,
    });
    await soapLogout({ sessionId, serverUrl });
    // now the session has been expired.
    await expect(createConnection({ instanceUrl, auth: sessionId }).resources()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });

  it('OAuth2 Web Server Flow: Authorization Request and Access Token Request (express)', async () => {
    // OAuth2 client information can be shared with multiple connections.
    let oauth2!: ReturnType<typeof createOAuth2Client>;
    const seen: Array<{ userId?: string; organizationId?: string }> = [];
    const app = await startApp((server, url) => {
      oauth2 = createOAuth2Client({
        clientId: emu.credentials.clientId,
        clientSecret: emu.credentials.clientSecret,
        redirectUri: `${url}/oauth2/callback`,
        loginUrl: emu.loginUrl,
      });
      // get authz url and redirect to it.
      server.get('/oauth2/auth', (_req, res) => {
        res.redirect(oauth2.getAuthorizationUrl({ scope: 'api id web' }).url);
      });
      // pass received authz code and get access token
      server.get('/oauth2/callback', async (req, res) => {
        try {
          const credentials = await oauth2.exchangeCode(String(req.query.code), {
            state: String(req.query.state),
          });
          const conn = createConnection({ auth: refreshTokenAuth(oauth2, credentials) });
          await conn.resources();
          seen.push({ userId: credentials.userId!, organizationId: credentials.organizationId! });
          res.send('logged in');
        } catch (error) {
          res.status(500).send(String(error));
        }
      });
    });
    try {
      const hops = await new Browser().follow(`${app.url}/oauth2/auth`);
      expect(hops.at(-1)).toMatchObject({ status: 200, body: 'logged in' });
      expect(seen[0]!.userId).toMatch(/^005/); // console.log("User ID: " + userInfo.id)
      expect(seen[0]!.organizationId).toBe(emu.orgId);
    } finally {
      await app.close();
    }
  });
});

describe('nforce README', () => {
  it('Username/Password flow (multi-user mode: store the oauth object for this user)', async () => {
    const { username, password, securityToken, clientId, clientSecret } = emu.credentials;
    const org = createOAuth2Client({
      clientId,
      clientSecret,
      redirectUri: 'http://localhost:3000/oauth/_callback',
      loginUrl: emu.loginUrl,
    });
    const oauth = await org.password({ username, password, securityToken });
    expect(oauth.accessToken).toMatch(/^00D/); // console.log('Access Token: ' + resp.access_token)
    const store = new MemoryTokenStore();
    const users = createMultiUser({ connection: createConnection({}), store, client: org });
    await users.save('me', oauth);
    await users.connectionFor('me').resources();
  });

  it('Username/Password flow (single-user mode: the oauth object is stored in the connection)', async () => {
    const { username, password, securityToken, clientId, clientSecret } = emu.credentials;
    const org = createOAuth2Client({
      clientId,
      clientSecret,
      environment: 'production',
      loginUrl: emu.loginUrl,
    });
    const conn = createConnection({ auth: passwordAuth(org, { username, password, securityToken }) });
    await conn.resources();
    expect((await conn.credentials()).accessToken).toMatch(/^00D/); // 'Cached Token: ' + org.oauth.access_token
  });

  it('Express Middleware', async () => {
    let org!: ReturnType<typeof createOAuth2Client>;
    const app = await startApp((server, url) => {
      org = createOAuth2Client({
        clientId: emu.credentials.clientId,
        clientSecret: emu.credentials.clientSecret,
        redirectUri: `${url}/oauth/_callback`,
        loginUrl: emu.loginUrl,
      });
      server.use(webFlowMiddleware({ client: org, onSuccess: '/home', onError: '/oauth/error' }));
      server.get('/home', async (req, res) => {
        const oauth = (req.session as unknown as { oauth: Credentials }).oauth;
        const conn = createConnection({ auth: refreshTokenAuth(org, oauth) });
        res.json(await conn.resources());
      });
    });
    try {
      const hops = await new Browser().follow(`${app.url}/oauth2/auth`);
      expect(hops.at(-1)!.status).toBe(200);
      expect(JSON.parse(hops.at(-1)!.body)).toHaveProperty('sobjects');
    } finally {
      await app.close();
    }
  });
});
