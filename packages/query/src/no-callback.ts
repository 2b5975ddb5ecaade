// node-salesforce and jsforce take a callback as the last argument of every call
// (`conn.query(soql, function (err, result) {...})`, `.execute(function (err, result) {...})`,
// see node-salesforce's README in `shared/seeds/`). Here a callback would be taken for the
// options and never be called: the program would wait forever, silently. So a function where a
// callback used to go is refused, naming the promise to use instead.
import { salesforceError } from '@sf/core';
import type { SalesforceError } from '@sf/core';
import { SOURCE } from './source.js';

/**
 * Throws INVALID_ARGUMENT when the last of `args` is a function (an old library's callback).
 * `call` names the call in the message, `instead` what to write.
 */
export function rejectCallback(args: ArrayLike<unknown>, call: string, instead: string): void {
  if (args.length > 0 && typeof args[args.length - 1] === 'function') throw callbackError(call, instead);
}

/** The error for a callback given to a call that returns a promise or a Query. */
export function callbackError(call: string, instead: string): SalesforceError {
  return salesforceError(
    SOURCE,
    'INVALID_ARGUMENT',
    `${call} takes no callback (the style of node-salesforce and jsforce): ${instead}`,
  );
}

/** What to write instead of a callback on a call that returns a Query. */
export const USE_QUERY =
  'it returns a Query; use `await` (or `.then()`), `for await`, or events with `.run()`';

/** What to write instead of a callback on a call that returns a promise. */
export const USE_PROMISE = 'it returns a promise; use `await` or `.then()`';
