// CONVENTIONS.md rule 2: every call that goes over the network takes `signal` and `timeoutMs`
// in its last argument. An abort rejects with `signal.reason` unchanged; a timeout is TIMEOUT.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOAuth2Client, type OAuth2Client, soapLogin, soapLogout } from '@sf/auth';
import { isSalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, type Emulator, emulator, emulatorUser, issued, jwtKeys } from './helpers.js';

let emu: Emulator;
// A server that takes requests and never answers: only a timeout ends them.
let silent: Server;
let silentUrl: string;
beforeAll(async () => {
  emu = await emulator();
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  await emu.close();
});

type Options = { signal?: AbortSignal; timeoutMs?: number };

/** Every network call of the package, given its last options object and where to send it. */
function calls(client: OAuth2Client, loginUrl: string, instanceUrl: string) {
  const token = issued(emu);
  const user = emulatorUser(emu);
  const withId = { accessToken: token.accessToken, id: `${instanceUrl}/id/${emu.orgId}/005x` };
  return {
    exchangeCode: (o: Options) => client.exchangeCode('code', { codeVerifier: 'v'.repeat(43), ...o }),
    password: (o: Options) => client.password(user, o),
    refresh: (o: Options) => client.refresh(token.refreshToken, o),
    jwtBearer: (o: Options) =>
      client.jwtBearer({ username: user.username, privateKey: jwtKeys.privateKey }, o),
    clientCredentials: (o: Options) => client.clientCredentials(o),
    revoke: (o: Options) => client.revoke(token.accessToken, o),
    userinfo: (o: Options) => client.userinfo(token.accessToken, o),
    identity: (o: Options) => client.identity(withId, o),
    identityWithoutId: (o: Options) => client.identity({ accessToken: token.accessToken, instanceUrl }, o),
    soapLogin: (o: Options) => soapLogin({ ...user, loginUrl, ...o }),
    soapLogout: (o: Options) => soapLogout({ sessionId: token.accessToken, instanceUrl, ...o }),
  };
}

describe('signal and timeoutMs on every network call', () => {
  it('an aborted signal rejects each call with its reason, unchanged, and nothing reaches the emulator', async () => {
    const before = emu.requests.length;
    for (const [name, call] of Object.entries(calls(clientFor(emu), emu.loginUrl, emu.instanceUrl))) {
      const reason = new Error(`stop ${name}`);
      const error = await call({ signal: AbortSignal.abort(reason) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBe(reason);
    }
    expect(emu.requests.length).toBe(before);
  });

  it('timeoutMs ends each call to a server that never answers with TIMEOUT', async () => {
    const client = createOAuth2Client({
      clientId: emu.credentials.clientId,
      clientSecret: emu.credentials.clientSecret,
      redirectUri: 'http://127.0.0.1:9/cb',
      loginUrl: silentUrl,
    });
    const all = calls(client, silentUrl, silentUrl);
    const results = await Promise.all(
      Object.entries(all).map(async ([name, call]) => [name, await call({ timeoutMs: 200 }).catch((e) => e)]),
    );
    for (const [name, error] of results) {
      expect(isSalesforceError(error, 'TIMEOUT'), `${name}: ${String(error)}`).toBe(true);
    }
  });
});
