// Checks of what callers pass that turn an old library's habits into a clear INVALID_ARGUMENT
// instead of something silently ignored: renamed options, node-salesforce-style callbacks
// (its README, under `shared/seeds/`, passes `function (err, rets)` last), and nforce's per-call
// oauth object (its README there passes it where our options go), which would otherwise be
// ignored and the job run as the connection's user.

import { callbackRefused, refuseCredentials } from '@sf/core';
import { bulkError } from './errors.js';

/** Options renamed in 0.x (CONVENTIONS.md rule 1), old name to new. */
const RENAMED: Readonly<Record<string, string>> = {
  pollInterval: 'pollIntervalMs',
  maxPollInterval: 'maxPollIntervalMs',
  pollTimeout: 'pollTimeoutMs',
  extIdField: 'externalIdField',
  externalIdFieldName: 'externalIdField',
};

/**
 * @internal Throws INVALID_ARGUMENT when `options` is a callback, carries credentials (nforce's
 * oauth object, `accessToken`, `sessionId`...: core's `refuseCredentials`), or uses a name
 * that was renamed.
 */
export function checkOptions(options: object | undefined, call: string): void {
  if (typeof options === 'function') rejectCallback(call);
  if (options === undefined || options === null) return;
  refuseCredentials('@sf/bulk', call, [options]);
  for (const name of Object.keys(options)) {
    const now = RENAMED[name];
    if (now !== undefined) {
      throw bulkError(`${call}: the option ${name} is now ${now}`, { code: 'INVALID_ARGUMENT' });
    }
  }
}

/** @internal Throws core's INVALID_ARGUMENT for a callback passed where this API returns an awaitable. */
export function rejectCallback(call: string): never {
  throw callbackRefused(
    '@sf/bulk',
    call,
    `it returns an awaitable (const result = await ${call}(...)); errors reject it`,
  );
}
