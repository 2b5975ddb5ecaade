// The token response's signature: checked so that a token from another org (or one altered on
// the way) is never used.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { salesforceError } from '@sf/core';
import { SOURCE } from './internal.js';

/**
 * Salesforce signs a token response: `signature` is the Base64 HMAC-SHA256 of `id` followed by
 * `issued_at`, keyed with the consumer secret. A response carrying a signature that does not
 * verify did not come from the org this secret belongs to (or was altered on the way): refuse it.
 * With `required`, a response that lacks what the check needs is refused as well.
 */
export function verifyTokenSignature(
  body: Record<string, unknown>,
  clientSecret: string,
  url: string,
  required: boolean,
): void {
  const { signature, id, issued_at: issuedAt } = body;
  const issued = typeof issuedAt === 'string' || typeof issuedAt === 'number';
  if (typeof signature !== 'string' || typeof id !== 'string' || !issued) {
    if (!required) return;
    throw salesforceError(
      SOURCE,
      'AUTH_FAILED',
      "the token response cannot be verified: it lacks signature, id or issued_at (verifySignature: 'strict'); the token was not used",
      { method: 'POST', url },
    );
  }
  const expected = createHmac('sha256', clientSecret)
    .update(`${id}${String(issuedAt)}`)
    .digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw salesforceError(
    SOURCE,
    'AUTH_FAILED',
    'the token response signature does not verify with the consumer secret (id + issued_at); the token was not used',
    { method: 'POST', url },
  );
}
