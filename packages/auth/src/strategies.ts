import type { AuthContext, AuthStrategy, Credentials } from '@sf/core';
import { type SalesforceError, salesforceError } from '@sf/core';
import { type AuthCallOptions, SOURCE } from './internal.js';
import type { ExchangeCodeOptions, JwtBearerLogin, OAuth2Client, PasswordLogin } from './oauth2-types.js';

/** Options every strategy takes. */
export interface StrategyOptions {
  /**
   * How long a session lives, in ms. Salesforce's token response carries no `expires_in`
   * (the org's session timeout decides), so set this to your org's timeout to renew shortly
   * before expiry instead of on the first 401. Renewal on 401 works either way.
   */
  sessionLifetimeMs?: number;
}

/** The AuthContext as call options for the client. */
function call(ctx: AuthContext): AuthCallOptions {
  return {
    transport: ctx.transport,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
  };
}

/** Sets `expiresAt` from the configured lifetime when Salesforce did not say. */
export function withLifetime(credentials: Credentials, options: StrategyOptions): Credentials {
  if (credentials.expiresAt !== undefined || options.sessionLifetimeMs === undefined) return credentials;
  return { ...credentials, expiresAt: (credentials.issuedAt ?? Date.now()) + options.sessionLifetimeMs };
}

function noRefreshToken(): SalesforceError {
  return salesforceError(
    SOURCE,
    'AUTH_FAILED',
    'the session expired and there is no refresh token to renew it (ask for the refresh_token scope)',
    { errorCode: 'INVALID_SESSION_ID' },
  );
}

/** Renews with the refresh token of the rejected credentials, else the one given at the start. */
function refreshingWith(client: OAuth2Client, options: StrategyOptions, initial?: string) {
  return async (ctx: AuthContext, rejected: Credentials): Promise<Credentials> => {
    const refreshToken = rejected.refreshToken ?? initial;
    if (!refreshToken) throw noRefreshToken();
    const next = await client.refresh(refreshToken, call(ctx));
    // Salesforce answers a refresh without the refresh token: keep using the one we have.
    return withLifetime({ refreshToken, ...next }, options);
  };
}

/**
 * Credentials you already hold (from a callback, a store, or a previous run): used as they
 * are, and renewed with their refresh token. Give just `{ refreshToken }` to start by refreshing.
 *
 * @example
 * const conn = createConnection({ auth: refreshTokenAuth(oauth2, { accessToken, refreshToken, instanceUrl }) });
 * conn.on('refresh', (credentials) => save(credentials));
 */
export function refreshTokenAuth(
  client: OAuth2Client,
  credentials: Partial<Credentials> & ({ refreshToken: string } | { accessToken: string }),
  options: StrategyOptions = {},
): AuthStrategy {
  const refresh = refreshingWith(client, options, credentials.refreshToken);
  return {
    async getCredentials(ctx) {
      if (credentials.accessToken) return withLifetime({ ...credentials } as Credentials, options);
      return refresh(ctx, { accessToken: '', ...credentials });
    },
    refresh,
  };
}

/**
 * The web-server flow's second half: exchanges the callback's code (with its PKCE verifier)
 * on first use, then renews with the refresh token Salesforce issued alongside.
 *
 * @example
 * const conn = createConnection({ auth: authorizationCodeAuth(oauth2, code, { state }) });
 * const { userId, organizationId } = await conn.credentials();
 */
export function authorizationCodeAuth(
  client: OAuth2Client,
  code: string,
  options: StrategyOptions & Omit<ExchangeCodeOptions, keyof AuthCallOptions> = {},
): AuthStrategy {
  const { sessionLifetimeMs: _lifetime, ...exchange } = options;
  let exchanged = false;
  return {
    async getCredentials(ctx) {
      if (exchanged) {
        throw salesforceError(SOURCE, 'AUTH_FAILED', 'an authorization code can be exchanged only once');
      }
      exchanged = true;
      return withLifetime(await client.exchangeCode(code, { ...exchange, ...call(ctx) }), options);
    },
    refresh: refreshingWith(client, options),
  };
}

/**
 * Username-password flow. Salesforce issues no refresh token here, so an expired session is
 * renewed by logging in again.
 *
 * @example
 * const conn = createConnection({ auth: passwordAuth(oauth2, { username, password, securityToken }) });
 */
export function passwordAuth(
  client: OAuth2Client,
  login: PasswordLogin,
  options: StrategyOptions = {},
): AuthStrategy {
  const logIn = async (ctx: AuthContext) => withLifetime(await client.password(login, call(ctx)), options);
  return { getCredentials: logIn, refresh: logIn };
}

/**
 * JWT bearer flow: a server-to-server login with no user present and no refresh token; a new
 * assertion is signed for every renewal.
 *
 * @example
 * const conn = createConnection({ auth: jwtBearerAuth(oauth2, { username, privateKey: readFileSync('server.key', 'utf8') }) });
 */
export function jwtBearerAuth(
  client: OAuth2Client,
  login: JwtBearerLogin,
  options: StrategyOptions = {},
): AuthStrategy {
  const mint = async (ctx: AuthContext) => withLifetime(await client.jwtBearer(login, call(ctx)), options);
  return { getCredentials: mint, refresh: mint };
}

/**
 * Client credentials flow: the connected app logs in as its run-as user; renewed by asking
 * again. Salesforce requires the org's My Domain as the client's `loginUrl` for this flow.
 *
 * @example
 * const oauth2 = createOAuth2Client({ clientId, clientSecret, loginUrl: 'https://acme.my.salesforce.com' });
 * const conn = createConnection({ auth: clientCredentialsAuth(oauth2) });
 */
export function clientCredentialsAuth(client: OAuth2Client, options: StrategyOptions = {}): AuthStrategy {
  const mint = async (ctx: AuthContext) => withLifetime(await client.clientCredentials(call(ctx)), options);
  return { getCredentials: mint, refresh: mint };
}
