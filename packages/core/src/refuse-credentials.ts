// nforce (its README is in `shared/seeds/`) passes a user's OAuth object, the token response
// `{ access_token, instance_url, id, issued_at, signature, refresh_token? }`, as an extra
// argument in multi-user mode: `org.insert(acc, oauth, cb)`, `org.query(q, oauth)`,
// `org.query({ query: q, oauth })`. Here that argument would land in the options slot, or be
// dropped as an extra one, and the call would run with the CONNECTION's credentials: as another
// user, silently. So every call that takes a connection refuses it, naming only the keys (never
// a value: they are tokens), and says what to write instead.

import type { SalesforceError } from './errors.js';
import { salesforceError } from './errors.js';
import { callbackRefused, USE_AWAIT } from './refuse-callback.js';

/**
 * Keys that mark a token response (nforce's oauth object) or nforce's object form
 * (`{ query, oauth }`): refused in every argument, records included, since no Salesforce field
 * is named like this (standard fields are PascalCase, custom ones end in `__c`).
 */
export const TOKEN_RESPONSE_KEYS: readonly string[] = [
  'access_token',
  'refresh_token',
  'instance_url',
  'oauth',
];

/**
 * Credential keys in our own spelling (`Credentials`, jsforce's connection options): refused in
 * an options argument only, since a record or a request body is the caller's data.
 */
export const CREDENTIAL_OPTION_KEYS: readonly string[] = ['accessToken', 'sessionId', 'refreshToken'];

/** What to write instead of a per-call token: a connection for that user. */
export const USE_WITH_AUTH =
  'call it with a connection for that user: `conn.withAuth({ accessToken, instanceUrl })` from @sf/core, ' +
  "or `users.connectionFor(userKey)` from @sf/auth's createMultiUser";

/**
 * The INVALID_ARGUMENT error for credentials given to `call` from the package `source`; names
 * the `keys` found, never their values.
 */
export function credentialsRefused(source: string, call: string, keys: readonly string[]): SalesforceError {
  return salesforceError(
    source,
    'INVALID_ARGUMENT',
    `${call} takes no credentials (an argument has ${keys.join(', ')}): it would run as the connection's ` +
      `user, not as the one they belong to. Instead, ${USE_WITH_AUTH} (nforce's per-call oauth argument is gone)`,
  );
}

/** Where a call's arguments hold the caller's data rather than options. */
export interface ArgumentRules {
  /**
   * Indexes (into `args`) of the arguments that hold data: records, field values, conditions,
   * bodies. There only {@link TOKEN_RESPONSE_KEYS} are refused. Every other plain-object
   * argument is taken for options, where {@link CREDENTIAL_OPTION_KEYS} are refused too.
   */
  data?: readonly number[];
  /**
   * Indexes of arguments sent as they are, whose keys are the caller's business (an Apex REST
   * body): not looked at.
   */
  opaque?: readonly number[];
  /** What to write instead of a callback (default {@link USE_AWAIT}). */
  instead?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A Connection (the argument that legitimately carries credentials) is not checked. */
function isConnection(value: unknown): boolean {
  return typeof (value as { request?: unknown }).request === 'function';
}

/**
 * Throws {@link credentialsRefused}'s INVALID_ARGUMENT when an argument in `args` (a call's
 * `arguments`, the connection included or not) is a plain object carrying credentials, before
 * anything is sent. Only own top-level keys of plain objects are looked at: arrays, strings,
 * buffers, streams, signals and the connection itself pass, and nothing nested is searched (a
 * composite body or an Apex REST payload is the caller's).
 *
 * - In every argument: {@link TOKEN_RESPONSE_KEYS} (`access_token`, `refresh_token`,
 *   `instance_url`, `oauth`).
 * - In an options argument (any plain object not listed in `rules.data`) also
 *   {@link CREDENTIAL_OPTION_KEYS} (`accessToken`, `sessionId`, `refreshToken`).
 *
 * @example
 * refuseCredentials('@sf/sobject', 'create()', [record, options], { data: [0] });
 */
export function refuseCredentials(
  source: string,
  call: string,
  args: ArrayLike<unknown>,
  rules: ArgumentRules = {},
): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!isPlainObject(arg) || isConnection(arg) || rules.opaque?.includes(i)) continue;
    const refused = rules.data?.includes(i)
      ? TOKEN_RESPONSE_KEYS
      : [...TOKEN_RESPONSE_KEYS, ...CREDENTIAL_OPTION_KEYS];
    const found = Object.keys(arg).filter((key) => refused.includes(key));
    if (found.length > 0) throw credentialsRefused(source, call, found);
  }
}

/**
 * The one entry check of a call that takes a connection: refuses per-call credentials
 * ({@link refuseCredentials}), then a callback as the last argument (as
 * {@link refuseCallback} does), both habits of nforce and node-salesforce that would
 * otherwise be ignored silently. Throws; a promise-returning call site turns it into a
 * rejection if it must.
 *
 * @example
 * export function query(conn: Connection, soql: string, options?: QueryOptions) {
 *   refuseOldArguments('@sf/query', 'query()', arguments, { instead: USE_QUERY });
 *   ...
 * }
 */
export function refuseOldArguments(
  source: string,
  call: string,
  args: ArrayLike<unknown>,
  rules: ArgumentRules = {},
): void {
  refuseCredentials(source, call, args, rules);
  if (args.length > 0 && typeof args[args.length - 1] === 'function')
    throw callbackRefused(source, call, rules.instead ?? USE_AWAIT);
}
