// Helpers shared by the flows: the default transport, login hosts, and reading a token
// response into core's Credentials. Not exported from the package entry point.

import {
  BODY_LIMIT_DEFAULTS,
  type CallOptions,
  type Credentials,
  defaultTransport,
  errorFromResponse,
  readBodyText,
  salesforceError,
  type SalesforceError,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@sf/core';

export const SOURCE = '@sf/auth';

/** Where users log in, by environment. A My Domain URL is given as `loginUrl` instead. */
export const LOGIN_HOSTS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

export type Environment = keyof typeof LOGIN_HOSTS;

/**
 * The last argument of every @sf/auth call that goes over the network: core's `CallOptions`
 * (`signal`, `timeoutMs`) and the transport to send it with.
 */
export interface AuthCallOptions extends CallOptions {
  /** Defaults to the client's transport, else core's `defaultTransport()` (the one shared pool). */
  transport?: Transport;
}

export function resolveLoginUrl(loginUrl: string | undefined, environment: Environment | undefined): string {
  if (loginUrl !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(loginUrl);
    } catch (cause) {
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `loginUrl is not a URL`, { cause });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'loginUrl must be an http(s) URL');
    }
    return parsed.origin;
  }
  const env = environment ?? 'production';
  const host = LOGIN_HOSTS[env];
  if (!host)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      `environment must be "production" or "sandbox", got "${String(env)}"`,
    );
  return host;
}

/** Sends a request, turning a failure into a SalesforceError with `@sf/auth` as its source. */
export async function send(
  request: TransportRequest,
  options: AuthCallOptions,
  fallback: Transport | undefined,
): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  const transport = options.transport ?? fallback ?? defaultTransport();
  const req: TransportRequest = {
    ...request,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const res = await transport(req);
  if (res.status >= 300) throw await errorFromResponse(res, req, SOURCE);
  return { status: res.status, text: await readTokenBody(res, req), headers: res.headers };
}

/**
 * A token or SOAP response read whole, within core's body deadline (3 × `timeoutMs`) and the
 * error-body size limit (these answers are small): a body that never ends rejects TIMEOUT.
 */
export function readTokenBody(res: TransportResponse, req: TransportRequest): Promise<string> {
  return readBodyText(res, req, { source: SOURCE, maxBytes: BODY_LIMIT_DEFAULTS.maxErrorBodyBytes });
}

/** POSTs a form to an OAuth endpoint and parses the JSON it answers. */
export async function postForm(
  url: string,
  form: Record<string, string | undefined>,
  options: AuthCallOptions,
  fallback: Transport | undefined,
): Promise<Record<string, unknown>> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  const { status, text } = await send(
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      idempotent: false,
    },
    options,
    fallback,
  );
  return parseJsonObject(text, status, 'POST', url);
}

export function parseJsonObject(
  text: string,
  status: number,
  method: string,
  url: string,
): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch (cause) {
    throw malformed(status, method, url, cause);
  }
  throw malformed(status, method, url);
}

function malformed(status: number, method: string, url: string, cause?: unknown): SalesforceError {
  // Never quote the body: it may be a token response.
  return salesforceError(
    SOURCE,
    'MALFORMED_RESPONSE',
    `${status}: expected a JSON object from the OAuth endpoint`,
    { status, method, url, ...(cause === undefined ? {} : { cause }) },
  );
}

/** `https://login.../id/{orgId}/{userId}` → its two ids. */
export function idsFromIdentityUrl(id: string | undefined): { organizationId?: string; userId?: string } {
  const match = id ? /\/id\/([^/]+)\/([^/?#]+)/.exec(id) : null;
  return match ? { organizationId: match[1]!, userId: match[2]! } : {};
}

/** Reads Salesforce's token response into core's Credentials. */
export function credentialsFromToken(body: Record<string, unknown>, url: string): Credentials {
  const str = (key: string): string | undefined =>
    typeof body[key] === 'string' ? (body[key] as string) : undefined;
  const accessToken = str('access_token');
  if (!accessToken) {
    throw salesforceError(SOURCE, 'MALFORMED_RESPONSE', 'the token response carries no access_token', {
      method: 'POST',
      url,
    });
  }
  const issuedAt = Number(str('issued_at') ?? body.issued_at);
  const expiresIn = Number(body.expires_in);
  const id = str('id');
  const out: Credentials = { accessToken, ...idsFromIdentityUrl(id) };
  const set = <K extends keyof Credentials>(key: K, value: Credentials[K] | undefined) => {
    if (value !== undefined) out[key] = value as Credentials[K];
  };
  set('instanceUrl', str('instance_url')?.replace(/\/+$/, ''));
  set('tokenType', str('token_type'));
  set('refreshToken', str('refresh_token'));
  set('id', id);
  set('scope', str('scope'));
  set('issuedAt', Number.isFinite(issuedAt) && issuedAt > 0 ? issuedAt : undefined);
  if (Number.isFinite(expiresIn) && expiresIn > 0)
    set('expiresAt', (out.issuedAt ?? Date.now()) + expiresIn * 1000);
  return out;
}
