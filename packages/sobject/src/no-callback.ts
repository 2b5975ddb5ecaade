// node-salesforce and nforce take a callback as the last argument of every call
// (`conn.sobject('Account').create({...}, function (err, ret) {...})` in node-salesforce's README,
// `org.insert(acc, oauth, function (err, resp) {...})` in nforce's, both in `shared/seeds/`).
// Here a callback would be taken for the options, or dropped as an extra argument, and never be
// called: the program would wait forever, silently. nforce's `oauth` (the user's token response)
// would be ignored the same way, and the call run as the connection's user. So both are refused
// (by core's `refuseOldArguments`), naming what to write instead.
import { type ArgumentRules, refuseOldArguments, salesforceError } from '@sf/core';
import { SOURCE } from './errors.js';

/**
 * The same methods, each refusing a callback as its last argument and per-call credentials
 * (`rules[name]` says which arguments are records or bodies): the ones named in `sync` throw,
 * the others (which return promises) reject, before anything is sent.
 */
export function refuseCallbacks<A extends object>(
  api: A,
  sync: readonly string[] = [],
  rules: Readonly<Record<string, ArgumentRules>> = {},
): A {
  const out = api as Record<string, unknown>;
  for (const [key, value] of Object.entries(api)) {
    if (typeof value !== 'function') continue;
    const method = value as (...args: unknown[]) => unknown;
    const name = `${key}()`;
    const methodRules = rules[key] ?? {};
    out[key] = sync.includes(key)
      ? (...args: unknown[]) => {
          refuseOldArguments(SOURCE, name, args, methodRules);
          return method(...args);
        }
      : (...args: unknown[]) => {
          try {
            refuseOldArguments(SOURCE, name, args, methodRules);
          } catch (error) {
            return Promise.reject(error);
          }
          return method(...args);
        };
  }
  return api;
}

// node-salesforce's SObject had Bulk methods (`conn.sobject('Account').insertBulk(records, cb)`,
// `.bulkload('insert').execute(records, cb)`, its README in `shared/seeds/`); here they live in
// @sf/bulk as functions. Calling one on an SObject says where, instead of "is not a function".
const BULK_METHODS: Readonly<Record<string, string>> = {
  insertBulk: "insertBulk(conn, type, records) from '@sf/bulk'",
  updateBulk: "updateBulk(conn, type, source, mapper) from '@sf/bulk'",
  destroyBulk: "destroyBulk(conn, type, source) from '@sf/bulk'",
  bulkload:
    "bulkload(conn, type, operation).execute(input), or load(conn, type, operation, input), from '@sf/bulk'",
};

/** Adds the old Bulk method names to `api`, hidden (not enumerable), each throwing INVALID_ARGUMENT. */
export function withBulkPointers<A extends object>(api: A): A {
  for (const [name, instead] of Object.entries(BULK_METHODS)) {
    // Writable and configurable: @sf/bulk's withBulk(sobject) puts the real ones in their place.
    Object.defineProperty(api, name, {
      enumerable: false,
      writable: true,
      configurable: true,
      value: () => {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          `an SObject has no ${name}() (node-salesforce's Bulk method): use ${instead}`,
        );
      },
    });
  }
  return api;
}
