// Shared by the @sf/auth tests: the emulator (over real HTTP), a JWT key pair, and small
// helpers to walk the web-server flow's redirects by hand.

import { generateKeyPairSync } from 'node:crypto';
import { createOAuth2Client, type OAuth2Client, type OAuth2ClientOptions } from '@sf/auth';
import type { Credentials } from '@sf/core';
import { startEmulator } from '@sf/emulator';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** One RSA key pair for the whole test run (generation is slow). */
export const jwtKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

/** A key the emulator does not know: assertions signed with it are forged. */
export const forgerKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export async function emulator(): Promise<Emulator> {
  return startEmulator({ port: 0, jwtPublicKey: jwtKeys.publicKey });
}

export const REDIRECT_URI = 'http://127.0.0.1:9/oauth2/callback';

export function clientFor(emu: Emulator, overrides: Partial<OAuth2ClientOptions> = {}): OAuth2Client {
  return createOAuth2Client({
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    redirectUri: REDIRECT_URI,
    loginUrl: emu.loginUrl,
    ...overrides,
  });
}

/** Follows the authorize URL as a browser would, up to the redirect back to us; returns the callback URL. */
export async function approve(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
  return new URL(location);
}

export function tokenRequests(emu: Emulator): number {
  return emu.requests.filter((r) => r.path === '/services/oauth2/token').length;
}

export function emulatorUser(emu: Emulator) {
  const c = emu.credentials;
  return { username: c.username, password: c.password, securityToken: c.securityToken };
}

/** `emu.issueToken()` as core's Credentials (its `issuedAt` is the token endpoint's string). */
export function issued(
  emu: Emulator,
  options: { userId?: string } = {},
): Credentials & { refreshToken: string } {
  const token = emu.issueToken(options);
  return { ...token, issuedAt: Number(token.issuedAt) };
}
