import type { Credentials } from '@sf/core';

/**
 * Where each user's credentials live between requests and restarts: a database, Redis, an
 * encrypted cookie... Keys are yours (a user id, a session id). Implementations may be sync
 * or async; the multi-user helper awaits them.
 */
export interface TokenStore {
  get(key: string): Promise<Credentials | undefined> | Credentials | undefined;
  set(key: string, credentials: Credentials): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/**
 * Keeps credentials in this process's memory: for tests, scripts and single-process apps.
 * Entries are copied in and out, so callers cannot change what is stored by accident.
 *
 * @example
 * const store = new MemoryTokenStore();
 * await store.set('alice', credentials);
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, Credentials>();

  async get(key: string): Promise<Credentials | undefined> {
    const found = this.#entries.get(key);
    return found ? { ...found } : undefined;
  }

  async set(key: string, credentials: Credentials): Promise<void> {
    this.#entries.set(key, { ...credentials });
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
