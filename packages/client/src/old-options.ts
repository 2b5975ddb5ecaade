// createClient's options that nforce and jsforce took and the client does not. They reach
// createConnection, which refuses them in its own terms (createOAuth2Client, passwordAuth, ...);
// the client's user wrote createClient and has the client's ways (the oauth2 option,
// sf.login()), so the client checks first, with core's check and the client's remedies. Only
// key names go into the message, never a value.

import { refuseOldConnectionOptions } from '@sf/core';
import type { ClientOptions } from './client-options.js';

const OAUTH2 =
  'createClient({ oauth2: { clientId, clientSecret, redirectUri } }) (the connected app), then `await sf.login(username, password)` or `await sf.authorize(code)`';
const LOGIN_HOST =
  "createClient({ loginUrl }) (or environment: 'sandbox' for https://test.salesforce.com): where sf.login() goes";
const LOGIN =
  '`await sf.login(username, password)` after createClient (the OAuth username-password flow with the oauth2 option, else SOAP login()); with a security token, pass password + securityToken as the password';

/** What to write instead, in the client's terms, where it differs from createConnection's. */
const CLIENT_INSTEAD: Readonly<Record<string, string>> = {
  clientId: OAUTH2,
  clientSecret: OAUTH2,
  redirectUri: OAUTH2,
  loginUri: LOGIN_HOST,
  testLoginUri: LOGIN_HOST,
  mode: "multi-user is one client per user (createClient({ instanceUrl, accessToken }) for each), or the packages' functions with sf.connection.withAuth(credentials); single-user is the default",
  oauth:
    'createClient({ instanceUrl, accessToken, refreshToken, oauth2 }) from the token response (oauth2 renews with the refresh token), or auth: credentials',
  autoRefresh:
    'nothing: with oauth2 and refreshToken, or after sf.login() or sf.authorize(code), the client renews an expired session by itself',
  onRefresh: "sf.on('refresh', (credentials) => ...)",
  username: LOGIN,
  password: LOGIN,
  securityToken: LOGIN,
};

/**
 * Throws INVALID_ARGUMENT, prefixed `[@sf/client]` and naming `createClient()`, when `options`
 * holds an nforce or jsforce connection option the client does not take, with the client's way
 * to say it. The client's own names (`oauth2`, `loginUrl`, `environment`, `accessToken`,
 * `refreshToken`, `sessionId`, `serverUrl`) are not looked at.
 */
export function refuseOldClientOptions(options: ClientOptions): void {
  const {
    oauth2: _o,
    loginUrl: _l,
    environment: _e,
    accessToken: _a,
    refreshToken: _r,
    sessionId: _s,
    serverUrl: _u,
    ...rest
  } = options;
  refuseOldConnectionOptions(rest, { call: 'createClient()', source: '@sf/client', instead: CLIENT_INSTEAD });
}
