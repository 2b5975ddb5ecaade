import type { AuthSession } from '../auth-session.js';
import { readLimitedText, responseFromText } from '../http-errors.js';
import { isReplayableBody } from '../replayable.js';
import type { Middleware } from '../transport.js';

/** Sets `Authorization: Bearer …` from the session, logging in first if needed. */
export function authHeaderMiddleware(session: AuthSession): Middleware {
  return (next) => async (req) => {
    const credentials = await session.credentials(req.signal);
    return next({ ...req, headers: { ...req.headers, authorization: `Bearer ${credentials.accessToken}` } });
  };
}

/**
 * Whether a response means "the session expired or is invalid": a 401 (REST's
 * `INVALID_SESSION_ID`; any 401 whose JSON names another `errorCode` is not), Bulk API 1.0's
 * HTTP 400 with `exceptionCode` `InvalidSessionId` (in its XML or JSON error body), or the
 * identity service's HTTP 403 `Bad_OAuth_Token` (a plain-text body; a JSON `errorCode` of that
 * name is taken too). No other 403 is: `REQUEST_LIMIT_EXCEEDED`, `Wrong_Org` and missing
 * permissions are not cured by a new token.
 */
export function isSessionExpiredResponse(status: number, text: string): boolean {
  if (status === 401) return !text.includes('"errorCode"') || text.includes('INVALID_SESSION_ID');
  if (status === 403) return /^\s*Bad_OAuth_Token\s*$|"errorCode"\s*:\s*"Bad_OAuth_Token"/.test(text);
  return (
    status === 400 &&
    /<(?:\w+:)?exceptionCode>\s*InvalidSessionId\s*<|"exceptionCode"\s*:\s*"InvalidSessionId"/.test(text)
  );
}

/** A 403 body larger than this is not the identity service's one-word answer: not read. */
const MAX_BAD_TOKEN_BODY = 4096;

/**
 * On an expired session ({@link isSessionExpiredResponse}: a 401, Bulk API 1.0's 400
 * `InvalidSessionId`, the identity service's 403 `Bad_OAuth_Token`), renews the session once, shared by
 * every request in flight, and sends the request again with the new token (in `Authorization`,
 * and in Bulk API 1.0's `X-SFDC-Session` when the request carries one). A streamed body cannot
 * be sent again, so such a request gets the error back.
 */
export function refreshOn401Middleware(session: AuthSession): Middleware {
  return (next) => async (req) => {
    const res = await next(req);
    if ((res.status !== 401 && res.status !== 400 && res.status !== 403) || !session.canRenew) return res;
    const bulk1 = req.headers['x-sfdc-session'];
    // A 400 is a session error only in Bulk API 1.0, whose requests carry X-SFDC-Session.
    if (res.status === 400 && bulk1 === undefined) return res;
    if (res.status === 403 && Number(res.headers['content-length'] ?? 0) > MAX_BAD_TOKEN_BODY) return res;
    if (!isReplayableBody(req.body)) return res;
    const text = await readLimitedText(res, 64 * 1024, req);
    if (!isSessionExpiredResponse(res.status, text)) return responseFromText(res, text, req);
    const used = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? bulk1 ?? '';
    const renewed = await session.renew(used, req.signal);
    const headers: Record<string, string> = {
      ...req.headers,
      authorization: `Bearer ${renewed.accessToken}`,
    };
    if (bulk1 !== undefined) headers['x-sfdc-session'] = renewed.accessToken;
    return next({ ...req, headers });
  };
}
