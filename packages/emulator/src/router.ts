// A method + path-pattern router small enough to read in one go. Modules register routes;
// the first registered match wins, so a module that needs to shadow a broader pattern
// registers first.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler gets for one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The full request URL (query string in `url.searchParams`). */
  url: URL;
  method: string;
  /** Path parameters: `:name` segments, and `*` for the rest of the path. */
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
  methods: ReadonlySet<string>;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * Routes requests by method and path pattern: `/services/data/:version/sobjects/:sobject`.
 * A trailing `*` segment matches the rest of the path. Trailing slashes are ignored, as
 * Salesforce ignores them.
 */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string | readonly string[], pattern: string, handler: RouteHandler): this {
    const methods = new Set((typeof method === 'string' ? [method] : method).map((m) => m.toUpperCase()));
    this.#routes.push({ methods, segments: split(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.methods.has(method) || (method === 'HEAD' && route.methods.has('GET'))) {
        return { kind: 'found', handler: route.handler, params };
      }
      for (const m of route.methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i] as string;
    if (seg === '*') {
      params['*'] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg !== part) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}
