// SOAP partner API login() and logout() at POST /services/Soap/u/{version}[/{orgId}]. The
// session id login returns is an ordinary session: it works as a REST bearer token. Faults
// are SOAP 1.1 faults with Salesforce's `sf:` codes, answered with HTTP 500 as Salesforce does.
// Salesforce removed login() from API 65.0 on; the emulator refuses it there too.

import type { IncomingMessage } from 'node:http';
import xml2js from 'xml2js';
import type { BuiltInUser, EmulatorContext, EmulatorModule } from '../context.js';
import { HttpError, readBody, sendText } from '../http-util.js';
import type { RequestContext } from '../router.js';

const XML = 'text/xml;charset=UTF-8';
/** The first API version without SOAP login(). */
const LOGIN_REMOVED_IN = 65;

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function envelope(body: string, extraNs = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" ' +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"${extraNs}><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** A SOAP fault as Salesforce sends it: `sf:CODE`, `CODE: message`, and the typed detail. */
function fault(code: string, message: string, detailType = 'UnexpectedErrorFault'): HttpError {
  const faultCode = code.startsWith('soapenv:') ? code : `sf:${code}`;
  const exceptionCode = code.replace(/^.*:/, '');
  const faultString = code.startsWith('soapenv:') ? message : `${exceptionCode}: ${message}`;
  const detail = code.startsWith('soapenv:')
    ? ''
    : `<detail><sf:${detailType} xsi:type="sf:${detailType}"><sf:exceptionCode>${escapeXml(exceptionCode)}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:${detailType}></detail>`;
  const body = envelope(
    `<soapenv:Fault><faultcode>${escapeXml(faultCode)}</faultcode><faultstring>${escapeXml(faultString)}</faultstring>${detail}</soapenv:Fault>`,
    ' xmlns:sf="urn:fault.partner.soap.sforce.com"',
  );
  return new HttpError(500, body, { 'content-type': XML });
}

type Node = Record<string, unknown>;
const child = (node: unknown, name: string): unknown =>
  node && typeof node === 'object' ? (node as Node)[name] : undefined;
const text = (node: unknown): string => {
  if (typeof node === 'string') return node;
  const inner = child(node, '_');
  return typeof inner === 'string' ? inner : '';
};

async function readEnvelope(req: IncomingMessage): Promise<{ header: unknown; body: Node }> {
  const raw = (await readBody(req, 1024 * 1024)).toString('utf8');
  let parsed: unknown;
  try {
    parsed = await xml2js.parseStringPromise(raw, {
      explicitArray: false,
      ignoreAttrs: true,
      tagNameProcessors: [xml2js.processors.stripPrefix],
    });
  } catch {
    throw fault('soapenv:Client', 'Premature end of file.');
  }
  const env = child(parsed, 'Envelope');
  const body = child(env, 'Body');
  if (!body || typeof body !== 'object') throw fault('soapenv:Client', 'Envelope has no Body');
  return { header: child(env, 'Header'), body: body as Node };
}

function userInfoXml(ctx: EmulatorContext, user: BuiltInUser, sessionSeconds: number): string {
  const row = ctx.store.get('User', user.userId) ?? {};
  const str = (v: unknown, fallback = '') => escapeXml(typeof v === 'string' ? v : fallback);
  const org = ctx.store.get('Organization', ctx.store.orgId) ?? {};
  const fullName = [row.FirstName, row.LastName].filter((p) => typeof p === 'string').join(' ');
  return (
    '<userInfo><accessibilityMode>false</accessibilityMode><chatterExternal>false</chatterExternal>' +
    '<currencySymbol>$</currencySymbol><orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit>' +
    '<orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode><orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale>' +
    '<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments><orgHasPersonAccounts>false</orgHasPersonAccounts>' +
    `<organizationId>${escapeXml(ctx.store.orgId)}</organizationId><organizationMultiCurrency>false</organizationMultiCurrency>` +
    `<organizationName>${str(org.Name, 'Emulator Org')}</organizationName><profileId>00eKg0000000001AAA</profileId>` +
    `<roleId xsi:nil="true"/><sessionSecondsValid>${sessionSeconds}</sessionSecondsValid>` +
    '<userDefaultCurrencyIsoCode xsi:nil="true"/>' +
    `<userEmail>${str(row.Email)}</userEmail><userFullName>${escapeXml(fullName)}</userFullName>` +
    `<userId>${escapeXml(user.userId)}</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale>` +
    `<userName>${escapeXml(user.username)}</userName><userTimeZone>America/Los_Angeles</userTimeZone>` +
    '<userType>Standard</userType><userUiSkin>Theme3</userUiSkin></userInfo>'
  );
}

function login(ctx: EmulatorContext, rc: RequestContext, version: string, request: unknown): void {
  if (Number(version) >= LOGIN_REMOVED_IN) {
    throw fault(
      'UNSUPPORTED_API_VERSION',
      `login() is not available in API version ${version} and later; use OAuth`,
      'UnexpectedErrorFault',
    );
  }
  const username = text(child(request, 'username')).trim().toLowerCase();
  const password = text(child(request, 'password'));
  const app = ctx.credentials;
  const user = Object.values(ctx.users).find((u) => u.username.toLowerCase() === username);
  // Only the built-in admin has a password; from outside a trusted IP range, the security
  // token must follow it.
  if (!user || user !== ctx.users.admin || password !== app.password + app.securityToken) {
    throw fault(
      'INVALID_LOGIN',
      'Invalid username, password, security token; or user locked out.',
      'LoginFault',
    );
  }
  const session = ctx.sessions.issue(user.userId, 'SOAP', { refresh: false, scope: 'api web full' });
  const seconds = Math.round((session.expiresAt - session.issuedAt) / 1000);
  const org = ctx.store.orgId;
  const result =
    '<loginResponse><result>' +
    `<metadataServerUrl>${escapeXml(`${ctx.url}/services/Soap/m/${version}/${org}`)}</metadataServerUrl>` +
    '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>' +
    `<serverUrl>${escapeXml(`${ctx.url}/services/Soap/u/${version}/${org}`)}</serverUrl>` +
    `<sessionId>${escapeXml(session.accessToken)}</sessionId><userId>${escapeXml(user.userId)}</userId>` +
    userInfoXml(ctx, user, seconds) +
    '</result></loginResponse>';
  sendText(rc.res, 200, envelope(result), XML);
}

function logout(ctx: EmulatorContext, rc: RequestContext, header: unknown): void {
  const sessionId = text(child(child(header, 'SessionHeader'), 'sessionId'));
  if (!sessionId || !ctx.sessions.lookup(sessionId)) {
    throw fault(
      'INVALID_SESSION_ID',
      'Invalid Session ID found in SessionHeader: Illegal Session',
      'UnexpectedErrorFault',
    );
  }
  ctx.sessions.revoke(sessionId);
  sendText(rc.res, 200, envelope('<logoutResponse/>'), XML);
}

export const soapLoginRoutes: EmulatorModule = (ctx) => {
  const handler = async (rc: RequestContext) => {
    const match = /^(\d{2,3})\.0$/.exec(rc.params.version ?? '');
    if (!match || Number(match[1]) < 20)
      throw fault('soapenv:Client', 'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL');
    const version = `${match[1]}.0`;
    const { header, body } = await readEnvelope(rc.req);
    if (child(body, 'login') !== undefined) return login(ctx, rc, version, child(body, 'login'));
    if (child(body, 'logout') !== undefined) return logout(ctx, rc, header);
    throw fault('soapenv:Client', 'The emulator implements only login() and logout() of the SOAP API');
  };
  ctx.router.add('POST', '/services/Soap/u/:version', handler);
  ctx.router.add('POST', '/services/Soap/u/:version/:orgId', handler);
};
