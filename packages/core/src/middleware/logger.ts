import { describeUrl, SalesforceError } from '../errors.js';
import type { Middleware } from '../transport.js';

/** One line of the request log. It never holds headers, bodies or tokens. */
export interface LogEntry {
  level: 'debug' | 'warn';
  message: string;
  method: string;
  /** Path and query, with secret parameters redacted. */
  path: string;
  status?: number;
  durationMs: number;
  errorCode?: string;
}

export type Logger = (entry: LogEntry) => void;

/** Reports each HTTP exchange (after auth, so each attempt and each renewal is seen). */
export function loggerMiddleware(logger: Logger): Middleware {
  return (next) => async (req) => {
    const started = Date.now();
    const path = describeUrl(req.url);
    try {
      const res = await next(req);
      logger({
        level: res.status >= 400 ? 'warn' : 'debug',
        message: `${req.method} ${path} ${res.status}`,
        method: req.method,
        path,
        status: res.status,
        durationMs: Date.now() - started,
      });
      return res;
    } catch (error) {
      const code = error instanceof SalesforceError ? error.code : 'ABORTED';
      logger({
        level: 'warn',
        message: `${req.method} ${path} failed: ${code}`,
        method: req.method,
        path,
        durationMs: Date.now() - started,
        errorCode: code,
      });
      throw error;
    }
  };
}
