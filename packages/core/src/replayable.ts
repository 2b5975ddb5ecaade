import type { RequestBody } from './transport.js';

/**
 * Whether a request body can be sent again (for a retry, or after renewing a session): none,
 * a string or bytes can; a stream (an async iterable) is consumed by the first attempt and
 * cannot.
 *
 * @example
 * if (isReplayableBody(req.body)) return next(req); // safe to send a second time
 */
export function isReplayableBody(body: RequestBody | unknown): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}
