// PKCE (RFC 7636) with S256, and the random `state` value of the web-server flow.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh code verifier: 32 random bytes, base64url (43 characters, within RFC 7636's 43–128). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 challenge of a verifier. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable `state` value. */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares two secrets in constant time (for `state`). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What the code exchange must repeat from its authorization request. */
export interface PendingAuthorization {
  codeVerifier?: string;
  redirectUri: string;
}

interface Pending extends PendingAuthorization {
  expiresAt: number;
}

/**
 * Authorizations waiting for their callback (PKCE verifier and redirect URI), keyed by
 * `state`: bounded in size and age so that abandoned logins cannot grow it without end. Each
 * entry is taken once.
 */
export class PendingAuthorizations {
  readonly #entries = new Map<string, Pending>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(ttlMs: number, max: number) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  #dropExpired(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      this.#entries.delete(key);
    }
  }

  put(state: string, entry: PendingAuthorization): void {
    const now = Date.now();
    this.#dropExpired(now);
    this.#entries.delete(state);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(state, { ...entry, expiresAt: now + this.#ttlMs });
  }

  /**
   * For a code exchange that names no `state`: the one authorization waiting (removed), or
   * `'many'` when several are and which one the code belongs to cannot be told, or undefined.
   */
  takeOnly(): PendingAuthorization | 'many' | undefined {
    this.#dropExpired(Date.now());
    if (this.#entries.size > 1) return 'many';
    const only = this.#entries.keys().next().value;
    return only === undefined ? undefined : this.take(only);
  }

  /** The entry for `state`, removed; undefined when unknown or expired. */
  take(state: string): PendingAuthorization | undefined {
    const entry = this.#entries.get(state);
    if (!entry) return undefined;
    this.#entries.delete(state);
    if (entry.expiresAt <= Date.now()) return undefined;
    const { expiresAt: _expiresAt, ...kept } = entry;
    return kept;
  }
}
