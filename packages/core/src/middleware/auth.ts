import type { AuthSession } from '../auth-session.js';
import { readLimitedText, responseFromText } from '../http-errors.js';
import type { Middleware } from '../transport.js';

/** Sets `Authorization: Bearer …` from the session, logging in first if needed. */
export function authHeaderMiddleware(session: AuthSession): Middleware {
  return (next) => async (req) => {
    const credentials = await session.credentials(req.signal);
    return next({ ...req, headers: { ...req.headers, authorization: `Bearer ${credentials.accessToken}` } });
  };
}

/**
 * On 401 (Salesforce's `INVALID_SESSION_ID`), renews the session once, shared by every
 * request in flight, and sends the request again with the new token. A streamed body cannot
 * be sent again, so such a request gets the 401 back.
 */
export function refreshOn401Middleware(session: AuthSession): Middleware {
  return (next) => async (req) => {
    const res = await next(req);
    if (res.status !== 401 || !session.canRenew) return res;
    const replayable =
      req.body === undefined || typeof req.body === 'string' || req.body instanceof Uint8Array;
    if (!replayable) return res;
    const text = await readLimitedText(res, 64 * 1024, req);
    if (text.includes('"errorCode"') && !text.includes('INVALID_SESSION_ID'))
      return responseFromText(res, text, req);
    const used = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const renewed = await session.renew(used, req.signal);
    return next({ ...req, headers: { ...req.headers, authorization: `Bearer ${renewed.accessToken}` } });
  };
}
