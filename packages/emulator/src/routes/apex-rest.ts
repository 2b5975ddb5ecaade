// Apex REST: `{instanceUrl}/services/apexrest/{path}` with any method, answered by handlers the
// caller registers (`emu.apexRest('POST', '/Invoice/*', handler)`), as an org's
// `@RestResource(urlMapping='/Invoice/*')` classes would.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { errorResponse, HttpError, readBody, sendEmpty, sendJson, sendText } from '../http-util.js';
import { authenticate, countApiRequest } from '../rest-guard.js';

/** What an Apex REST handler receives. */
export interface ApexRestRequest {
  method: string;
  /** The path after `/services/apexrest`, starting with `/`. */
  path: string;
  /** `:name` segments of the registered pattern, and `*` for what a trailing `*` matched. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  /** The body: parsed when it is JSON, text otherwise, undefined when empty. */
  body: unknown;
  /** The calling user. */
  userId: string;
  /** Set `status` (200 by default) or headers of the answer. */
  response: { status: number; headers: Record<string, string> };
}

/** Returns the response body: serialized as JSON, or sent as is when a string with a content type. */
export type ApexRestHandler = (request: ApexRestRequest) => unknown | Promise<unknown>;

interface ApexRoute {
  method: string;
  segments: string[];
  handler: ApexRestHandler;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The handlers of one emulator; registered through `emu.apexRest(...)`. */
export class ApexRestRegistry {
  readonly #routes: ApexRoute[] = [];

  add(method: string, pattern: string, handler: ApexRestHandler): void {
    const m = method.toUpperCase();
    if (!METHODS.includes(m))
      throw new TypeError(`[@sf/emulator] Apex REST method must be one of ${METHODS.join(', ')}`);
    this.#routes.push({ method: m, segments: pattern.split('/').filter((s) => s !== ''), handler });
  }

  match(
    method: string,
    path: string,
  ): { handler: ApexRestHandler; params: Record<string, string> } | 'method' | undefined {
    const parts = path.split('/').filter((s) => s !== '');
    let wrongMethod = false;
    for (const route of this.#routes) {
      const params = matchPattern(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      wrongMethod = true;
    }
    return wrongMethod ? 'method' : undefined;
  }
}

function matchPattern(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i] as string;
    if (seg === '*') {
      params['*'] = parts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(part);
    else if (seg.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}

export function apexRestRoutes(registry: ApexRestRegistry): EmulatorModule {
  return (ctx: EmulatorContext) => {
    ctx.router.add(METHODS, '/services/apexrest/*', async (rc) => {
      const session = authenticate(ctx, rc);
      countApiRequest(ctx, rc);
      const path = `/${rc.params['*'] ?? ''}`;
      const found = registry.match(rc.method === 'HEAD' ? 'GET' : rc.method, path);
      if (found === undefined) {
        throw errorResponse(404, {
          errorCode: 'NOT_FOUND',
          message: `Could not find a match for URL ${path}`,
        });
      }
      if (found === 'method') {
        throw errorResponse(405, {
          errorCode: 'METHOD_NOT_ALLOWED',
          message: `HTTP Method '${rc.method}' not allowed.`,
        });
      }
      const raw = (await readBody(rc.req)).toString('utf8');
      let body: unknown = raw === '' ? undefined : raw;
      if (raw !== '' && /json/i.test(rc.req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw errorResponse(400, {
            errorCode: 'JSON_PARSER_ERROR',
            message: 'Unexpected character in body',
          });
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(rc.req.headers)) if (typeof v === 'string') headers[k] = v;
      const response = { status: 200, headers: {} as Record<string, string> };
      let result: unknown;
      try {
        result = await found.handler({
          method: rc.method,
          path,
          params: found.params,
          query: Object.fromEntries(rc.url.searchParams),
          headers,
          body,
          userId: session.userId,
          response,
        });
      } catch (error) {
        if (error instanceof HttpError) throw error;
        // An uncaught exception in Apex answers 500 APEX_ERROR with the exception's text.
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw errorResponse(500, { errorCode: 'APEX_ERROR', message });
      }
      const contentType = response.headers['content-type'];
      if (result === undefined || response.status === 204)
        return sendEmpty(rc.res, response.status === 200 ? 200 : response.status, response.headers);
      if (typeof result === 'string' && contentType)
        return sendText(rc.res, response.status, result, contentType, response.headers);
      sendJson(rc.res, response.status, result, response.headers);
    });
  };
}
