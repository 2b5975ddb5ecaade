/**
 * The one error class of the toolkit. Feature packages throw it too (with their own
 * `code` values and message prefix), so an app needs one `catch` branch for all of them.
 */

const BRAND = Symbol.for('@sf/core.SalesforceError');

/** Stable codes for what went wrong; feature packages may add their own strings. */
export type SalesforceErrorCode =
  /** Salesforce answered with its JSON error array (see `errorCode`). */
  | 'API_ERROR'
  /** The session or the login was refused (HTTP 401, OAuth errors, SOAP login faults). */
  | 'AUTH_FAILED'
  /** HTTP 404. */
  | 'NOT_FOUND'
  /** The org's API request limit (`REQUEST_LIMIT_EXCEEDED`) or HTTP 429. */
  | 'LIMIT_EXCEEDED'
  /** HTTP 5xx, including HTML maintenance pages. */
  | 'SERVER_ERROR'
  /** A body that is not what the protocol promises: HTML instead of JSON, truncated JSON. */
  | 'MALFORMED_RESPONSE'
  /** No answer, or no further body bytes, within the timeout. */
  | 'TIMEOUT'
  /** The connection failed or was dropped. */
  | 'NETWORK'
  /** The caller passed something that cannot be sent. */
  | 'INVALID_ARGUMENT'
  | (string & {});

/** One entry of Salesforce's error array. */
export interface SalesforceErrorDetail {
  message: string;
  errorCode: string;
  fields?: string[];
  [key: string]: unknown;
}

export interface SalesforceErrorOptions {
  code: SalesforceErrorCode;
  /** Package name used as the message prefix, e.g. `@sf/bulk`. */
  source?: string;
  status?: number;
  method?: string;
  /** Request URL or path; query parameters that may hold secrets are redacted. */
  url?: string;
  errorCode?: string;
  fields?: string[];
  details?: SalesforceErrorDetail[];
  /** For network failures: whether the request may have reached the server. */
  reachedServer?: boolean;
  /** The response body, parsed, when it was JSON. */
  body?: unknown;
  cause?: unknown;
}

// Names whose values are secret, in URLs, forms, JSON and XML (matched case-insensitively,
// so `sessionId` and `refreshToken` are covered too).
const SECRET_KEYS = [
  'access_token',
  'accesstoken',
  'refresh_token',
  'refreshtoken',
  'id_token',
  'token',
  'password',
  'client_secret',
  'clientsecret',
  'client_assertion',
  'code',
  'code_verifier',
  'codeverifier',
  'assertion',
  'sid',
  'session_id',
  'sessionid',
].join('|');
// `key=value` in a URL, a form body or free text: only the value goes, and it ends where a URL
// or form value must (whitespace, `&`, `#`, quotes, `;`, angle brackets, a colon that ends a
// clause), so the rest of the message (the status, Salesforce's own words) survives.
const KEY_VALUE = new RegExp(`((?:^|[?&;,(\\s])(?:${SECRET_KEYS})=)(?:[^\\s&#"'<>;:]|:(?!\\s|$))+`, 'gi');
const JSON_VALUE = new RegExp(`("(?:${SECRET_KEYS})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi');
const XML_VALUE = new RegExp(`(<(?:[\\w-]+:)?(?:${SECRET_KEYS})>)[^<]*`, 'gi');
// Salesforce session ids look like `00D…!AQ…`; scrub anything of that shape from free text.
const SESSION_ID = /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g;
// After `Bearer` or `OAuth`, only what looks like a token: a session id, a long opaque string
// with a digit or symbol in it (JWTs, base64), or a very long run of letters. "OAuth endpoint"
// and "Bearer token" are words and stay.
const T = 'A-Za-z0-9!._~+/=-';
const BEARER = new RegExp(
  `\\b(Bearer|OAuth)(\\s+)(?:(?=[${T}]{20})(?=[A-Za-z]*[0-9!._~+/=-])|(?=[A-Za-z]{40}))[${T}]+`,
  'gi',
);

/**
 * Remove tokens, session ids and secret values from a string. Only the values go: a value
 * after a secret key (`?token=`, `&password=`, `"refresh_token": "..."`, `<sessionId>`), a
 * session id anywhere, and a token-like value after `Bearer` or `OAuth`; every other word
 * of the text stays.
 */
export function redact(text: string): string {
  return text
    .replace(JSON_VALUE, '$1[REDACTED]"')
    .replace(XML_VALUE, '$1[REDACTED]')
    .replace(KEY_VALUE, '$1[REDACTED]')
    .replace(BEARER, '$1$2[REDACTED]')
    .replace(SESSION_ID, '[REDACTED]');
}

/** The path and query of a URL, with secrets redacted. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return redact(u.pathname + u.search);
  } catch {
    return redact(url);
  }
}

/**
 * A failure talking to Salesforce. Carries the HTTP status, Salesforce's `errorCode` and
 * `fields`, and the request's method and path; never a token.
 *
 * @example
 * try { await conn.get('sobjects/Account/001xx') } catch (e) {
 *   if (e instanceof SalesforceError && e.code === 'NOT_FOUND') { ... }
 * }
 */
export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  readonly code: SalesforceErrorCode;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly errorCode: string | undefined;
  readonly fields: string[];
  readonly details: SalesforceErrorDetail[];
  readonly reachedServer: boolean | undefined;
  /**
   * The error response's JSON body, parsed, for shapes beyond the error array (a 300's list of
   * matching records, an sObject Tree's per-reference errors). Kept out of the message,
   * `toJSON` and enumeration, so logging an error never prints a body.
   */
  declare readonly body: unknown;

  constructor(message: string, options: SalesforceErrorOptions) {
    const where = options.method && options.url ? `${options.method} ${describeUrl(options.url)}: ` : '';
    super(redact(`[${options.source ?? '@sf/core'}] ${where}${message}`), { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.method = options.method;
    this.url = options.url === undefined ? undefined : describeUrl(options.url);
    this.errorCode = options.errorCode;
    this.fields = options.fields ?? [];
    this.details = options.details ?? [];
    this.reachedServer = options.reachedServer;
    Object.defineProperty(this, 'body', { value: options.body, enumerable: false });
  }

  /** Recognises errors from any installed copy of @sf/core. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** Plain data for logs: what went wrong and where, nothing secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      method: this.method,
      url: this.url,
      errorCode: this.errorCode,
      fields: this.fields,
      details: this.details,
    };
  }
}
Object.defineProperty(SalesforceError.prototype, BRAND, { value: true });

/** True when `value` is a SalesforceError (from any copy of @sf/core), optionally of a code. */
export function isSalesforceError(value: unknown, code?: SalesforceErrorCode): value is SalesforceError {
  return value instanceof SalesforceError && (code === undefined || value.code === code);
}

/** Whether an abort came from the caller's signal: such aborts surface `signal.reason` unchanged. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? signal.reason : undefined;
}

/** Throw the caller's abort reason if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
