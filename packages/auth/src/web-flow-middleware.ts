import { type Credentials, isSalesforceError, type SalesforceError, salesforceError } from '@sf/core';
import { SOURCE } from './internal.js';
import type { AuthorizationUrlOptions, OAuth2Client } from './oauth2-types.js';
import { safeEqual } from './pkce.js';

/** The parts of a connect/express request the middleware reads. */
export interface WebFlowRequest {
  method?: string | undefined;
  url?: string | undefined;
  /** Express keeps the mount-independent URL here. */
  originalUrl?: string | undefined;
  /** A session from express-session, cookie-session or alike. */
  session?: object | null | undefined;
}

/** The parts of a response the middleware writes (a redirect). */
export interface WebFlowResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(): unknown;
}

export type NextFunction = (error?: unknown) => void;

export interface WebFlowMiddlewareOptions {
  client: OAuth2Client;
  /** Visiting this path starts a login. Default `/oauth2/auth`. */
  loginPath?: string;
  /**
   * The path the callback arrives at. Default: the path of `authorization.redirectUri`, else
   * of the client's `redirectUri`, else `/oauth2/callback`.
   */
  callbackPath?: string;
  /** Scopes to ask for. Default `api id refresh_token`. */
  scope?: string;
  /**
   * More authorization parameters (`prompt`, `loginHint`, `redirectUri`...). A `redirectUri`
   * here is sent with the code exchange as well, as Salesforce requires.
   */
  authorization?: Omit<AuthorizationUrlOptions, 'scope' | 'state'>;
  /** Session key for the credentials. Default `oauth`, where nforce's README (`shared/seeds/`) reads `req.session.oauth`. */
  sessionKey?: string;
  /** Session key for the pending `state` and PKCE verifier. Default `oauthPending`. */
  pendingKey?: string;
  /** Where to go after a login. Default `/`. */
  onSuccess?: string;
  /** Where to go when a login fails; `?error=<code>` is appended. Default `/oauth2/error`. */
  onError?: string;
  /** Issue a new session id after login (protects against session fixation). Default true. */
  regenerateSession?: boolean;
  /**
   * Told about every failed login (never with a secret in it), e.g. for your logs. What the
   * callback carried (`error`, `error_description`) is passed on only after its `state`
   * matched, without control characters and bounded in length.
   */
  onFailure?: (error: SalesforceError) => void;
}

interface Pending {
  state: string;
  codeVerifier?: string;
  redirectUri?: string;
}

/** RFC 6749's characters for an error code; anything else is not passed on as one. */
const ERROR_CODE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}$/;
const MAX_DESCRIPTION = 200;

/** An `error` from the callback's query, as an OAuth error code or `invalid_request`. */
function errorCode(raw: string): string {
  return ERROR_CODE.test(raw) ? raw : 'invalid_request';
}

/** An `error_description` fit for a log line: no control characters, at most 200 characters. */
function description(raw: string | null): string {
  if (!raw) return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length > MAX_DESCRIPTION ? `${clean.slice(0, MAX_DESCRIPTION)}...` : clean;
}

type SessionLike = Record<string, unknown> & { regenerate?: (callback: (error?: unknown) => void) => void };

function redirect(res: WebFlowResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('location', location);
  res.setHeader('content-length', '0');
  res.end();
}

function withError(route: string, code: string): string {
  return `${route}${route.includes('?') ? '&' : '?'}error=${encodeURIComponent(code)}`;
}

function failure(message: string, errorCode: string): SalesforceError {
  return salesforceError(SOURCE, 'AUTH_FAILED', message, { errorCode });
}

/**
 * Connect/express middleware for the web-server flow (no express dependency). `GET loginPath`
 * redirects to Salesforce with a fresh `state` and PKCE verifier kept in the user's session;
 * `GET callbackPath` checks `state`, exchanges the code with its verifier, stores the
 * credentials in `req.session[sessionKey]`, and redirects to `onSuccess` (or to `onError` with
 * `?error=`). Needs a session middleware before it.
 *
 * @example
 * app.use(session({ secret, resave: false, saveUninitialized: false }));
 * app.use(webFlowMiddleware({ client: oauth2, onSuccess: '/home', onError: '/oauth/error' }));
 * app.get('/home', (req, res) => { const conn = base.withAuth(req.session.oauth); ... });
 */
export function webFlowMiddleware(options: WebFlowMiddlewareOptions) {
  const { client } = options;
  const loginPath = options.loginPath ?? '/oauth2/auth';
  const redirectUri = options.authorization?.redirectUri ?? client.redirectUri;
  const callbackPath =
    options.callbackPath ?? (redirectUri ? new URL(redirectUri).pathname : '/oauth2/callback');
  const sessionKey = options.sessionKey ?? 'oauth';
  const pendingKey = options.pendingKey ?? 'oauthPending';
  const onSuccess = options.onSuccess ?? '/';
  const onError = options.onError ?? '/oauth2/error';

  const fail = (res: WebFlowResponse, error: SalesforceError) => {
    options.onFailure?.(error);
    redirect(res, withError(onError, error.errorCode ?? error.code));
  };

  return function sfWebFlow(req: WebFlowRequest, res: WebFlowResponse, next: NextFunction): void {
    if ((req.method ?? 'GET').toUpperCase() !== 'GET') {
      next();
      return;
    }
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost');
    if (url.pathname !== loginPath && url.pathname !== callbackPath) {
      next();
      return;
    }
    const session = req.session as SessionLike | null | undefined;
    if (!session || typeof session !== 'object') {
      next(
        salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          'webFlowMiddleware needs a session: add a session middleware before it',
        ),
      );
      return;
    }

    if (url.pathname === loginPath) {
      let authorization: ReturnType<OAuth2Client['getAuthorizationUrl']>;
      try {
        authorization = client.getAuthorizationUrl({
          ...options.authorization,
          scope: options.scope ?? 'api id refresh_token',
        });
      } catch (error) {
        next(error);
        return;
      }
      // The verifier lives in the user's session, not only in this process: the callback may
      // land on another instance of the app. Drop the client's copy.
      client.takeCodeVerifier(authorization.state);
      const pending: Pending = { state: authorization.state };
      if (authorization.codeVerifier) pending.codeVerifier = authorization.codeVerifier;
      if (authorization.redirectUri) pending.redirectUri = authorization.redirectUri;
      session[pendingKey] = pending;
      redirect(res, authorization.url);
      return;
    }

    // The callback. Nothing it carries is believed before its state matches this session's
    // pending login: a forged callback (anyone can send a browser to this URL) must neither
    // end that login nor have its text reach onFailure.
    const pending = session[pendingKey] as Pending | undefined;
    const state = url.searchParams.get('state');
    if (!pending || !state || !safeEqual(state, pending.state)) {
      fail(res, failure('the callback state does not match this session', 'invalid_state'));
      return;
    }
    delete session[pendingKey];
    const code = url.searchParams.get('code');
    const denied = url.searchParams.get('error');
    if (denied !== null) {
      const refusal = errorCode(denied);
      const why = description(url.searchParams.get('error_description'));
      fail(res, failure(`the authorization was refused (${refusal}${why ? `: ${why}` : ''})`, refusal));
      return;
    }
    if (!code) {
      fail(res, failure('the callback carries no code', 'invalid_request'));
      return;
    }

    client
      .exchangeCode(code, {
        // The state (whose entry the client no longer holds) keeps the client from lending
        // this exchange the verifier of some other pending login.
        state: pending.state,
        ...(pending.codeVerifier === undefined ? {} : { codeVerifier: pending.codeVerifier }),
        ...(pending.redirectUri === undefined ? {} : { redirectUri: pending.redirectUri }),
      })
      .then(async (credentials: Credentials) => {
        let target = session;
        if (options.regenerateSession !== false && typeof session.regenerate === 'function') {
          const regenerate = session.regenerate.bind(session);
          await new Promise<void>((resolve, reject) => regenerate((e) => (e ? reject(e) : resolve())));
          target = (req.session as SessionLike | undefined) ?? session;
        }
        target[sessionKey] = credentials;
        redirect(res, onSuccess);
      })
      .catch((error: unknown) => {
        if (isSalesforceError(error)) {
          fail(res, error);
          return;
        }
        next(error);
      });
  };
}
