// node-salesforce, nforce and jsforce (node-salesforce's and nforce's READMEs are in
// `shared/seeds/`) take a callback as the last argument of every call
// (`conn.query(soql, function (err, res) {...})`). Here those calls return promises (or
// awaitables); a callback passed the old way would be taken for the options, or dropped as an
// extra argument, and never be called: the program would wait forever, silently. Every package
// refuses it the same way, with this one helper.

import { type SalesforceError, salesforceError } from './errors.js';

/** What to write instead of a callback on a call that returns a promise. */
export const USE_AWAIT = 'it returns a promise; use `await` or `.then()`';

/** What to write instead of a callback, as the promise form to write: `promiseForm('await sub.ready()')`. */
export function promiseForm(usage: string): string {
  return `it returns a promise. Write \`${usage}\``;
}

/**
 * The INVALID_ARGUMENT error for a callback given to `call` (`'query()'`, `'batch.execute'`),
 * from the package `source` (`'@sf/query'`); `instead` says what to write (default
 * {@link USE_AWAIT}).
 */
export function callbackRefused(source: string, call: string, instead: string = USE_AWAIT): SalesforceError {
  return salesforceError(
    source,
    'INVALID_ARGUMENT',
    `${call} takes no callback: ${instead} (the callback style of node-salesforce, nforce and jsforce is gone)`,
  );
}

/**
 * Throws {@link callbackRefused}'s INVALID_ARGUMENT when the last of `args` (a call's
 * `arguments`) is a function, before anything is sent.
 *
 * @example
 * export function describe(conn: Connection, type: string, options: CallOptions = {}) {
 *   refuseCallback('@sf/sobject', 'describe()', arguments);
 *   ...
 * }
 */
export function refuseCallback(
  source: string,
  call: string,
  args: ArrayLike<unknown>,
  instead?: string,
): void {
  if (args.length > 0 && typeof args[args.length - 1] === 'function')
    throw callbackRefused(source, call, instead);
}
