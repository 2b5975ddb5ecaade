/**
 * The one error class of the toolkit. Feature packages throw it too (through
 * `salesforceError`, with a code of `SalesforceErrorCode` and their own message prefix), so an
 * app needs one `catch` branch for all of them.
 */

const BRAND = Symbol.for('@sf/core.SalesforceError');

/**
 * What went wrong, for every package of the toolkit: a closed list, so a `switch` over it is
 * checked and a new code is a visible change. Salesforce's own code (`INVALID_SESSION_ID`,
 * `REQUIRED_FIELD_MISSING`, ...) stays on `errorCode`; this is our classification. A test in
 * @sf/core fails when a package throws a code this list lacks.
 */
export type SalesforceErrorCode =
  // --- any package: HTTP and the call itself ---
  /** Salesforce answered with its JSON error array (see `errorCode`, `fields`, `details`). */
  | 'API_ERROR'
  /** The session or the login was refused (HTTP 401, OAuth errors, SOAP login faults, an expired session that cannot be renewed). */
  | 'AUTH_FAILED'
  /** HTTP 404, or a resource the server says does not exist (a Pub/Sub topic). */
  | 'NOT_FOUND'
  /** The org's API request limit (`REQUEST_LIMIT_EXCEEDED`) or HTTP 429. */
  | 'LIMIT_EXCEEDED'
  /** HTTP 5xx, including HTML maintenance pages. */
  | 'SERVER_ERROR'
  /** A body that is not what the protocol promises (HTML instead of JSON, truncated JSON), or larger than the limit. */
  | 'MALFORMED_RESPONSE'
  /** No answer, or no further body bytes, within `timeoutMs`; or a whole body not read within `bodyTimeoutMs`. */
  | 'TIMEOUT'
  /** The connection failed or was dropped (`reachedServer` tells whether the request may have arrived). */
  | 'NETWORK'
  /** The caller passed something that cannot be sent or used. */
  | 'INVALID_ARGUMENT'
  /** A call the object cannot take in its current state (a `Query` already being consumed another way). */
  | 'INVALID_STATE'
  /** The toolkit ended the operation itself before it finished (a Bulk 1.0 batch destroyed mid-upload, a subscription closed before it was ready); your own `signal` rejects with its reason instead. */
  | 'ABORTED'
  /** The server refused the operation for this user (Pub/Sub `PERMISSION_DENIED`). */
  | 'PERMISSION_DENIED'
  // --- @sf/auth ---
  /** A multi-user token store failed to save or load a user's credentials (`onStoreError`). */
  | 'STORE_FAILED'
  // --- @sf/sobject ---
  /** An upsert or lookup by external id matched more than one record (HTTP 300); the ids are in the message and `body`. */
  | 'MULTIPLE_MATCHES'
  // --- @sf/record-stream ---
  /** CSV input is malformed (an unclosed quote, a wrong number of fields, a duplicate header); `line` says where. */
  | 'CSV_PARSE'
  /** A record cannot travel through a stream: `null`, not an object, or conflicting fields. */
  | 'INVALID_RECORD'
  // --- @sf/bulk ---
  /** A Bulk job ended in state `Failed` (its `errorMessage` is in the message). */
  | 'JOB_FAILED'
  /** A Bulk job was aborted (by you, another client, or Salesforce) before it completed. */
  | 'JOB_ABORTED'
  /** A Bulk API 1.0 batch ended in state `Failed` (its `stateMessage` is in the message). */
  | 'BATCH_FAILED'
  /** A CSV row cannot be uploaded: larger than one upload, or past Salesforce's row or field limits. */
  | 'ROW_TOO_LARGE'
  /** The input stream failed after some rows were already sent; `details` name the jobs or batches sent. */
  | 'INPUT_FAILED'
  // --- @sf/streaming and @sf/pubsub ---
  /** A replay store (the file store, or your own) could not read or save a replay id. */
  | 'REPLAY_STORE_FAILED'
  /** The streaming client was closed, so it takes no new subscriptions. */
  | 'CLIENT_CLOSED'
  /** The CometD handshake was refused for a reason other than the session (see the message). */
  | 'HANDSHAKE_DENIED'
  /** The server refused a CometD subscription (an unknown channel, no permission). */
  | 'SUBSCRIBE_FAILED'
  /** The replay id asked for is no longer retained by the server (CometD), with `onReplayUnavailable: 'fail'`. */
  | 'REPLAY_ID_UNAVAILABLE'
  /** The server refused a Pub/Sub replay id (corrupted, or no longer retained), with `onReplayUnavailable: 'fail'`. */
  | 'REPLAY_ID_INVALID'
  /** Renewing the session failed for now; the client keeps retrying (reported on `error`, not fatal). */
  | 'AUTH_RENEWAL_FAILED'
  /** The CometD session ended while a request of it was in flight (the client is reconnecting or closing). */
  | 'SESSION_ENDED'
  /** The subscription was ended before the server acknowledged it. */
  | 'UNSUBSCRIBED';

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
  /** For input the toolkit parses (CSV): the 1-based line the error is about. */
  line?: number;
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
  /** For input the toolkit parses (CSV): the 1-based line the error is about. */
  readonly line: number | undefined;
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
    this.line = options.line;
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
      ...(this.line === undefined ? {} : { line: this.line }),
    };
  }
}
Object.defineProperty(SalesforceError.prototype, BRAND, { value: true });

/** Everything a {@link salesforceError} can carry besides its source, code and message. */
export type SalesforceErrorExtras = Omit<SalesforceErrorOptions, 'code' | 'source'>;

/**
 * The one way the toolkit makes an error: a {@link SalesforceError} whose message starts with
 * `[source]`. `new SalesforceError(message, { code, source })` still works and makes the same.
 *
 * @example
 * throw salesforceError('@sf/bulk', 'INVALID_ARGUMENT', 'externalIdField is required for upsert');
 */
export function salesforceError(
  source: string,
  code: SalesforceErrorCode,
  message: string,
  options: SalesforceErrorExtras = {},
): SalesforceError {
  return new SalesforceError(message, { ...options, code, source });
}

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
