// The JWT bearer grant (`urn:ietf:params:oauth:grant-type:jwt-bearer`): an RS256 assertion
// verified against the public key or X.509 certificate registered with the connected app.
// Refusals are worded as Salesforce words them; no refresh token is issued, as in Salesforce.

import { createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import type { BuiltInUser, EmulatorContext } from '../context.js';
import { HttpError } from '../http-util.js';
import type { Session } from '../sessions.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce accepts assertions that expire within three minutes (a little clock skew allowed). */
const MAX_LIFETIME_SECONDS = 180;
const CLOCK_SKEW_SECONDS = 30;

// Keys per emulator, kept beside the context rather than in it.
const keyRings = new WeakMap<EmulatorContext, KeyObject[]>();

/**
 * Registers the public key (PEM `PUBLIC KEY`) or X.509 certificate (PEM `CERTIFICATE`) that
 * the connected app verifies JWT assertions with, as uploading a certificate to a connected
 * app does. Several may be registered; any one verifying the signature is enough.
 */
export function registerJwtKey(ctx: EmulatorContext, pem: string | Buffer): void {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  let key: KeyObject;
  try {
    key = /BEGIN CERTIFICATE/.test(text) ? new X509Certificate(text).publicKey : createPublicKey(text);
  } catch (cause) {
    throw new TypeError('[@sf/emulator] jwt key must be a PEM public key or X.509 certificate', { cause });
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new TypeError('[@sf/emulator] jwt key must be an RSA key (RS256)');
  const ring = keyRings.get(ctx) ?? [];
  ring.push(key);
  keyRings.set(ctx, ring);
}

function refuse(description: string): HttpError {
  return new HttpError(400, { error: 'invalid_grant', error_description: description });
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function acceptedAudiences(ctx: EmulatorContext): Set<string> {
  const base = ctx.url.replace(/\/+$/, '');
  return new Set([base, `${base}/`, 'https://login.salesforce.com', 'https://test.salesforce.com']);
}

function userByUsername(ctx: EmulatorContext, username: unknown): BuiltInUser | undefined {
  if (typeof username !== 'string') return undefined;
  const wanted = username.toLowerCase();
  return Object.values(ctx.users).find((u) => u.username.toLowerCase() === wanted);
}

/** Verifies the `assertion` of a JWT bearer token request and issues a session (no refresh token). */
export function jwtBearerGrant(ctx: EmulatorContext, form: URLSearchParams): Session {
  const assertion = form.get('assertion');
  if (!assertion)
    throw new HttpError(400, { error: 'invalid_request', error_description: 'assertion is missing' });
  const parts = assertion.split('.');
  if (parts.length !== 3) throw refuse('invalid assertion');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims || header.alg !== 'RS256') throw refuse('invalid assertion');

  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const keys = keyRings.get(ctx) ?? [];
  if (!keys.some((key) => verify('RSA-SHA256', signed, key, signature))) throw refuse('invalid assertion');

  if (claims.iss !== ctx.credentials.clientId) throw refuse('client identifier invalid');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const accepted = acceptedAudiences(ctx);
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.has(aud)))
    throw refuse('audience is invalid');
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS <= now)
    throw refuse('expired assertion');
  if (claims.exp > now + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) throw refuse('invalid assertion expiry');
  const user = userByUsername(ctx, claims.sub);
  if (!user) throw refuse("user hasn't approved this consumer");
  return ctx.sessions.issue(user.userId, ctx.credentials.clientId, { refresh: false, scope: 'api full' });
}
