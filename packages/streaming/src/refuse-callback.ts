// node-salesforce and nforce (their READMEs in shared/seeds/) take a callback as the last
// argument of every call; here those calls return promises. A callback passed anyway would never
// be called, so it is refused at once, naming the promise form.

import { salesforceError } from '@sf/core';

/** Throws INVALID_ARGUMENT when any of `args` is a function: `name()` returns a promise. */
export function refuseCallback(name: string, usage: string, args: ArrayLike<unknown>): void {
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] === 'function') {
      throw salesforceError(
        '@sf/streaming',
        'INVALID_ARGUMENT',
        `${name}() takes no callback: it returns a promise. Write \`${usage}\` (the callback style of node-salesforce and nforce is gone)`,
      );
    }
  }
}
