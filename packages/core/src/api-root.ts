// `conn.tooling`: the same connection with another data root. A view, not a second connection:
// it shares the auth session, transport, pool, limits and events of the one it was made from,
// and only rewrites relative paths (`query`, `sobjects/ApexClass`) to resolve under its root,
// so every feature package that speaks in relative paths works on the Tooling API unchanged.

import type { Connection, RequestOptions } from './connection.js';

/** `/services/data/vNN.N/`: where relative paths of a plain connection resolve. */
export function dataPathFor(apiVersion: string): string {
  return `/services/data/v${apiVersion}/`;
}

const toolingViews = new WeakMap<Connection, Connection>();

/**
 * The Tooling API view of `conn` (`/services/data/vNN.N/tooling/`), made once per connection so
 * that caches keyed by connection (describe) stay apart from the data root's and are reused.
 */
export function toolingOf(conn: Connection): Connection {
  let view = toolingViews.get(conn);
  if (!view) {
    view = rootedView(conn, `${conn.dataPath}tooling/`);
    toolingViews.set(conn, view);
  }
  return view;
}

function isRelative(path: string): boolean {
  return !path.startsWith('/') && !/^https?:\/\//i.test(path);
}

/** `base` with relative paths resolved under `dataPath` (which starts and ends with `/`). */
function rootedView(base: Connection, dataPath: string): Connection {
  const at = (path: string): string => (isRelative(path) ? `${dataPath}${path}` : path);
  const rooted = <O extends RequestOptions>(options: O): O => ({ ...options, path: at(options.path) });
  const view: Connection = {
    apiVersion: base.apiVersion,
    get instanceUrl() {
      return base.instanceUrl;
    },
    get limits() {
      return base.limits;
    },
    timeoutMs: base.timeoutMs,
    ...(base.sanitizeFilter === undefined ? {} : { sanitizeFilter: base.sanitizeFilter }),
    dataPath,
    get tooling() {
      return view;
    },
    request: <T>(options: RequestOptions | string) =>
      base.request<T>(typeof options === 'string' ? at(options) : rooted(options)),
    requestRaw: (options) => base.requestRaw(rooted(options)),
    get: <T>(path: string, options?: Omit<RequestOptions, 'path' | 'method'>) =>
      base.get<T>(at(path), options),
    post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'path' | 'method' | 'body'>) =>
      base.post<T>(at(path), body, options),
    patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'path' | 'method' | 'body'>) =>
      base.patch<T>(at(path), body, options),
    put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'path' | 'method' | 'body'>) =>
      base.put<T>(at(path), body, options),
    delete: <T>(path: string, options?: Omit<RequestOptions, 'path' | 'method'>) =>
      base.delete<T>(at(path), options),
    url: (path, query) => base.url(at(path), query),
    credentials: (signal) => base.credentials(signal),
    renewCredentials: (rejected, signal) => base.renewCredentials(rejected, signal),
    withAuth: (auth) => toolingOf(base.withAuth(auth)),
    versions: (options) => base.versions(options),
    // The Tooling root's own resource list; limits and identity are the org's, as on the data root.
    resources: (options = {}) => base.request({ path: dataPath, ...options }),
    fetchLimits: (options) => base.fetchLimits(options),
    identity: (options) => base.identity(options),
    on(event, listener) {
      base.on(event, listener);
      return view;
    },
    off(event, listener) {
      base.off(event, listener);
      return view;
    },
    once(event, listener) {
      base.once(event, listener);
      return view;
    },
  };
  return view;
}
