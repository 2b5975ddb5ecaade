// createConnection refuses the connection options of nforce and jsforce that mean something
// there, instead of ignoring them: `environment: 'sandbox'` ignored would log a user in to
// production, `mode: 'multi'` ignored would run every user's calls as one user.
import { createConnection, isSalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

function refusal(options: object): Error {
  try {
    createConnection(options as Parameters<typeof createConnection>[0]);
  } catch (error) {
    expect(isSalesforceError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^\[@sf\/core\] createConnection\(\)/);
    return error as Error;
  }
  throw new Error('createConnection accepted the options');
}

describe('createConnection and the old libraries’ connection options', () => {
  it("nforce's README call is refused, naming each key and where it goes now, never a value", () => {
    const message = refusal({
      clientId: 'the-client-id-value',
      clientSecret: 'the-client-secret-value',
      redirectUri: 'http://localhost:3000/oauth/_callback',
      apiVersion: 'v27.0',
      environment: 'sandbox',
      mode: 'multi',
    }).message;
    for (const key of ['clientId', 'clientSecret', 'redirectUri', 'environment', 'mode'])
      expect(message).toContain(`\`${key}\``);
    expect(message).toContain('createOAuth2Client');
    expect(message).toContain("environment: 'sandbox'");
    expect(message).toContain('https://test.salesforce.com');
    expect(message).toContain('withAuth');
    expect(message).toContain('createMultiUser');
    expect(message).not.toContain('the-client-id-value');
    expect(message).not.toContain('the-client-secret-value');
    expect(message).not.toContain('localhost:3000');
    // apiVersion is ours too, so it is not named.
    expect(message).not.toContain('`apiVersion`:');
  });

  it.each([
    ['environment', 'sandbox', 'test.salesforce.com'],
    ['mode', 'single', 'createConnection({ auth })'],
    ['loginUri', 'https://login.example.com', 'loginUrl'],
    ['testLoginUri', 'https://test.example.com', 'loginUrl'],
    ['loginUrl', 'https://test.salesforce.com', 'createOAuth2Client({ loginUrl })'],
    ['version', '58.0', 'apiVersion'],
    ['accessToken', '00Dxx0000000001!AQ0AQSecretTokenValue', 'auth: accessToken'],
    ['sessionId', '00Dxx0000000001!AQ0AQSecretSessionValue', 'auth: sessionId'],
    ['refreshToken', '5Aep861SecretRefreshValue', 'refreshTokenAuth'],
    ['serverUrl', 'https://x.my.salesforce.com/services/Soap/u/58.0', 'instanceUrl'],
    ['oauth2', { clientId: 'id', clientSecret: 'SecretValue' }, 'createOAuth2Client'],
    ['oauth', { access_token: 'SecretTokenValue', instance_url: 'https://x' }, 'auth: credentials'],
    ['password', 'SecretPasswordValue', 'passwordAuth'],
    ['username', 'user@example.com', 'passwordAuth'],
    ['autoRefresh', true, 'renews'],
    ['refreshFn', () => {}, 'AuthStrategy'],
    ['logLevel', 'DEBUG', 'logger'],
    ['timeout', 5000, 'timeoutMs'],
  ])('refuses `%s` (never quoting its value) and says what to use instead', (key, value, hint) => {
    const message = refusal({ instanceUrl: emu.instanceUrl, auth: 'token', [key]: value }).message;
    expect(message).toContain(`\`${key}\``);
    expect(message).toContain(hint);
    expect(message).not.toMatch(/Secret\w*Value|user@example\.com/);
  });

  it('sends nothing: the refusal comes before any request', () => {
    emu.resetRequests();
    refusal({ instanceUrl: emu.instanceUrl, auth: 'token', environment: 'sandbox' });
    expect(emu.requests).toHaveLength(0);
  });

  it('an old key set to undefined (an unset environment variable) is not refused', async () => {
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      ...({ loginUrl: undefined, environment: undefined } as object),
    });
    expect((await conn.versions()).length).toBeGreaterThan(0);
  });

  it("today's options still work, and withAuth keeps working", async () => {
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      apiVersion: 'v64.0',
      timeoutMs: 30_000,
      retry: false,
    });
    const other = conn.withAuth(emu.issueToken().accessToken);
    expect(Object.keys(await other.resources())).toContain('sobjects');
  });
});

describe("nforce's apiVersion as a number", () => {
  it('takes 64 (a number, as nforce allowed) as 64.0, and refuses what is not a version with INVALID_ARGUMENT', () => {
    const conn = createConnection({ instanceUrl: emu.instanceUrl, apiVersion: 64 as unknown as string });
    expect(conn.apiVersion).toBe('64.0');
    for (const bad of [64.5, Number.NaN, { v: 64 }])
      expect(() => createConnection({ apiVersion: bad as unknown as string })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/apiVersion/) }),
      );
  });
});
