import {
  createOAuth2Client,
  jwtBearerAuth,
  passwordAuth,
  refreshTokenAuth,
  soapLogin,
  soapLogout,
} from '@sf/auth';
import { createConnection, SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clientFor, type Emulator, emulator, emulatorUser, forgerKeys, issued } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

/** Every string form an error takes in logs, including its causes. */
function serialise(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as Error;
    parts.push(JSON.stringify(current), String(current), e.stack ?? '', e.message ?? '');
    current = e.cause;
  }
  return parts.join('\n');
}

describe('no secret appears in any error', () => {
  it('wrong password, bad code, bad verifier, revoked refresh token, forged JWT, SOAP fault, expired session', async () => {
    const c = emu.credentials;
    const wrongPassword = 'Wr0ng-Pa55word-Secret';
    const secrets = new Set<string>([
      c.password,
      c.securityToken,
      c.clientSecret,
      wrongPassword,
      c.password + c.securityToken,
    ]);
    const errors: unknown[] = [];
    const capture = async (promise: Promise<unknown>) => {
      const e = await promise.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(SalesforceError);
      errors.push(e);
    };
    const client = clientFor(emu);

    await capture(client.password({ ...emulatorUser(emu), password: wrongPassword }));
    await capture(clientFor(emu, { clientSecret: `${c.clientSecret}x` }).password(emulatorUser(emu)));

    const { url, state } = client.getAuthorizationUrl();
    const code = (await approve(url)).searchParams.get('code')!;
    secrets.add(code);
    const badVerifier = 'V'.repeat(43);
    secrets.add(badVerifier);
    await capture(client.exchangeCode(code, { codeVerifier: badVerifier }));
    await capture(client.exchangeCode(code, { state })); // used up: invalid code
    const fakeCode = 'aPrxFakeAuthorizationCode1234567890';
    secrets.add(fakeCode);
    await capture(client.exchangeCode(fakeCode));

    const token = issued(emu);
    secrets.add(token.accessToken).add(token.refreshToken);
    await client.revoke(token.refreshToken);
    await capture(client.refresh(token.refreshToken));
    await capture(client.revoke(token.refreshToken));
    await capture(client.userinfo(token.accessToken));
    await capture(client.identity(token));
    await capture(createConnection({ auth: refreshTokenAuth(client, token) }).resources());

    // The forged assertion itself must not leak: sign one the way the client does and look for it.
    const forgedConn = createConnection({
      auth: jwtBearerAuth(client, { username: c.username, privateKey: forgerKeys.privateKey }),
    });
    await capture(forgedConn.resources());
    secrets.add(forgerKeys.privateKey.split('\n')[1]!);

    await capture(soapLogin({ ...emulatorUser(emu), password: wrongPassword, loginUrl: emu.loginUrl }));
    const soap = await soapLogin({ ...emulatorUser(emu), loginUrl: emu.loginUrl });
    secrets.add(soap.sessionId);
    await soapLogout({ sessionId: soap.sessionId, serverUrl: soap.serverUrl });
    await capture(soapLogout({ sessionId: soap.sessionId, serverUrl: soap.serverUrl }));
    await capture(createConnection({ instanceUrl: emu.instanceUrl, auth: soap.sessionId }).resources());

    const conn = createConnection({ auth: passwordAuth(client, emulatorUser(emu)) });
    await conn.resources();
    secrets.add((await conn.credentials()).accessToken);
    emu.faults.failNext(
      1,
      { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } },
      {
        path: '/services/oauth2/token',
      },
    );
    emu.faults.expireAllTokens();
    await capture(conn.resources());

    await capture(
      Promise.resolve().then(() => createOAuth2Client({ clientId: c.clientId, loginUrl: 'nope' })),
    );

    expect(errors.length).toBeGreaterThanOrEqual(15);
    for (const error of errors) {
      const text = serialise(error);
      for (const secret of secrets)
        expect(text, `a secret leaked into: ${String(error)}`).not.toContain(secret);
      expect(text).not.toMatch(/Bearer\s+00D/);
    }
    // Messages still say what went wrong.
    expect(errors.map((e) => (e as SalesforceError).code)).toContain('AUTH_FAILED');
  });
});
