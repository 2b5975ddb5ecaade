// verifySignature: 'strict' refuses a token response that cannot be checked (no `signature`,
// `id` or `issued_at`), where the default only checks what is there.

import { createHmac } from 'node:crypto';
import { createOAuth2Client } from '@sf/auth';
import { SalesforceError } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, type Emulator, emulator, emulatorUser, issued, jwtKeys } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

const TOKEN = { path: '/services/oauth2/token' };

function unsigned(omit: 'signature' | 'issued_at' | 'id'): Record<string, string> {
  const body: Record<string, string> = {
    access_token: '00Dunsigned!token',
    instance_url: emu.url,
    id: `${emu.loginUrl}/id/00D000000000001AAA/005000000000001AAA`,
    token_type: 'Bearer',
    issued_at: '1700000000000',
  };
  body.signature = createHmac('sha256', emu.credentials.clientSecret)
    .update(body.id! + body.issued_at!)
    .digest('base64');
  delete body[omit];
  return body;
}

async function rejection(promise: Promise<unknown>): Promise<SalesforceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SalesforceError);
  return error as SalesforceError;
}

describe("verifySignature: 'strict'", () => {
  it('refuses a response without signature, issued_at or id with AUTH_FAILED; the token is not used', async () => {
    const strict = clientFor(emu, { verifySignature: 'strict' });
    for (const omit of ['signature', 'issued_at', 'id'] as const) {
      emu.faults.failNext(1, { status: 200, body: unsigned(omit) }, TOKEN);
      const error = await rejection(strict.password(emulatorUser(emu)));
      expect(error, omit).toMatchObject({ code: 'AUTH_FAILED' });
      expect(error.message).toMatch(/^\[@sf\/auth\] .*cannot be verified/);
      expect(error.message).not.toContain('00Dunsigned');
      expect(error.message).not.toContain(emu.credentials.clientSecret);
    }
  });

  it('the default (true) still takes a response without a signature', async () => {
    emu.faults.failNext(1, { status: 200, body: unsigned('signature') }, TOKEN);
    expect((await clientFor(emu).password(emulatorUser(emu))).accessToken).toBe('00Dunsigned!token');
  });

  it('still refuses a wrong signature, and takes every signed flow of the emulator', async () => {
    const strict = clientFor(emu, { verifySignature: 'strict' });
    emu.faults.failNext(1, { status: 200, body: { ...unsigned('id'), id: `${emu.loginUrl}/id/x/y` } }, TOKEN);
    expect((await rejection(strict.password(emulatorUser(emu)))).code).toBe('AUTH_FAILED');
    expect((await strict.password(emulatorUser(emu))).accessToken).toMatch(/^00D/);
    expect((await strict.refresh(issued(emu).refreshToken)).accessToken).toMatch(/^00D/);
    expect((await strict.clientCredentials()).accessToken).toMatch(/^00D/);
  });

  it('JWT bearer is exempt (Salesforce documents its response without signature or issued_at)', async () => {
    const strict = clientFor(emu, { verifySignature: 'strict' });
    const { signature: _s, issued_at: _i, ...jwtResponse } = unsigned('signature');
    emu.faults.failNext(1, { status: 200, body: jwtResponse }, TOKEN);
    const credentials = await strict.jwtBearer({
      username: emu.credentials.username,
      privateKey: jwtKeys.privateKey,
    });
    expect(credentials.accessToken).toBe('00Dunsigned!token');
    // ...but a signature it does carry must verify.
    emu.faults.failNext(
      1,
      { status: 200, body: { ...jwtResponse, signature: 'AAAA', issued_at: '1' } },
      TOKEN,
    );
    const error = await rejection(
      strict.jwtBearer({ username: emu.credentials.username, privateKey: jwtKeys.privateKey }),
    );
    expect(error.code).toBe('AUTH_FAILED');
  });

  it("'strict' needs a client secret, and other values are refused", () => {
    const base = { clientId: emu.credentials.clientId, loginUrl: emu.loginUrl };
    expect(() => createOAuth2Client({ ...base, verifySignature: 'strict' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createOAuth2Client({ ...base, clientSecret: 'x', verifySignature: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
