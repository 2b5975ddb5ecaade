// OAuth 2.0 endpoints: token (password, refresh_token, client_credentials, authorization_code
// with PKCE), an auto-approving authorize that redirects only to registered redirect URIs, and
// revoke. Error bodies are Salesforce's `{"error","error_description"}` objects, not the REST
// error arrays.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EmulatorContext, EmulatorModule } from '../context.js';
import { HttpError, readForm, sendEmpty, sendJson } from '../http-util.js';
import type { RequestContext } from '../router.js';
import { verifyPkce, type Session } from '../sessions.js';
import { JWT_BEARER_GRANT, jwtBearerGrant } from './jwt-bearer.js';

/**
 * Where `/authorize` may send a code: `'loopback'` (any http(s) URI on 127.0.0.1, localhost or
 * [::1]), a list of URIs matched exactly (a connected app's callback URLs), or `'*'` for any.
 */
export type RedirectUris = 'loopback' | '*' | readonly string[];

export interface OAuthRouteOptions {
  /** Default `'loopback'`. */
  redirectUris?: RedirectUris;
  /** Each refresh answers a new refresh token and invalidates the one used. */
  rotateRefreshTokens?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Checks the option once, at start, and returns the test for one `redirect_uri`. */
function redirectUriCheck(option: unknown): (uri: string) => boolean {
  if (option === undefined || option === 'loopback') {
    return (uri) => {
      const parsed = URL.canParse(uri) ? new URL(uri) : undefined;
      return (
        parsed !== undefined &&
        (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
        LOOPBACK.has(parsed.hostname)
      );
    };
  }
  if (option === '*') return () => true;
  if (Array.isArray(option) && option.every((u) => typeof u === 'string' && URL.canParse(u))) {
    const registered = new Set<string>(option);
    return (uri) => registered.has(uri);
  }
  throw new TypeError(`[@sf/emulator] redirectUris must be 'loopback', '*' or an array of absolute URLs`);
}

const REDIRECT_URI_MISMATCH = () =>
  oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');

function oauthError(error: string, description: string, status = 400): HttpError {
  return new HttpError(status, { error, error_description: description });
}

const INVALID_CLIENT_ID = () => oauthError('invalid_client_id', 'client identifier invalid');
const INVALID_CLIENT = () => oauthError('invalid_client', 'invalid client credentials');
const AUTH_FAILURE = () => oauthError('invalid_grant', 'authentication failure');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client id and secret from the body or from HTTP Basic, which Salesforce both accepts. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  const out: { id?: string; secret?: string } = {};
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (id !== null) out.id = id;
  if (secret !== null) out.secret = secret;
  return out;
}

/** The token response body Salesforce sends for a session. */
export function tokenResponse(ctx: EmulatorContext, session: Session): Record<string, string> {
  const id = `${ctx.url}/id/${ctx.store.orgId}/${session.userId}`;
  const issuedAt = String(session.issuedAt);
  const signature = createHmac('sha256', ctx.credentials.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: session.accessToken,
    ...(session.refreshToken ? { refresh_token: session.refreshToken } : {}),
    signature,
    scope: session.scope,
    instance_url: ctx.url,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

function handleGrant(
  ctx: EmulatorContext,
  rc: RequestContext,
  form: URLSearchParams,
  options: OAuthRouteOptions,
): Session {
  const grant = form.get('grant_type');
  const client = clientCredentials(rc.req, form);
  const app = ctx.credentials;
  const checkClient = (secretRequired: boolean) => {
    if (client.id !== app.clientId) throw INVALID_CLIENT_ID();
    if (client.secret === undefined ? secretRequired : !safeEqual(client.secret, app.clientSecret)) {
      throw INVALID_CLIENT();
    }
  };
  switch (grant) {
    case 'password': {
      checkClient(true);
      const admin = ctx.users.admin;
      const expected = app.password + app.securityToken;
      if (form.get('username') !== admin.username || !safeEqual(form.get('password') ?? '', expected)) {
        throw AUTH_FAILURE();
      }
      // The username-password flow never grants a refresh token.
      return ctx.sessions.issue(admin.userId, app.clientId, { refresh: false });
    }
    case 'refresh_token': {
      checkClient(false);
      const session = ctx.sessions.refresh(form.get('refresh_token') ?? '', app.clientId, {
        rotate: options.rotateRefreshTokens === true,
      });
      if (!session) throw oauthError('invalid_grant', 'expired access/refresh token');
      return session;
    }
    case 'client_credentials':
      if (
        client.id !== app.clientId ||
        client.secret === undefined ||
        !safeEqual(client.secret, app.clientSecret)
      ) {
        throw INVALID_CLIENT();
      }
      return ctx.sessions.issue(ctx.users.integration.userId, app.clientId, { refresh: false, scope: 'api' });
    case 'authorization_code': {
      const code = ctx.sessions.takeCode(form.get('code') ?? '');
      if (client.id !== app.clientId) throw INVALID_CLIENT_ID();
      // A PKCE verifier stands in for the secret (public clients); otherwise the secret is required.
      const verifier = form.get('code_verifier');
      checkClient(verifier === null);
      if (!code || code.clientId !== client.id)
        throw oauthError('invalid_grant', 'invalid authorization code');
      if (form.get('redirect_uri') !== code.redirectUri) {
        throw oauthError('invalid_grant', 'redirect_uri must match configuration');
      }
      if (code.codeChallenge !== undefined) {
        if (verifier === null || !verifyPkce(verifier, code.codeChallenge, code.codeChallengeMethod)) {
          throw oauthError('invalid_grant', 'invalid code verifier');
        }
      }
      return ctx.sessions.issue(code.userId, app.clientId, { refresh: true });
    }
    case JWT_BEARER_GRANT:
      return jwtBearerGrant(ctx, form);
    default:
      throw oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

/** The OAuth routes; `options` come from `startEmulator`. */
export const oauthRoutes = (options: OAuthRouteOptions = {}): EmulatorModule => {
  const redirectAllowed = redirectUriCheck(options.redirectUris);
  return (ctx) => oauthModule(ctx, options, redirectAllowed);
};

function oauthModule(
  ctx: EmulatorContext,
  options: OAuthRouteOptions,
  redirectAllowed: (uri: string) => boolean,
): void {
  ctx.router.add('POST', '/services/oauth2/token', async (rc) => {
    const form = await readForm(rc.req);
    const session = handleGrant(ctx, rc, form, options);
    sendJson(rc.res, 200, tokenResponse(ctx, session), {
      'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
    });
  });

  const revoke = async (rc: RequestContext) => {
    const token =
      rc.method === 'GET' ? rc.url.searchParams.get('token') : (await readForm(rc.req)).get('token');
    if (!token || !ctx.sessions.revoke(token)) {
      throw oauthError('unsupported_token_type', 'this token type is not supported');
    }
    sendEmpty(rc.res, 200);
  };
  ctx.router.add(['POST', 'GET'], '/services/oauth2/revoke', revoke);

  // Approves at once as the built-in admin: there is no login page to click through. A code
  // goes only to a registered redirect URI (else anyone could collect one by sending a link);
  // anything else is answered here, never redirected, as Salesforce shows its own error page.
  ctx.router.add('GET', '/services/oauth2/authorize', (rc) => {
    const q = rc.url.searchParams;
    if (q.get('client_id') !== ctx.credentials.clientId) throw INVALID_CLIENT_ID();
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !URL.canParse(redirectUri) || !redirectAllowed(redirectUri)) {
      throw REDIRECT_URI_MISMATCH();
    }
    const target = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (q.get('response_type') !== 'code') {
      target.searchParams.set('error', 'unsupported_response_type');
      target.searchParams.set('error_description', 'response type not supported');
    } else {
      const challenge = q.get('code_challenge');
      const method = q.get('code_challenge_method');
      const code = ctx.sessions.createCode({
        userId: ctx.users.admin.userId,
        clientId: ctx.credentials.clientId,
        redirectUri,
        ...(challenge !== null ? { codeChallenge: challenge, codeChallengeMethod: method ?? 'plain' } : {}),
      });
      target.searchParams.set('code', code);
    }
    rc.res.writeHead(302, { location: target.toString(), 'content-length': 0 });
    rc.res.end();
  });
}
