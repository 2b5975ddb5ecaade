import type { RequestOptions } from '@sf/core';
import { bulkError } from './errors.js';

/**
 * What every call of @sf/bulk that goes over the network takes in its last argument
 * (CONVENTIONS.md rule 2): `signal` (an abort rejects with `signal.reason`, unchanged) and
 * `timeoutMs` (each request's step timeout; a timeout rejects with `TIMEOUT`).
 */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs'>;

/** @internal The options of a core request for `options`, without keys left undefined. */
export function callOptions(options: CallOptions | undefined): CallOptions {
  // 0.x took a positional signal: say so rather than ignore it.
  if (options instanceof AbortSignal) {
    throw bulkError('pass the signal in the options: { signal }', { code: 'INVALID_ARGUMENT' });
  }
  const out: CallOptions = {};
  if (options?.signal) out.signal = options.signal;
  if (options?.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  return out;
}
