// The JWT bearer assertion: RS256 over `{iss, sub, aud, exp}`, signed with node:crypto.

import { createPrivateKey, KeyObject, sign } from 'node:crypto';
import { salesforceError } from '@sf/core';
import { SOURCE } from './internal.js';

/** Salesforce refuses assertions that live longer than three minutes (180,000 ms). */
export const MAX_JWT_LIFETIME_MS = 180_000;

export interface JwtClaimsInput {
  /** The connected app's consumer key. */
  issuer: string;
  /** The Salesforce username to act as. */
  subject: string;
  /** The login host: `https://login.salesforce.com`, `https://test.salesforce.com` or a community URL. */
  audience: string;
  /** How long the assertion is valid, in ms (`exp` is whole seconds, rounded down); at most 180,000. Default 180,000. */
  expiresInMs?: number;
  /** Clock for tests. */
  now?: number;
}

/** Signs a JWT bearer assertion with an RSA private key (PEM text, DER bytes or a KeyObject). */
export function signJwtAssertion(claims: JwtClaimsInput, privateKey: string | Buffer | KeyObject): string {
  if ((claims as { expiresInSeconds?: unknown }).expiresInSeconds !== undefined) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'expiresInSeconds is now expiresInMs (milliseconds, at most 180000)',
    );
  }
  const lifetimeMs = claims.expiresInMs ?? MAX_JWT_LIFETIME_MS;
  if (!(lifetimeMs >= 1000 && lifetimeMs <= MAX_JWT_LIFETIME_MS)) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `expiresInMs must be between 1000 and ${MAX_JWT_LIFETIME_MS}`,
    );
  }
  const lifetime = Math.floor(lifetimeMs / 1000);
  let key: KeyObject;
  try {
    key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
  } catch (cause) {
    // The cause is node's own message, which never quotes the key.
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'privateKey is not a readable private key (PEM or DER)',
      { cause },
    );
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'privateKey must be an RSA private key (RS256)');
  }
  const nowSeconds = Math.floor((claims.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const payload = {
    iss: claims.issuer,
    sub: claims.subject,
    aud: claims.audience,
    exp: nowSeconds + lifetime,
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}
