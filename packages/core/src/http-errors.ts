import {
  SalesforceError,
  type SalesforceErrorCode,
  type SalesforceErrorDetail,
  type SalesforceErrorOptions,
} from './errors.js';
import { BODY_LIMIT_DEFAULTS, bodyTimeoutFor, collectText, readBodyText } from './body-limits.js';
import { createTransportResponse } from './response.js';
import type { TransportRequest, TransportResponse } from './transport.js';

/**
 * Reads at most `limit` bytes of a body (default 64 KiB), discarding the rest, within the
 * request's overall body deadline (default 3 × 120 s): rejects `TIMEOUT` past it.
 */
export async function readLimitedText(
  res: TransportResponse,
  limit = 64 * 1024,
  req?: Partial<Pick<TransportRequest, 'method' | 'url' | 'timeoutMs' | 'bodyTimeoutMs'>>,
): Promise<string> {
  return collectText(
    res.body(),
    () => res.cancel(),
    { maxBytes: limit, timeoutMs: bodyTimeoutFor(req) },
    {
      status: res.status,
      headers: res.headers,
      method: req?.method,
      url: req?.url,
      sizeOption: 'maxErrorBodyBytes',
      truncate: true,
    },
  );
}

/** A response whose body was already read into `text`, so a middleware can look and pass it on. */
export function responseFromText(
  res: TransportResponse,
  text: string,
  req: TransportRequest,
): TransportResponse {
  const bytes = new TextEncoder().encode(text);
  return createTransportResponse({
    status: res.status,
    headers: res.headers,
    stream: (async function* () {
      if (bytes.length) yield bytes;
    })(),
    discard: async () => {},
    method: req.method,
    url: req.url,
  });
}

/** Salesforce's error array, when `body` is one. */
export function parseErrorArray(body: unknown): SalesforceErrorDetail[] | undefined {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : undefined;
  if (!list?.length) return undefined;
  const details: SalesforceErrorDetail[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') return undefined;
    const { message, errorCode } = item as Record<string, unknown>;
    if (typeof message !== 'string' || typeof errorCode !== 'string') return undefined;
    details.push(item as SalesforceErrorDetail);
  }
  return details;
}

export function codeForStatus(status: number, errorCode?: string): SalesforceErrorCode {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED' || status === 429) return 'LIMIT_EXCEEDED';
  if (status === 401 || errorCode === 'INVALID_SESSION_ID') return 'AUTH_FAILED';
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'SERVER_ERROR';
  return 'API_ERROR';
}

function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text);
  return m?.[1]?.trim() || undefined;
}

export function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  return /html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text);
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function xmlText(text: string, tag: string): string | undefined {
  const m = new RegExp(`<(?:[\\w-]+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${tag}>`).exec(text);
  return m?.[1]?.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '').trim();
}

/**
 * Salesforce's XML errors: Bulk API 1.0's `<error><exceptionCode/><exceptionMessage/></error>`
 * and SOAP faults (`<faultcode>sf:INVALID_LOGIN</faultcode><faultstring/>`).
 */
export function parseXmlError(text: string): SalesforceErrorDetail | undefined {
  if (!/^\s*(<\?xml|<)/.test(text)) return undefined;
  const exceptionCode = xmlText(text, 'exceptionCode');
  if (exceptionCode)
    return { errorCode: exceptionCode, message: xmlText(text, 'exceptionMessage') ?? exceptionCode };
  const faultCode = xmlText(text, 'faultcode');
  if (faultCode) {
    const errorCode = faultCode.replace(/^[\w-]+:/, '');
    return { errorCode, message: xmlText(text, 'faultstring') ?? errorCode };
  }
  return undefined;
}

// The identity URL answers failures with one word of plain text (403 Bad_OAuth_Token for an
// expired or invalid token, 403 Wrong_Org, 404 Bad_Id...), not the REST API's error array. Only
// these known words are taken as codes: any other plain body stays unquoted. The version and
// callback errors are taken in both spellings seen for them (Bad_ and Invalid_: no source at
// hand settles which the service sends).
const IDENTITY_MESSAGES: Record<string, string> = {
  Bad_OAuth_Token: 'the access token is expired or invalid',
  Missing_OAuth_Token: 'no access token was sent',
  HTTPS_Required: 'the identity URL must be called over HTTPS',
  Wrong_Org: 'the identity URL belongs to another org than the token',
  Bad_Id: 'no such user or org',
  Inactive: 'the user or org is inactive',
  No_Access: 'the user may not see this identity',
  No_Site_Endpoint: 'not available on a site endpoint',
  Bad_Version: 'unknown version',
  Invalid_Version: 'unknown version',
  Bad_Callback: 'invalid JSONP callback',
  Invalid_Callback: 'invalid JSONP callback',
};

function identityServiceCode(text: string): string | undefined {
  const word = text.trim();
  return Object.hasOwn(IDENTITY_MESSAGES, word) ? word : undefined;
}

/** Options of {@link errorFromResponse}. */
export interface ErrorBodyOptions {
  /** The largest error body read. Default 1 MiB (`BODY_LIMIT_DEFAULTS.maxErrorBodyBytes`). */
  maxErrorBodyBytes?: number;
}

/**
 * Turns a non-success response into a typed error: Salesforce's error array, an OAuth error
 * object, an HTML page (maintenance, proxies) or anything else. Consumes the body, within
 * the request's body deadline (`bodyTimeoutMs`, else 3 × `timeoutMs`) and `maxErrorBodyBytes`:
 * past them the error is `TIMEOUT` or `MALFORMED_RESPONSE`, still with the HTTP status.
 */
export async function errorFromResponse(
  res: TransportResponse,
  req: Pick<TransportRequest, 'method' | 'url'> &
    Partial<Pick<TransportRequest, 'timeoutMs' | 'bodyTimeoutMs' | 'signal'>>,
  source = '@sf/core',
  options: ErrorBodyOptions = {},
): Promise<SalesforceError> {
  let text: string;
  try {
    text = await readBodyText(res, req, {
      source,
      maxBytes: options.maxErrorBodyBytes ?? BODY_LIMIT_DEFAULTS.maxErrorBodyBytes,
      sizeOption: 'maxErrorBodyBytes',
    });
  } catch (cause) {
    // The deadline and the size limit are the answer; anything else keeps the status's code.
    if (cause instanceof SalesforceError && (cause.code === 'TIMEOUT' || cause.code === 'MALFORMED_RESPONSE'))
      return cause;
    if (req.signal?.aborted) throw req.signal.reason;
    return new SalesforceError(`HTTP ${res.status}, and the error body could not be read`, {
      code: codeForStatus(res.status),
      status: res.status,
      method: req.method,
      url: req.url,
      source,
      cause,
    });
  }
  const base: Pick<SalesforceErrorOptions, 'status' | 'method' | 'url' | 'source' | 'body'> = {
    status: res.status,
    method: req.method,
    url: req.url,
    source,
  };
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(text);
    isJson = true;
  } catch {
    // not JSON: handled below
  }
  if (isJson) {
    Object.assign(base, { body: parsed });
    const details = parseErrorArray(parsed);
    if (details) {
      const first = details[0]!;
      return new SalesforceError(`${res.status} ${first.errorCode}: ${first.message}`, {
        ...base,
        code: codeForStatus(res.status, first.errorCode),
        errorCode: first.errorCode,
        fields: first.fields ?? [],
        details,
      });
    }
    // Bulk API 1.0's error in JSON jobs: {"exceptionCode": "...", "exceptionMessage": "..."}.
    const bulk = parsed as { exceptionCode?: unknown; exceptionMessage?: unknown };
    if (bulk && typeof bulk.exceptionCode === 'string') {
      const detail = {
        errorCode: bulk.exceptionCode,
        message: typeof bulk.exceptionMessage === 'string' ? bulk.exceptionMessage : bulk.exceptionCode,
      };
      return new SalesforceError(`${res.status} ${detail.errorCode}: ${detail.message}`, {
        ...base,
        code: codeForStatus(
          res.status,
          detail.errorCode === 'InvalidSessionId' ? 'INVALID_SESSION_ID' : detail.errorCode,
        ),
        errorCode: detail.errorCode,
        details: [detail],
      });
    }
    const oauth = parsed as { error?: unknown; error_description?: unknown };
    if (oauth && typeof oauth.error === 'string') {
      const description = typeof oauth.error_description === 'string' ? oauth.error_description : oauth.error;
      return new SalesforceError(`${res.status} ${oauth.error}: ${description}`, {
        ...base,
        code:
          res.status >= 500
            ? 'SERVER_ERROR'
            : res.status === 400 || res.status === 401
              ? 'AUTH_FAILED'
              : codeForStatus(res.status),
        errorCode: oauth.error,
      });
    }
  }
  const xml = isJson ? undefined : parseXmlError(text);
  if (xml) {
    return new SalesforceError(`${res.status} ${xml.errorCode}: ${xml.message}`, {
      ...base,
      code: codeForStatus(
        res.status,
        xml.errorCode === 'InvalidSessionId' ? 'INVALID_SESSION_ID' : xml.errorCode,
      ),
      errorCode: xml.errorCode,
      details: [xml],
    });
  }
  const identity = isJson ? undefined : identityServiceCode(text);
  if (identity) {
    const message = IDENTITY_MESSAGES[identity] ?? 'the identity service refused the request';
    return new SalesforceError(`${res.status} ${identity}: ${message}`, {
      ...base,
      code: identity.endsWith('_OAuth_Token') ? 'AUTH_FAILED' : codeForStatus(res.status),
      errorCode: identity,
      details: [{ errorCode: identity, message }],
    });
  }
  if (!isJson && looksLikeHtml(res.headers['content-type'], text)) {
    const title = htmlTitle(text);
    return new SalesforceError(
      `${res.status}: the server answered with an HTML page${title ? ` ("${title}")` : ''} instead of an API response`,
      { ...base, code: res.status < 400 ? 'MALFORMED_RESPONSE' : codeForStatus(res.status) },
    );
  }
  // The body is not quoted: a proxy that echoes the request could echo a secret.
  const kind = isJson ? 'an unrecognised JSON body' : `a ${res.headers['content-type'] ?? 'untyped'} body`;
  return new SalesforceError(`${res.status}, with ${kind} (${text.length} characters)`, {
    ...base,
    code: codeForStatus(res.status),
  });
}
