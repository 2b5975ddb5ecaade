// SOAP login() and logout() of the partner API. Salesforce is retiring SOAP login (it is not
// available in the newest API versions); it is kept here for orgs and tools that still need
// it, and OAuth is the way forward.

import {
  type AuthContext,
  type AuthStrategy,
  codeForStatus,
  type Credentials,
  defaultTransport,
  promiseForm,
  redact,
  refuseCallback,
  salesforceError,
} from '@sf/core';
import xml2js from 'xml2js';
import {
  type AuthCallOptions,
  type Environment,
  readTokenBody,
  resolveLoginUrl,
  SOURCE,
} from './internal.js';

/** The newest API version that still offers SOAP `login()`. */
export const SOAP_LOGIN_API_VERSION = '64.0';

export interface SoapLoginOptions extends AuthCallOptions {
  username: string;
  password: string;
  /** Appended to the password when given. */
  securityToken?: string;
  /** A login host or My Domain URL; wins over `environment`. */
  loginUrl?: string;
  environment?: Environment;
  /** Default `64.0`, the last version with `login()`. */
  apiVersion?: string;
}

export interface SoapLoginResult {
  /** Used exactly like an OAuth access token. */
  sessionId: string;
  /** The partner API endpoint for this org (`.../services/Soap/u/64.0/00D...`). */
  serverUrl: string;
  /** The origin of `serverUrl`: where REST calls go. */
  instanceUrl: string;
  userId: string;
  organizationId: string;
  passwordExpired: boolean;
  sandbox: boolean;
  /** Seconds the session lives without use, from `userInfo.sessionSecondsValid`. */
  sessionSecondsValid: number | undefined;
  /** The `userInfo` element, its booleans as booleans and the rest as strings. */
  userInfo: Record<string, unknown>;
}

export interface SoapLogoutOptions extends AuthCallOptions {
  sessionId: string;
  /** The `serverUrl` login returned; or give `instanceUrl`. */
  serverUrl?: string;
  instanceUrl?: string;
  apiVersion?: string;
}

const ENVELOPE_NS =
  'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function version(apiVersion: string | undefined): string {
  const v = (apiVersion ?? SOAP_LOGIN_API_VERSION).replace(/^v/i, '');
  if (!/^\d{2,3}\.0$/.test(v))
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `apiVersion must look like "64.0", got "${apiVersion}"`,
    );
  return v;
}

/** Removes every given secret from a text that came from the server. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  return redact(out);
}

type Node = Record<string, unknown>;

function child(node: unknown, name: string): unknown {
  return node && typeof node === 'object' ? (node as Node)[name] : undefined;
}

function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const inner = child(node, '_');
  return typeof inner === 'string' ? inner : undefined;
}

/** Posts a SOAP envelope; resolves with the Body element, or throws the fault as a typed error. */
async function call(
  url: string,
  action: string,
  envelope: string,
  options: AuthCallOptions,
  secrets: readonly string[],
): Promise<Node> {
  const transport = options.transport ?? defaultTransport();
  const req = {
    method: 'POST',
    url,
    headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: action, accept: 'text/xml' },
    body: envelope,
    idempotent: false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const res = await transport(req);
  const where = { status: res.status, method: 'POST', url };
  const raw = await readTokenBody(res, req);
  let parsed: unknown;
  try {
    parsed = await xml2js.parseStringPromise(raw, {
      explicitArray: false,
      ignoreAttrs: true,
      tagNameProcessors: [xml2js.processors.stripPrefix],
    });
  } catch {
    // The parser's message quotes the body, which may hold a session id: it is left out.
    throw salesforceError(
      SOURCE,
      res.status >= 300 ? codeForStatus(res.status) : 'MALFORMED_RESPONSE',
      `${res.status}: the SOAP endpoint answered with something other than XML`,
      { ...where },
    );
  }
  const body = child(child(parsed, 'Envelope'), 'Body');
  const fault = child(body, 'Fault');
  if (fault) {
    const faultCode = (text(child(fault, 'faultcode')) ?? 'UNKNOWN_EXCEPTION').replace(/^.*:/, '');
    const faultString = text(child(fault, 'faultstring')) ?? faultCode;
    throw salesforceError(
      SOURCE,
      /INVALID_LOGIN|INVALID_SESSION_ID|LOGIN_MUST_USE_SECURITY_TOKEN|PASSWORD_LOCKOUT|INVALID_OPERATION_WITH_EXPIRED_PASSWORD|LOGIN_DURING_RESTRICTED|API_DISABLED_FOR_ORG|INVALID_SSO_GATEWAY_URL/.test(
        faultCode,
      )
        ? 'AUTH_FAILED'
        : res.status >= 500 && faultCode === 'UNKNOWN_EXCEPTION'
          ? 'SERVER_ERROR'
          : 'API_ERROR',
      scrub(faultString, secrets),
      { ...where, errorCode: faultCode },
    );
  }
  if (res.status >= 300 || !body || typeof body !== 'object') {
    throw salesforceError(
      SOURCE,
      res.status >= 500 ? 'SERVER_ERROR' : 'MALFORMED_RESPONSE',
      `${res.status}: the SOAP endpoint answered without a result`,
      { ...where },
    );
  }
  return body as Node;
}

function plain(node: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!node || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node as Node)) {
    if (v === 'true' || v === 'false') out[k] = v === 'true';
    else if (typeof v === 'string') out[k] = v;
    else if (v && typeof v === 'object') out[k] = plain(v);
  }
  return out;
}

/**
 * SOAP `login()`: a session id (usable as a bearer token for REST), the server URL and the
 * user's info. Faults become SalesforceError with `code: 'AUTH_FAILED'` and Salesforce's fault
 * code in `errorCode` (`INVALID_LOGIN`).
 *
 * @example
 * const { sessionId, instanceUrl, userInfo } = await soapLogin({ username, password, securityToken });
 */
export function soapLogin(options: SoapLoginOptions): Promise<SoapLoginResult> {
  refuseCallback(
    SOURCE,
    'soapLogin()',
    // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
    arguments,
    promiseForm('const result = await soapLogin({ username, password, securityToken })'),
  );
  return login(options);
}

async function login(options: SoapLoginOptions): Promise<SoapLoginResult> {
  if (!options?.username || typeof options.password !== 'string') {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'username and password are required');
  }
  const loginUrl = resolveLoginUrl(options.loginUrl, options.environment);
  const v = version(options.apiVersion);
  const url = `${loginUrl}/services/Soap/u/${v}`;
  const password = options.password + (options.securityToken ?? '');
  const envelope =
    `<?xml version="1.0" encoding="utf-8"?><env:Envelope ${ENVELOPE_NS}><env:Body>` +
    `<n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${escapeXml(options.username)}</n1:username>` +
    `<n1:password>${escapeXml(password)}</n1:password></n1:login></env:Body></env:Envelope>`;
  const body = await call(url, 'login', envelope, options, [options.password, password]);
  const result = child(child(body, 'loginResponse'), 'result');
  const sessionId = text(child(result, 'sessionId'));
  const serverUrl = text(child(result, 'serverUrl'));
  const userId = text(child(result, 'userId'));
  if (!sessionId || !serverUrl || !userId) {
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      'the login response lacks sessionId, serverUrl or userId',
      { method: 'POST', url },
    );
  }
  const userInfo = plain(child(result, 'userInfo'));
  const seconds = Number(userInfo.sessionSecondsValid);
  return {
    sessionId,
    serverUrl,
    instanceUrl: new URL(serverUrl).origin,
    userId,
    organizationId: typeof userInfo.organizationId === 'string' ? userInfo.organizationId : '',
    passwordExpired: text(child(result, 'passwordExpired')) === 'true',
    sandbox: text(child(result, 'sandbox')) === 'true',
    sessionSecondsValid: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
    userInfo,
  };
}

/**
 * SOAP `logout()`: ends a session id (from SOAP login or, in Salesforce, any session). For an
 * OAuth token, revoke it with `client.revoke(token)` instead.
 *
 * @example
 * await soapLogout({ sessionId, serverUrl });
 */
export function soapLogout(options: SoapLogoutOptions): Promise<void> {
  refuseCallback(
    SOURCE,
    'soapLogout()',
    // biome-ignore lint/complexity/noArguments: a callback past the declared parameters is refused
    arguments,
    promiseForm('await soapLogout({ sessionId, serverUrl })'),
  );
  return logout(options);
}

async function logout(options: SoapLogoutOptions): Promise<void> {
  if (!options?.sessionId) throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'sessionId is required');
  let url: string;
  if (options.serverUrl) url = options.serverUrl;
  else if (options.instanceUrl)
    url = `${new URL(options.instanceUrl).origin}/services/Soap/u/${version(options.apiVersion)}`;
  else throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'serverUrl or instanceUrl is required');
  const envelope =
    `<?xml version="1.0" encoding="utf-8"?><env:Envelope ${ENVELOPE_NS}><env:Header>` +
    `<n1:SessionHeader xmlns:n1="urn:partner.soap.sforce.com"><n1:sessionId>${escapeXml(options.sessionId)}</n1:sessionId></n1:SessionHeader>` +
    `</env:Header><env:Body><n1:logout xmlns:n1="urn:partner.soap.sforce.com"/></env:Body></env:Envelope>`;
  await call(url, 'logout', envelope, options, [options.sessionId]);
}

/** SOAP login result as core's Credentials (the session id is the access token). */
export function credentialsFromSoapLogin(result: SoapLoginResult, now = Date.now()): Credentials {
  return {
    accessToken: result.sessionId,
    instanceUrl: result.instanceUrl,
    userId: result.userId,
    organizationId: result.organizationId,
    tokenType: 'Bearer',
    issuedAt: now,
    ...(result.sessionSecondsValid === undefined
      ? {}
      : { expiresAt: now + result.sessionSecondsValid * 1000 }),
  };
}

/**
 * SOAP login as a connection's strategy: renewed by logging in again, shortly before
 * `sessionSecondsValid` runs out or on a 401. Prefer an OAuth flow: Salesforce is retiring
 * SOAP login.
 *
 * @example
 * const conn = createConnection({ auth: soapLoginAuth({ username, password, loginUrl }) });
 */
export function soapLoginAuth(options: Omit<SoapLoginOptions, keyof AuthCallOptions>): AuthStrategy {
  const logIn = async (ctx: AuthContext) =>
    credentialsFromSoapLogin(
      await soapLogin({
        ...options,
        transport: ctx.transport,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
      }),
    );
  return { getCredentials: logIn, refresh: logIn };
}
