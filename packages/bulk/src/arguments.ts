// Checks of what callers pass that turn an old library's habits into a clear INVALID_ARGUMENT
// instead of something silently ignored: renamed options, node-salesforce-style callbacks
// (its README, under `shared/seeds/`, passes `function (err, rets)` last), and nforce's per-call
// oauth object (its README there passes it after the data, where our options go, or last),
// which would otherwise be ignored and the job run as the connection's user.

import { type ArgumentRules, refuseCredentials, refuseOldArguments } from '@sf/core';
import { callbackRefused } from '@sf/core';
import { bulkError, SOURCE } from './errors.js';

/** Options renamed in 0.x (CONVENTIONS.md rule 1), old name to new. */
const RENAMED: Readonly<Record<string, string>> = {
  pollInterval: 'pollIntervalMs',
  maxPollInterval: 'maxPollIntervalMs',
  pollTimeout: 'pollTimeoutMs',
  extIdField: 'externalIdField',
  externalIdFieldName: 'externalIdField',
};

/** What to write instead of a callback to `call`. */
function useAwait(call: string): string {
  return `it returns an awaitable (const result = await ${call}(...)); errors reject it`;
}

/** Where a bulk call's arguments hold what, for {@link checkCall}. */
export interface CallArguments {
  /** Indexes of the records or CSV (and sources of records): only token keys are refused there. */
  data?: readonly number[];
  /** Indexes of arguments looked at by the call itself (an sObject): not searched for credentials. */
  opaque?: readonly number[];
  /** The index of a function the call takes (a mapper): a function there is no callback. */
  fn?: number;
  /** The index of the options, checked for renamed names. */
  options?: number;
  /**
   * What the call returns and how to use it, for a call that returns no awaitable (the
   * callback's refusal says it instead of `await`): `'a RecordStream. Write \`for await (...)\`'`.
   */
  returns?: string;
}

/**
 * @internal The entry check of every public bulk call, given its whole `arguments`, before
 * anything is sent: refuses per-call credentials in any argument (nforce's oauth object, after
 * the options or in their place) and a callback as the last argument (core's
 * `refuseOldArguments`), then renamed options.
 *
 * @example
 * // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared.
 * checkCall('load', arguments, { data: [3], options: 4 });
 */
export function checkCall(call: string, args: ArrayLike<unknown>, where: CallArguments = {}): void {
  const rules: ArgumentRules = { instead: where.returns ? `it returns ${where.returns}` : useAwait(call) };
  if (where.data) rules.data = where.data;
  if (where.opaque) rules.opaque = where.opaque;
  // A mapper last (no options given) is the call's own function, not a callback.
  const mapperLast = where.fn !== undefined && where.fn === args.length - 1;
  refuseOldArguments(SOURCE, call, mapperLast ? [...Array.from(args), undefined] : args, rules);
  if (where.options !== undefined) checkOptions(args[where.options] as object | undefined, call);
}

/**
 * @internal Throws INVALID_ARGUMENT when `options` is a callback, carries credentials (nforce's
 * oauth object, `accessToken`, `sessionId`...: core's `refuseCredentials`), or uses a name
 * that was renamed. An entry call checks all its arguments with {@link checkCall}; this serves
 * options merged or passed on inside the package.
 */
export function checkOptions(options: object | undefined, call: string): void {
  if (typeof options === 'function') rejectCallback(call);
  if (options === undefined || options === null) return;
  refuseCredentials(SOURCE, call, [options]);
  for (const name of Object.keys(options)) {
    const now = RENAMED[name];
    if (now !== undefined) {
      throw bulkError(`${call}: the option ${name} is now ${now}`, { code: 'INVALID_ARGUMENT' });
    }
  }
}

/** @internal Throws core's INVALID_ARGUMENT for a callback passed where this API returns an awaitable. */
export function rejectCallback(call: string): never {
  throw callbackRefused(SOURCE, call, useAwait(call));
}
