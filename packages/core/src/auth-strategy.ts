import type { Transport } from './transport.js';

/** What a successful login yields. Only `accessToken` is required. */
export interface Credentials {
  accessToken: string;
  /** Where the org's API lives; flows that log in learn it from Salesforce. */
  instanceUrl?: string;
  tokenType?: string;
  refreshToken?: string;
  /** Epoch ms when the token was issued. */
  issuedAt?: number;
  /** Epoch ms after which the token is known to be invalid; renewed shortly before. */
  expiresAt?: number;
  /** Identity URL (`.../id/{orgId}/{userId}`). */
  id?: string;
  userId?: string;
  organizationId?: string;
  scope?: string;
}

/** What a strategy may use to talk to the login server. */
export interface AuthContext {
  /** The connection's base transport (no auth middleware on it). */
  transport: Transport;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * How a connection gets a token, and a new one when Salesforce refuses the old.
 * @sf/auth implements this for every OAuth flow and SOAP login; plugins may add more.
 */
export interface AuthStrategy {
  /** Credentials to start with (logging in if the strategy must). */
  getCredentials(context: AuthContext): Promise<Credentials>;
  /**
   * New credentials after `rejected` was refused or is about to expire. Absent when the
   * strategy cannot renew (a fixed token): the 401 then reaches the caller.
   */
  refresh?(context: AuthContext, rejected: Credentials): Promise<Credentials>;
}

/**
 * The simplest strategy: a token (OAuth access token or SOAP session id, sent the same way)
 * that the app already has. It cannot renew itself.
 *
 * @example
 * createConnection({ instanceUrl, auth: tokenAuth(process.env.SF_TOKEN!) })
 */
export function tokenAuth(accessToken: string | Credentials): AuthStrategy {
  const credentials = typeof accessToken === 'string' ? { accessToken } : { ...accessToken };
  return { getCredentials: async () => credentials };
}

/** A SOAP session id is used exactly as an access token. */
export const sessionIdAuth = (sessionId: string): AuthStrategy => tokenAuth(sessionId);

/** Whether a value looks like an AuthStrategy (structural, works across copies). */
export function isAuthStrategy(value: unknown): value is AuthStrategy {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AuthStrategy).getCredentials === 'function'
  );
}
