// The OAuth2 client's options, requests and the client interface: what users type against.
// The implementation is oauth2-client.ts.

import type { KeyObject } from 'node:crypto';
import type { Credentials, Transport } from '@sf/core';
import type { AuthCallOptions, Environment } from './internal.js';

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
  /**
   * The `url`: node-salesforce's `getAuthorizationUrl` answered the URL itself, so
   * `res.redirect(oauth2.getAuthorizationUrl(...))` (its README, `shared/seeds/`) still works.
   */
  toString(): string;
}

/** What `identity()` needs: the token, and the identity URL when the credentials kept it. */
export interface IdentityCredentials {
  accessToken: string;
  /** The identity URL (the token response's `id`); found through userinfo when absent. */
  id?: string | undefined;
  /** Where to ask userinfo when there is no `id`; default the client's login URL. */
  instanceUrl?: string | undefined;
}

export interface ExchangeCodeOptions extends AuthCallOptions {
  /**
   * The verifier from `getAuthorizationUrl`. When not given, the one this client kept for
   * `state` is used; with no `state` either, the one authorization waiting (several waiting
   * is an INVALID_ARGUMENT error: pass `state`).
   */
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
  /** How long the assertion is valid, in ms: at most 180,000 (Salesforce's three minutes). Default 180,000. */
  expiresInMs?: number;
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
  password(login: PasswordLogin, options?: AuthCallOptions): Promise<Credentials>;
  /** A new access token from a refresh token; the result carries the refresh token to use next (the rotated one, else this one). */
  refresh(refreshToken: string, options?: AuthCallOptions): Promise<Credentials>;
  /** JWT bearer flow: an RS256 assertion for a pre-authorized user. */
  jwtBearer(login: JwtBearerLogin, options?: AuthCallOptions): Promise<Credentials>;
  /** Client credentials flow: the app's run-as user (use a My Domain `loginUrl`). */
  clientCredentials(options?: AuthCallOptions): Promise<Credentials>;
  /** Revokes an access or refresh token (a refresh token takes its access tokens with it). */
  revoke(token: string, options?: AuthCallOptions): Promise<void>;
  /** OpenID Connect userinfo for an access token. */
  userinfo(accessToken: string, options?: AuthCallOptions): Promise<Record<string, unknown>>;
  /**
   * The identity URL's document (`GET credentials.id`). Credentials stored without `id` are
   * looked up through userinfo (its `sub` is the identity URL), at `instanceUrl` or else the
   * client's login URL.
   */
  identity(credentials: IdentityCredentials, options?: AuthCallOptions): Promise<Record<string, unknown>>;
}
