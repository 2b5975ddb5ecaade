import { type LimitInfo, parseLimitInfo } from '../limits.js';
import type { Middleware } from '../transport.js';

/** Reads `Sforce-Limit-Info` off every response and hands it to `onLimits`. */
export function limitsMiddleware(onLimits: (info: LimitInfo) => void): Middleware {
  return (next) => async (req) => {
    const res = await next(req);
    const info = parseLimitInfo(res.headers['sforce-limit-info']);
    if (info) onLimits(info);
    return res;
  };
}
