// The REST methods over a connection that may change (a login swaps it): each call asks for
// the connection now and hands every argument on, so the packages' own checks (a callback
// where the old libraries took one is refused, naming the promise form; so is nforce's per-call
// oauth object) still see them. The few that do not hand every argument on check them here.

import { type SwitchOptions, withBulk } from '@sf/bulk';
import { type Connection, refuseOldArguments } from '@sf/core';
import { explain, find, query, queryAll, queryMore, search } from '@sf/query';
import { describe, describeGlobal, executeAnonymous, sobject } from '@sf/sobject';
import type { RestMethods } from './client-types.js';

/** A parameter list without its first entry (the connection). */
type Tail<A extends unknown[]> = A extends [unknown, ...infer R] ? R : never;

/**
 * What to write instead of a callback on a client method that returns `what` (not a promise),
 * worded as @sf/streaming words its refusal of a listener: `returns('a Subscription',
 * "sf.subscribe(channel).on('message', fn)")`.
 */
export function returns(what: string, usage: string): string {
  return `it returns ${what}. Write \`${usage}\``;
}

/**
 * Throws core's INVALID_ARGUMENT for per-call credentials or a callback among `args`, for a
 * client method that does not hand them all on to a package that checks them; `instead` says
 * what to write instead of the callback (default: core's "it returns a promise").
 */
export function checkArguments(call: string, args: readonly unknown[], instead?: string): void {
  refuseOldArguments('@sf/client', call, args, instead === undefined ? {} : { instead });
}

/** `fn` with its connection argument taken from `conn()` at each call. */
export function bound<A extends unknown[], R>(
  conn: () => Connection,
  fn: (connection: Connection, ...args: A) => R,
): (...args: A) => R {
  return (...args) => fn(conn(), ...args);
}

/**
 * The methods of {@link RestMethods} over `conn()`, the data root's or the Tooling root's
 * (`root` is how the user reaches them, for the refusals: `sf` or `sf.tooling`).
 */
export function restMethods(conn: () => Connection, bulkDefaults: SwitchOptions, root = 'sf'): RestMethods {
  const useSObject = returns('the sObject (no request yet)', `await ${root}.sobject(type).create(record)`);
  return {
    get connection() {
      return conn();
    },
    // The generic ones are spelled out: a record type given to the method reaches the function.
    query: <T>(...args: Tail<Parameters<typeof query>>) => query<T>(conn(), ...args),
    queryAll: <T>(...args: Tail<Parameters<typeof queryAll>>) => queryAll<T>(conn(), ...args),
    queryMore: <T>(...args: Tail<Parameters<typeof queryMore>>) => queryMore<T>(conn(), ...args),
    find: <T>(...args: Tail<Parameters<typeof find>>) => find<T>(conn(), ...args),
    search: <T>(...args: Tail<Parameters<typeof search>>) => search<T>(conn(), ...args),
    explain: bound(conn, explain),
    sobject: <T extends object>(type: string, ...rest: unknown[]) => {
      checkArguments('sobject()', rest, useSObject);
      return withBulk(sobject<T>(conn(), type), bulkDefaults);
    },
    describe: bound(conn, describe),
    describeGlobal: bound(conn, describeGlobal),
    executeAnonymous: bound(conn, executeAnonymous),
    request: (options, ...rest: unknown[]) =>
      checked('request()', [options, ...rest], () => conn().request(options)),
    limits: (options, ...rest: unknown[]) =>
      checked('limits()', [options, ...rest], () => conn().fetchLimits(options)),
    identity: (options, ...rest: unknown[]) =>
      checked('identity()', [options, ...rest], () => conn().identity(options)),
  };
}

/** `run()`, or a rejection when {@link checkArguments} refuses `args`. */
export function checked<R>(
  call: string,
  args: readonly unknown[],
  run: () => Promise<R>,
  instead?: string,
): Promise<R> {
  try {
    checkArguments(call, args, instead);
  } catch (error) {
    return Promise.reject(error);
  }
  return run();
}
