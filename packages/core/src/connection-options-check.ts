// createConnection's options that nforce and jsforce took and we do not. Ignoring them would be
// silently wrong: `environment: 'sandbox'` would log in to production (or nowhere), `mode:
// 'multi'` would run every call as one user, `version: '58.0'` would talk to another API version.
// So they are refused, each with what to write instead. Only key names go into the message,
// never a value (several of these keys hold secrets).

import { SalesforceError } from './errors.js';

const OAUTH2_CLIENT =
  "the connected app is @sf/auth's createOAuth2Client({ clientId, clientSecret, redirectUri, loginUrl or environment }); pass a strategy made from it as `auth` (passwordAuth(oauth2, { username, password }), refreshTokenAuth(oauth2, credentials), ...)";
const LOGIN_HOST =
  "the login host belongs to @sf/auth: createOAuth2Client({ loginUrl }) (or environment: 'sandbox' for https://test.salesforce.com), soapLogin({ loginUrl })";
const PASSWORD =
  'log in with @sf/auth: auth: passwordAuth(createOAuth2Client({ ... }), { username, password, securityToken })';
const PROXY = 'transport: a transport that goes through your proxy (see Transports in the README)';

/** The old name, and what to write instead. */
const OLD_KEYS: Readonly<Record<string, string>> = {
  // nforce's createConnection (and its single-user mode)
  clientId: OAUTH2_CLIENT,
  clientSecret: OAUTH2_CLIENT,
  redirectUri: OAUTH2_CLIENT,
  environment:
    "a sandbox login is @sf/auth's createOAuth2Client({ environment: 'sandbox' }) (https://test.salesforce.com; or its loginUrl for a My Domain), with a strategy made from it as `auth`; createConnection itself logs in nowhere",
  loginUri: LOGIN_HOST,
  testLoginUri: LOGIN_HOST,
  mode: "multi-user is one connection per user: base.withAuth(credentials) (sharing base's pool) or @sf/auth's createMultiUser({ connection, store, client }); single-user is createConnection({ auth }) with that user's strategy",
  oauth: 'auth: credentials ({ accessToken, instanceUrl, id, refreshToken })',
  autoRefresh:
    'nothing: a strategy that can renew (refreshTokenAuth, passwordAuth from @sf/auth) renews an expired session by itself',
  onRefresh: "conn.on('refresh', (credentials) => ...)",
  username: PASSWORD,
  password: PASSWORD,
  securityToken: PASSWORD,
  timeout: 'timeoutMs',
  // jsforce's Connection
  loginUrl: LOGIN_HOST,
  version: "apiVersion (e.g. '64.0')",
  accessToken: 'auth: accessToken (or auth: { accessToken, instanceUrl })',
  sessionId: 'auth: sessionId (a SOAP session id is used as an access token)',
  refreshToken:
    'auth: refreshTokenAuth(createOAuth2Client({ clientId, clientSecret }), { accessToken, refreshToken, instanceUrl }) from @sf/auth',
  serverUrl: 'instanceUrl: new URL(serverUrl).origin',
  oauth2: OAUTH2_CLIENT,
  refreshFn: 'an AuthStrategy of your own as auth: { getCredentials(context), refresh(context, rejected) }',
  logLevel: 'logger: (entry) => ... (one entry per HTTP exchange)',
  proxyUrl: PROXY,
  httpProxy: PROXY,
};

/** Who refuses the old options, for a door of its own over createConnection (`createClient()`). */
export interface OldConnectionOptionsCheck {
  /** The call named in the message. Default `'createConnection()'`. */
  call?: string;
  /** The package the message is prefixed with. Default `'@sf/core'`. */
  source?: string;
  /**
   * What to write instead, by old key, in the caller's own terms: replaces the default text of
   * that key. Keys the caller takes itself must be left out of `options`, not listed here.
   */
  instead?: Readonly<Record<string, string>>;
}

/**
 * Throws INVALID_ARGUMENT when `options` holds a key that nforce's or jsforce's connection took
 * and createConnection does not, naming each such key and what to write instead (`check`
 * renames the call and rewords the remedies for a door of its own, such as createClient).
 */
export function refuseOldConnectionOptions(options: object, check: OldConnectionOptionsCheck = {}): void {
  const { call = 'createConnection()', source, instead = {} } = check;
  const hintOf = (key: string): string => (Object.hasOwn(instead, key) ? instead[key]! : OLD_KEYS[key]!);
  const found = Object.keys(options).filter(
    (key) => Object.hasOwn(OLD_KEYS, key) && (options as Record<string, unknown>)[key] !== undefined,
  );
  if (found.length === 0) return;
  // Keys that share a remedy (clientId, clientSecret, redirectUri) are named together.
  const byHint = new Map<string, string[]>();
  for (const key of found) byHint.set(hintOf(key), [...(byHint.get(hintOf(key)) ?? []), key]);
  const lines = [...byHint].map(([hint, keys]) => `${keys.map((k) => `\`${k}\``).join(', ')}: ${hint}`);
  throw new SalesforceError(
    `${call} does not take ${found.map((k) => `\`${k}\``).join(', ')} (nforce's or jsforce's ${
      found.length === 1 ? 'option' : 'options'
    }; ignoring ${found.length === 1 ? 'it' : 'them'} would be silently wrong). Instead: ${lines.join('; ')}.`,
    { code: 'INVALID_ARGUMENT', ...(source === undefined ? {} : { source }) },
  );
}
