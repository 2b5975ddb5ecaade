import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { type Credentials, SalesforceError, type Transport } from '@sf/core';
import {
  type CallOptions,
  credentialsFromToken,
  type Environment,
  invalidArgument,
  parseJsonObject,
  postForm,
  resolveLoginUrl,
  SOURCE,
  send,
} from './internal.js';
import { signJwtAssertion } from './jwt.js';
import { codeChallengeS256, createCodeVerifier, createState, PendingAuthorizations } from './pkce.js';

export interface OAuth2ClientOptions {
  /** The connected app's consumer key. */
  clientId: string;
  /** The consumer secret; optional for PKCE-only web-server flows and JWT bearer. */
  clientSecret?: string;
  /** The callback URL registered with the connected app (web-server flow). */
  redirectUri?: string;
  /** A login host or My Domain URL (`https://acme.my.salesforce.com`); wins over `environment`. */
  loginUrl?: string;
  /** `production` (login.salesforce.com, the default) or `sandbox` (test.salesforce.com). */
  environment?: Environment;
  /** Transport for calls that name none; defaults to one shared undici pool. */
  transport?: Transport;
  /**
   * Check the token response's `signature` (HMAC-SHA256 of `id` + `issued_at` keyed with the
   * consumer secret, as Salesforce signs it). `true` (the default): checked whenever there is a
   * secret and a signature; a mismatch is an AUTH_FAILED error and the token is not used.
   * `'strict'` (needs `clientSecret`): a response without `signature`, `id` or `issued_at` is
   * refused too (AUTH_FAILED), except from the JWT bearer grant, whose response Salesforce
   * documents without them. `false`: never checked.
   */
  verifySignature?: boolean | 'strict';
  /** How long a pending authorization (its PKCE verifier and redirect URI) waits for its callback. Default 10 min. */
  pendingTtlMs?: number;
  /** At most this many pending authorizations are kept; the oldest go first. Default 10,000. */
  maxPending?: number;
}

export interface AuthorizationUrlOptions {
  /** Space-separated scopes, e.g. `api id refresh_token`. */
  scope?: string;
  /** Your own `state`; one is generated when absent. */
  state?: string;
  redirectUri?: string;
  /** `login`, `consent`, `select_account`... */
  prompt?: string;
  loginHint?: string;
  display?: 'page' | 'popup' | 'touch' | 'mobile';
  nonce?: string;
  /** PKCE is on by default; switch it off only for a connected app that cannot take it. */
  pkce?: boolean;
}

export interface AuthorizationRequest {
  /** Send the user's browser here. */
  url: string;
  /** Check it against the callback's `state`. */
  state: string;
  /** Keep it for the code exchange (also kept by the client, keyed by `state`). */
  codeVerifier?: string;
  /** The `redirect_uri` sent (always set by `createOAuth2Client`); the code exchange must send the same one. */
  redirectUri?: string;
}

export interface ExchangeCodeOptions extends CallOptions {
  /** The verifier from `getAuthorizationUrl`; looked up by `state` when not given. */
  codeVerifier?: string;
  /** The callback's `state`, to find the verifier and redirect URI this client kept. */
  state?: string;
  /**
   * The `redirect_uri` of the authorization request, which Salesforce wants again with the
   * code. Default: the one `getAuthorizationUrl` used for `state`, else the client's.
   */
  redirectUri?: string;
}

export interface PasswordLogin {
  username: string;
  password: string;
  /** Appended to the password, as Salesforce expects, when given. */
  securityToken?: string;
}

export interface JwtBearerLogin {
  /** The Salesforce username to act as (`sub`). */
  username: string;
  /** The RSA private key whose certificate is uploaded to the connected app. */
  privateKey: string | Buffer | KeyObject;
  /** `aud`: defaults to the client's login URL. */
  audience?: string;
  /** At most 180. Default 180. */
  expiresInSeconds?: number;
}

/**
 * One connected app's OAuth settings, shared by every connection and user of the app. Each
 * method performs one OAuth exchange and resolves with core's `Credentials`; the strategies
 * in this package (`passwordAuth`, `jwtBearerAuth`...) call them for a connection.
 */
export interface OAuth2Client {
  readonly clientId: string;
  readonly loginUrl: string;
  readonly redirectUri: string | undefined;
  readonly transport: Transport | undefined;
  /**
   * The authorize URL, with a fresh PKCE verifier and a `state` (generated when not given).
   * The verifier and the redirect URI are kept, by `state`, for `exchangeCode`.
   */
  getAuthorizationUrl(options?: AuthorizationUrlOptions): AuthorizationRequest;
  /** Removes and returns the verifier this client kept for `state`, if any (and unexpired). */
  takeCodeVerifier(state: string): string | undefined;
  /** Web-server flow: the callback's code for tokens. */
  exchangeCode(code: string, options?: ExchangeCodeOptions): Promise<Credentials>;
  /** Username-password flow (no refresh token is issued). */
  password(login: PasswordLogin, options?: CallOptions): Promise<Credentials>;
  /** A new access token from a refresh token. */
  refresh(refreshToken: string, options?: CallOptions): Promise<Credentials>;
  /** JWT bearer flow: an RS256 assertion for a pre-authorized user. */
  jwtBearer(login: JwtBearerLogin, options?: CallOptions): Promise<Credentials>;
  /** Client credentials flow: the app's run-as user (use a My Domain `loginUrl`). */
  clientCredentials(options?: CallOptions): Promise<Credentials>;
  /** Revokes an access or refresh token (a refresh token takes its access tokens with it). */
  revoke(token: string, options?: CallOptions): Promise<void>;
  /** OpenID Connect userinfo for an access token. */
  userinfo(accessToken: string, options?: CallOptions): Promise<Record<string, unknown>>;
  /** The identity URL's document (`credentials.id`). */
  identity(
    credentials: Pick<Credentials, 'accessToken' | 'id'>,
    options?: CallOptions,
  ): Promise<Record<string, unknown>>;
}

/**
 * Creates an OAuth2 client for one connected app.
 *
 * @example
 * const oauth2 = createOAuth2Client({ clientId, clientSecret, redirectUri: 'http://localhost:3000/oauth2/callback' });
 * const { url, state } = oauth2.getAuthorizationUrl({ scope: 'api id refresh_token' });
 * // ...redirect, then in the callback:
 * const credentials = await oauth2.exchangeCode(code, { state });
 */
export function createOAuth2Client(options: OAuth2ClientOptions): OAuth2Client {
  if (!options || typeof options.clientId !== 'string' || options.clientId === '') {
    throw invalidArgument('clientId is required');
  }
  const loginUrl = resolveLoginUrl(options.loginUrl, options.environment);
  const { clientId, clientSecret, transport } = options;
  const verify = options.verifySignature ?? true;
  if (verify !== true && verify !== false && verify !== 'strict') {
    throw invalidArgument(`verifySignature must be true, false or 'strict'`);
  }
  if (verify === 'strict' && !clientSecret) {
    throw invalidArgument(`verifySignature: 'strict' needs the clientSecret to check signatures with`);
  }
  const pending = new PendingAuthorizations(
    options.pendingTtlMs ?? 10 * 60_000,
    options.maxPending ?? 10_000,
  );
  const tokenUrl = `${loginUrl}/services/oauth2/token`;

  const token = async (form: Record<string, string | undefined>, call: CallOptions): Promise<Credentials> => {
    const body = await postForm(tokenUrl, form, call, transport);
    if (clientSecret && verify !== false) {
      // Salesforce's documented JWT bearer response carries no signature and no issued_at.
      const required = verify === 'strict' && form.grant_type !== JWT_BEARER_GRANT;
      verifyTokenSignature(body, clientSecret, tokenUrl, required);
    }
    return credentialsFromToken(body, tokenUrl);
  };

  const getJson = async (
    url: string,
    accessToken: string,
    call: CallOptions,
  ): Promise<Record<string, unknown>> => {
    const { status, text } = await send(
      { method: 'GET', url, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
      call,
      transport,
    );
    return parseJsonObject(text, status, 'GET', url);
  };

  const client: OAuth2Client = {
    clientId,
    loginUrl,
    redirectUri: options.redirectUri,
    transport,

    getAuthorizationUrl(o = {}) {
      const redirectUri = o.redirectUri ?? options.redirectUri;
      if (!redirectUri) throw invalidArgument('redirectUri is required for the web-server flow');
      const state = o.state ?? createState();
      const url = new URL(`${loginUrl}/services/oauth2/authorize`);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      if (o.scope) url.searchParams.set('scope', o.scope);
      if (o.prompt) url.searchParams.set('prompt', o.prompt);
      if (o.loginHint) url.searchParams.set('login_hint', o.loginHint);
      if (o.display) url.searchParams.set('display', o.display);
      if (o.nonce) url.searchParams.set('nonce', o.nonce);
      if (o.pkce === false) {
        pending.put(state, { redirectUri });
        return { url: url.toString(), state, redirectUri };
      }
      const codeVerifier = createCodeVerifier();
      url.searchParams.set('code_challenge', codeChallengeS256(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      pending.put(state, { codeVerifier, redirectUri });
      return { url: url.toString(), state, codeVerifier, redirectUri };
    },

    takeCodeVerifier: (state) => pending.take(state)?.codeVerifier,

    async exchangeCode(code, o = {}) {
      if (typeof code !== 'string' || code === '') throw invalidArgument('an authorization code is required');
      const kept = o.state === undefined ? undefined : pending.take(o.state);
      const redirectUri = o.redirectUri ?? kept?.redirectUri ?? options.redirectUri;
      if (!redirectUri) throw invalidArgument('redirectUri is required for the web-server flow');
      const codeVerifier = o.codeVerifier ?? kept?.codeVerifier;
      return token(
        {
          grant_type: 'authorization_code',
          code,
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        },
        o,
      );
    },

    async password(login, o = {}) {
      if (!login?.username || typeof login.password !== 'string') {
        throw invalidArgument('username and password are required');
      }
      return token(
        {
          grant_type: 'password',
          client_id: clientId,
          client_secret: clientSecret,
          username: login.username,
          password: login.password + (login.securityToken ?? ''),
        },
        o,
      );
    },

    async refresh(refreshToken, o = {}) {
      if (typeof refreshToken !== 'string' || refreshToken === '')
        throw invalidArgument('a refresh token is required');
      return token(
        {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: clientId,
          client_secret: clientSecret,
        },
        o,
      );
    },

    async jwtBearer(login, o = {}) {
      if (!login?.username) throw invalidArgument('username is required for the JWT bearer flow');
      const assertion = signJwtAssertion(
        {
          issuer: clientId,
          subject: login.username,
          audience: login.audience ?? loginUrl,
          ...(login.expiresInSeconds === undefined ? {} : { expiresInSeconds: login.expiresInSeconds }),
        },
        login.privateKey,
      );
      return token({ grant_type: JWT_BEARER_GRANT, assertion }, o);
    },

    async clientCredentials(o = {}) {
      if (!clientSecret) throw invalidArgument('clientSecret is required for the client credentials flow');
      return token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, o);
    },

    async revoke(tokenToRevoke, o = {}) {
      if (typeof tokenToRevoke !== 'string' || tokenToRevoke === '')
        throw invalidArgument('a token is required');
      await send(
        {
          method: 'POST',
          url: `${loginUrl}/services/oauth2/revoke`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: tokenToRevoke }).toString(),
        },
        o,
        transport,
      );
    },

    userinfo: (accessToken, o = {}) => getJson(`${loginUrl}/services/oauth2/userinfo`, accessToken, o),

    async identity(credentials, o = {}) {
      if (!credentials.id) {
        throw new SalesforceError('no identity URL: these credentials did not come from an OAuth login', {
          code: 'INVALID_ARGUMENT',
          source: SOURCE,
        });
      }
      return getJson(credentials.id, credentials.accessToken, o);
    },
  };
  return client;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Salesforce signs a token response: `signature` is the Base64 HMAC-SHA256 of `id` followed by
 * `issued_at`, keyed with the consumer secret. A response carrying a signature that does not
 * verify did not come from the org this secret belongs to (or was altered on the way): refuse it.
 * With `required`, a response that lacks what the check needs is refused as well.
 */
function verifyTokenSignature(
  body: Record<string, unknown>,
  clientSecret: string,
  url: string,
  required: boolean,
): void {
  const { signature, id, issued_at: issuedAt } = body;
  const issued = typeof issuedAt === 'string' || typeof issuedAt === 'number';
  if (typeof signature !== 'string' || typeof id !== 'string' || !issued) {
    if (!required) return;
    throw new SalesforceError(
      "the token response cannot be verified: it lacks signature, id or issued_at (verifySignature: 'strict'); the token was not used",
      { code: 'AUTH_FAILED', source: SOURCE, method: 'POST', url },
    );
  }
  const expected = createHmac('sha256', clientSecret)
    .update(`${id}${String(issuedAt)}`)
    .digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new SalesforceError(
    'the token response signature does not verify with the consumer secret (id + issued_at); the token was not used',
    { code: 'AUTH_FAILED', source: SOURCE, method: 'POST', url },
  );
}
