import type { Connection } from './connection.js';
import { salesforceError } from './errors.js';

/**
 * Checks that a feature function's first argument is a connection (CONVENTIONS.md rule 8: one
 * copy of this check), so `query(soql)` or `sobject('Account')` from JavaScript fails at once
 * with `INVALID_ARGUMENT`, prefixed with the calling package, instead of a `TypeError` later.
 *
 * @example
 * export function query(conn: Connection, soql: string) {
 *   assertConnection(conn, '@sf/query');
 *   // ...
 * }
 */
export function assertConnection(value: unknown, source: string): asserts value is Connection {
  if (value === null || typeof value !== 'object' || typeof (value as Connection).request !== 'function') {
    throw salesforceError(
      source,
      'INVALID_ARGUMENT',
      'the first argument must be a Connection from @sf/core (createConnection(...))',
    );
  }
}
