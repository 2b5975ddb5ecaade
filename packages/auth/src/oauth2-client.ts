import { type Credentials, isSalesforceError, promiseForm, refuseCallback, salesforceError } from '@sf/core';
import {
  type AuthCallOptions,
  credentialsFromToken,
  parseJsonObject,
  postForm,
  resolveLoginUrl,
  SOURCE,
  send,
} from './internal.js';
import { signJwtAssertion } from './jwt.js';
import {
  codeChallengeS256,
  createCodeVerifier,
  createState,
  type PendingAuthorization,
  PendingAuthorizations,
} from './pkce.js';
import type {
  AuthorizationRequest,
  ExchangeCodeOptions,
  IdentityCredentials,
  JwtBearerLogin,
  OAuth2Client,
  OAuth2ClientOptions,
} from './oauth2-types.js';
import { verifyTokenSignature } from './token-signature.js';

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
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'clientId is required');
  }
  const loginUrl = resolveLoginUrl(options.loginUrl, options.environment);
  const { clientId, clientSecret, transport } = options;
  const verify = options.verifySignature ?? true;
  if (verify !== true && verify !== false && verify !== 'strict') {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `verifySignature must be true, false or 'strict'`);
  }
  if (verify === 'strict' && !clientSecret) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `verifySignature: 'strict' needs the clientSecret to check signatures with`,
    );
  }
  const pending = new PendingAuthorizations(
    options.pendingTtlMs ?? 10 * 60_000,
    options.maxPending ?? 10_000,
  );
  const tokenUrl = `${loginUrl}/services/oauth2/token`;

  const token = async (
    form: Record<string, string | undefined>,
    call: AuthCallOptions,
  ): Promise<Credentials> => {
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
    call: AuthCallOptions,
  ): Promise<Record<string, unknown>> => {
    const { status, text } = await send(
      { method: 'GET', url, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
      call,
      transport,
    );
    return parseJsonObject(text, status, 'GET', url);
  };

  /** Which verifier and redirect URI go with a code: given, kept for `state`, or the only one waiting. */
  const forExchange = (o: ExchangeCodeOptions): PendingAuthorization | undefined => {
    if (o.state !== undefined) return pending.take(o.state);
    if (o.codeVerifier !== undefined) return undefined;
    const only = pending.takeOnly();
    if (only !== 'many') return only;
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      "exchangeCode(code) names no state, and several logins are waiting for their callback: pass the callback's { state } (exchangeCode(code, { state: req.query.state })), or the codeVerifier getAuthorizationUrl returned ({ codeVerifier, redirectUri })",
    );
  };

  const exchangeCode = async (code: string, o: ExchangeCodeOptions): Promise<Credentials> => {
    if (typeof code !== 'string' || code === '')
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'an authorization code is required');
    const kept = forExchange(o);
    const redirectUri = o.redirectUri ?? kept?.redirectUri ?? options.redirectUri;
    if (!redirectUri)
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'redirectUri is required for the web-server flow');
    const codeVerifier = o.codeVerifier ?? kept?.codeVerifier;
    try {
      return await token(
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
    } catch (error) {
      throw codeVerifier === undefined ? missingVerifier(error) : error;
    }
  };

  const identity = async (
    credentials: IdentityCredentials,
    o: AuthCallOptions,
  ): Promise<Record<string, unknown>> => {
    if (typeof credentials?.accessToken !== 'string' || credentials.accessToken === '') {
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'identity() needs credentials with an accessToken');
    }
    const url = credentials.id ?? (await identityUrlFromUserinfo(credentials, o));
    return getJson(url, credentials.accessToken, o);
  };

  /** Stored credentials without `id`: userinfo's `sub` is the identity URL (Salesforce's OpenID Connect). */
  const identityUrlFromUserinfo = async (credentials: IdentityCredentials, o: AuthCallOptions) => {
    const userinfoUrl = `${credentials.instanceUrl ?? loginUrl}/services/oauth2/userinfo`;
    const { sub } = await getJson(userinfoUrl, credentials.accessToken, o);
    // The token goes only to an https identity URL, or to the origin that answered userinfo.
    const url = typeof sub === 'string' && URL.canParse(sub) ? new URL(sub) : undefined;
    if (
      url &&
      /\/id\/[^/]+\/[^/]+/.test(url.pathname) &&
      (url.protocol === 'https:' || url.origin === new URL(userinfoUrl).origin)
    ) {
      return url.toString();
    }
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      "identity(): these credentials have no id (identity URL), and userinfo's sub is not one: store the token response's id with the credentials",
      { method: 'GET', url: userinfoUrl },
    );
  };

  const client: OAuth2Client = {
    clientId,
    loginUrl,
    redirectUri: options.redirectUri,
    transport,

    getAuthorizationUrl(o = {}) {
      const redirectUri = o.redirectUri ?? options.redirectUri;
      if (!redirectUri)
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'redirectUri is required for the web-server flow');
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
        return authorizationRequest({ url: url.toString(), state, redirectUri });
      }
      const codeVerifier = createCodeVerifier();
      url.searchParams.set('code_challenge', codeChallengeS256(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      pending.put(state, { codeVerifier, redirectUri });
      return authorizationRequest({ url: url.toString(), state, codeVerifier, redirectUri });
    },

    takeCodeVerifier: (state) => pending.take(state)?.codeVerifier,

    async exchangeCode(code, o = {}) {
      return exchangeCode(code, o);
    },

    async password(login, o = {}) {
      if (!login?.username || typeof login.password !== 'string') {
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'username and password are required');
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
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'a refresh token is required');
      const next = await token(
        {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: clientId,
          client_secret: clientSecret,
        },
        o,
      );
      // Salesforce answers without refresh_token unless it rotates them: the one used stays good.
      return { refreshToken, ...next };
    },

    async jwtBearer(login, o = {}) {
      if (!login?.username)
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'username is required for the JWT bearer flow');
      const assertion = signJwtAssertion(
        {
          issuer: clientId,
          subject: login.username,
          audience: login.audience ?? loginUrl,
          ...lifetimeOf(login),
        },
        login.privateKey,
      );
      return token({ grant_type: JWT_BEARER_GRANT, assertion }, o);
    },

    async clientCredentials(o = {}) {
      if (!clientSecret) {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          'clientSecret is required for the client credentials flow',
        );
      }
      return token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, o);
    },

    async revoke(tokenToRevoke, o = {}) {
      if (typeof tokenToRevoke !== 'string' || tokenToRevoke === '')
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'a token is required');
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

    async userinfo(accessToken, o = {}) {
      if (typeof accessToken !== 'string' || accessToken === '')
        throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'userinfo() needs an access token');
      return getJson(`${loginUrl}/services/oauth2/userinfo`, accessToken, o);
    },

    async identity(credentials, o = {}) {
      return identity(credentials, o);
    },
  };
  return refuseCallbacks(client);
}

/** The promise form of each call, for the error a callback-style call gets. */
const PROMISE_FORMS = {
  exchangeCode: 'const credentials = await oauth2.exchangeCode(code, { state })',
  password: 'const credentials = await oauth2.password({ username, password, securityToken })',
  refresh: 'const credentials = await oauth2.refresh(refreshToken)',
  jwtBearer: 'const credentials = await oauth2.jwtBearer({ username, privateKey })',
  clientCredentials: 'const credentials = await oauth2.clientCredentials()',
  revoke: 'await oauth2.revoke(token)',
  userinfo: 'const me = await oauth2.userinfo(accessToken)',
  identity: 'const identity = await oauth2.identity(credentials)',
} satisfies Partial<Record<keyof OAuth2Client, string>>;

/** Every network call refuses a callback at once (the style of node-salesforce's README, `shared/seeds/`), before sending. */
function refuseCallbacks(client: OAuth2Client): OAuth2Client {
  for (const [name, usage] of Object.entries(PROMISE_FORMS)) {
    const key = name as keyof typeof PROMISE_FORMS;
    const call = client[key] as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => {
      refuseCallback(SOURCE, `${name}()`, args, promiseForm(usage));
      return call(...args);
    };
  }
  return client;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The authorization request, which prints as its URL (node-salesforce's was a string: its README, `shared/seeds/`). */
function authorizationRequest(request: Omit<AuthorizationRequest, 'toString'>): AuthorizationRequest {
  return Object.defineProperty({ ...request }, 'toString', {
    value: () => request.url,
    enumerable: false,
  }) as AuthorizationRequest;
}

/** The assertion lifetime option, checked: `expiresInSeconds` was renamed (CONVENTIONS.md: every duration in ms). */
function lifetimeOf(login: JwtBearerLogin): { expiresInMs?: number } {
  if ((login as { expiresInSeconds?: unknown }).expiresInSeconds !== undefined) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'expiresInSeconds is now expiresInMs (milliseconds, at most 180000)',
    );
  }
  return login.expiresInMs === undefined ? {} : { expiresInMs: login.expiresInMs };
}

/**
 * Salesforce's answer to a PKCE code exchanged without a verifier is a bare `invalid code
 * verifier`: say what was missing and what to pass.
 */
function missingVerifier(error: unknown): unknown {
  if (!isSalesforceError(error) || error.code !== 'AUTH_FAILED' || !/code.verifier/i.test(error.message)) {
    return error;
  }
  return salesforceError(
    SOURCE,
    'AUTH_FAILED',
    'the code exchange was refused (invalid code verifier): the authorization used PKCE and this client holds no verifier for it (no state given, its state unknown or older than pendingTtlMs, or the authorization URL was made by another process). Pass the codeVerifier getAuthorizationUrl returned: exchangeCode(code, { codeVerifier, redirectUri })',
    {
      cause: error,
      ...(error.errorCode === undefined ? {} : { errorCode: error.errorCode }),
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.method === undefined ? {} : { method: error.method }),
      ...(error.url === undefined ? {} : { url: error.url }),
    },
  );
}
