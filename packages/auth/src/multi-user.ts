import {
  type AuthContext,
  type AuthStrategy,
  type Connection,
  type Credentials,
  isSalesforceError,
  salesforceError,
  type SalesforceError,
} from '@sf/core';
import { SOURCE } from './internal.js';
import type { OAuth2Client } from './oauth2-types.js';
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
  /**
   * Told when the store fails to save a user's renewed credentials (`code: 'STORE_FAILED'`,
   * the store's error as `cause`, never a token in it). The request that renewed still
   * succeeds and the connection keeps the new credentials in memory; the next renewal saves
   * again. Until then the store holds the old ones, which with refresh-token rotation no
   * longer renew: alert on it. Without this option the error is a process warning.
   */
  onStoreError?: (error: SalesforceError, userKey: string) => void;
}

export interface MultiUser {
  /** The connection for one user: each request carries that user's token. */
  connectionFor(userKey: string): Connection;
  /** Stores a user's credentials (after a login or the web-flow callback). */
  save(userKey: string, credentials: Credentials): Promise<void>;
  /** Forgets a user's credentials and connection (logout). */
  forget(userKey: string): Promise<void>;
}

/** What a renewal keeps from the credentials it replaces (never their token or timing). */
function identity(credentials: Credentials): Partial<Credentials> {
  const { accessToken: _a, issuedAt: _i, expiresAt: _e, ...rest } = credentials;
  return rest;
}

/**
 * Whether the store holds a renewal newer than `rejected` (another process renewed). An
 * entry issued before `rejected` is stale (a save that failed), not newer.
 */
function newerThan(stored: Credentials | undefined, rejected: Credentials): boolean {
  if (!stored || stored.accessToken === rejected.accessToken) return false;
  if (stored.issuedAt !== undefined && rejected.issuedAt !== undefined)
    return stored.issuedAt > rejected.issuedAt;
  return true;
}

/**
 * One connected app, many users (the multi-user mode of nforce's README, `shared/seeds/`): one base connection and its
 * transport pool, one token store, and a connection per user made with `conn.withAuth`.
 * Renewals are written back to the store before the request that renewed goes on; a failed
 * write goes to `onStoreError`.
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

  const report = (error: SalesforceError, userKey: string) => {
    if (!options.onStoreError) {
      process.emitWarning(error);
      return;
    }
    try {
      options.onStoreError(error, userKey);
    } catch (cause) {
      process.emitWarning(
        salesforceError(SOURCE, 'STORE_FAILED', 'onStoreError threw while reporting a token store failure', {
          cause,
        }),
      );
    }
  };

  const persist = async (userKey: string, credentials: Credentials): Promise<void> => {
    try {
      await store.set(userKey, credentials);
    } catch (cause) {
      report(
        salesforceError(
          SOURCE,
          'STORE_FAILED',
          "could not save a user's renewed credentials to the token store; they are used from memory and saved again at the next renewal",
          { cause },
        ),
        userKey,
      );
    }
  };

  const renew = (ctx: AuthContext, refreshToken: string) =>
    client!.refresh(refreshToken, {
      transport: ctx.transport,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    });

  const strategyFor = (userKey: string): AuthStrategy => ({
    async getCredentials() {
      const found = await store.get(userKey);
      if (!found) {
        throw salesforceError(
          SOURCE,
          'AUTH_FAILED',
          'no stored credentials for this user: log them in first',
        );
      }
      return withLifetime(found, options);
    },
    async refresh(ctx, rejected) {
      const latest = await store.get(userKey);
      // Another process may have renewed already.
      if (latest && newerThan(latest, rejected)) return withLifetime(latest, options);
      const refreshToken = rejected.refreshToken ?? latest?.refreshToken;
      if (!client || !refreshToken) {
        throw salesforceError(
          SOURCE,
          'AUTH_FAILED',
          'the session expired and this user has no refresh token to renew it',
          { errorCode: 'INVALID_SESSION_ID' },
        );
      }
      let next: Credentials;
      try {
        next = await renew(ctx, refreshToken);
      } catch (error) {
        // With refresh-token rotation, another process may have used this refresh token a
        // moment ago: its renewal, once saved, is in the store.
        if (!isSalesforceError(error) || error.code !== 'AUTH_FAILED') throw error;
        const winner = await store.get(userKey);
        if (winner && newerThan(winner, rejected) && winner.refreshToken !== refreshToken) {
          return withLifetime(winner, options);
        }
        throw error;
      }
      // Salesforce answers a refresh without a refresh token unless it rotates them.
      const renewed = withLifetime({ ...identity(rejected), refreshToken, ...next }, options);
      await persist(userKey, renewed);
      return renewed;
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
