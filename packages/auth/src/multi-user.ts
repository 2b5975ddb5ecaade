import { type AuthStrategy, type Connection, type Credentials, SalesforceError } from '@sf/core';
import { SOURCE } from './internal.js';
import type { OAuth2Client } from './oauth2-client.js';
import { type StrategyOptions, withLifetime } from './strategies.js';
import type { TokenStore } from './token-store.js';

export interface MultiUserOptions extends StrategyOptions {
  /**
   * The connection whose transport (and keep-alive pool), API version, retry policy and
   * middleware every user's connection shares. It needs no auth of its own.
   */
  connection: Connection;
  /** Where each user's credentials are kept; renewed credentials are written back to it. */
  store: TokenStore;
  /** Renews tokens that carry a refresh token. Without it, an expired token is an AUTH_FAILED error. */
  client?: OAuth2Client;
  /** Connections kept for reuse (so a user's concurrent requests share one renewal). Default 1,000. */
  maxConnections?: number;
}

export interface MultiUser {
  /** The connection for one user: each request carries that user's token. */
  connectionFor(userKey: string): Connection;
  /** Stores a user's credentials (after a login or the web-flow callback). */
  save(userKey: string, credentials: Credentials): Promise<void>;
  /** Forgets a user's credentials and connection (logout). */
  forget(userKey: string): Promise<void>;
}

/**
 * One connected app, many users (nforce's multi-user mode): one base connection and its
 * transport pool, one token store, and a connection per user made with `conn.withAuth`.
 * Renewals are written back to the store.
 *
 * @example
 * const users = createMultiUser({ connection: createConnection({ instanceUrl }), client: oauth2, store });
 * await users.save(req.user.id, credentials);
 * const accounts = await users.connectionFor(req.user.id).get('sobjects/Account');
 */
export function createMultiUser(options: MultiUserOptions): MultiUser {
  const { connection, store, client } = options;
  const max = options.maxConnections ?? 1_000;
  const cache = new Map<string, Connection>();

  const strategyFor = (userKey: string): AuthStrategy => ({
    async getCredentials() {
      const found = await store.get(userKey);
      if (!found) {
        throw new SalesforceError('no stored credentials for this user: log them in first', {
          code: 'AUTH_FAILED',
          source: SOURCE,
        });
      }
      return withLifetime(found, options);
    },
    async refresh(ctx, rejected) {
      const latest = await store.get(userKey);
      // Another process may have renewed already.
      if (latest && latest.accessToken !== rejected.accessToken) return latest;
      const refreshToken = rejected.refreshToken ?? latest?.refreshToken;
      if (!client || !refreshToken) {
        throw new SalesforceError('the session expired and this user has no refresh token to renew it', {
          code: 'AUTH_FAILED',
          errorCode: 'INVALID_SESSION_ID',
          source: SOURCE,
        });
      }
      const next = await client.refresh(refreshToken, {
        transport: ctx.transport,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
      });
      return withLifetime({ refreshToken, ...next }, options);
    },
  });

  return {
    connectionFor(userKey) {
      const cached = cache.get(userKey);
      if (cached) {
        cache.delete(userKey); // re-insert: most recently used last
        cache.set(userKey, cached);
        return cached;
      }
      const conn = connection.withAuth(strategyFor(userKey));
      conn.on('refresh', (credentials) => {
        void Promise.resolve(store.set(userKey, credentials)).catch(() => {
          // A store that fails to save must not break the request that renewed; the next
          // renewal will try again.
        });
      });
      cache.set(userKey, conn);
      while (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return conn;
    },
    async save(userKey, credentials) {
      cache.delete(userKey);
      await store.set(userKey, credentials);
    },
    async forget(userKey) {
      cache.delete(userKey);
      await store.delete(userKey);
    },
  };
}
