// What every authenticated REST resource shares: the bearer token check, the API version in
// the path, the daily API request count and the Sforce-Limit-Info header that reports it.

import type { EmulatorContext } from './context.js';
import { bearerToken, errorResponse, NOT_FOUND } from './http-util.js';
import type { RequestContext, RouteHandler } from './router.js';
import type { Session } from './sessions.js';
import { parseVersionSegment } from './versions.js';

export interface RestContext extends RequestContext {
  session: Session;
  /** The API version of the request path, such as `64.0`. */
  version: string;
}

/** Salesforce's 401 for a missing, expired, revoked or unknown token. */
export function invalidSession() {
  return errorResponse(
    401,
    { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    { 'www-authenticate': 'Token' },
  );
}

/** The session behind the request's bearer token, or a thrown 401. */
export function authenticate(ctx: EmulatorContext, rc: RequestContext): Session {
  const token = bearerToken(rc.req);
  const session = token ? ctx.sessions.lookup(token) : undefined;
  if (!session) throw invalidSession();
  return session;
}

/** Counts one API request and sets the Sforce-Limit-Info header, or fails when the day's quota is spent. */
export function countApiRequest(ctx: EmulatorContext, rc: RequestContext): void {
  if (ctx.apiUsage.used >= ctx.apiUsage.max) {
    throw errorResponse(403, {
      message: 'TotalRequests Limit exceeded.',
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
  }
  ctx.apiUsage.used += 1;
  rc.res.setHeader('sforce-limit-info', `api-usage=${ctx.apiUsage.used}/${ctx.apiUsage.max}`);
}

/**
 * Wraps a handler for a route under `/services/data/:version/...`: authenticates, checks the
 * version, counts the call. Authentication comes first, as in Salesforce, so a bad token is a
 * 401 whatever the path.
 */
export function restRoute(
  ctx: EmulatorContext,
  handler: (rc: RestContext) => void | Promise<void>,
): RouteHandler {
  return async (rc) => {
    const session = authenticate(ctx, rc);
    const version = parseVersionSegment(rc.params.version ?? '', ctx.apiVersion);
    if (!version) throw errorResponse(404, NOT_FOUND);
    countApiRequest(ctx, rc);
    await handler({ ...rc, session, version });
  };
}
