// What only the Tooling API has. The rest of it is the ordinary functions on `conn.tooling`:
// `sobject(conn.tooling, 'ApexClass')`, `describe(conn.tooling, 'ApexTrigger')`,
// `composite(conn.tooling, ...)`, and @sf/query's `query(conn.tooling, soql)`.

import { refuseOldArguments } from '@sf/core';
import { assertConnection, type Connection, salesforceError } from '@sf/core';
import { callOptions, SOURCE } from './errors.js';
import type { CallOptions } from './types.js';

/** Salesforce's ExecuteAnonymousResult. */
export interface ExecuteAnonymousResult {
  /** The body compiled; when false, `compileProblem`, `line` and `column` say why and where. */
  compiled: boolean;
  /** The body compiled and ran without an uncaught exception. */
  success: boolean;
  compileProblem: string | null;
  exceptionMessage: string | null;
  exceptionStackTrace: string | null;
  /** Line of the compile problem (-1 when it compiled). */
  line: number;
  /** Column of the compile problem (-1 when it compiled). */
  column: number;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const position = (value: unknown): number => (typeof value === 'number' ? value : -1);

/**
 * Runs anonymous Apex (`GET tooling/executeAnonymous/?anonymousBody=`) as the connection's user.
 * A body that does not compile, or throws, resolves with `compiled` or `success` false and the
 * problem in the result, as Salesforce answers it (200); the call rejects only when the call
 * itself failed (auth, network, a refused request). Takes `conn` or `conn.tooling`.
 *
 * The body travels in the URL: Salesforce refuses URLs past about 16 KB (414), so keep long
 * scripts in an Apex class and call it.
 *
 * @example
 * const result = await executeAnonymous(conn, "System.debug('hello');");
 * if (!result.compiled) console.log(`line ${result.line}, column ${result.column}: ${result.compileProblem}`);
 * else if (!result.success) console.log(result.exceptionMessage, result.exceptionStackTrace);
 */
export async function executeAnonymous(
  conn: Connection,
  apex: string,
  options: CallOptions = {},
): Promise<ExecuteAnonymousResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'executeAnonymous()', arguments);
  assertConnection(conn, SOURCE);
  if (typeof apex !== 'string' || apex.trim() === '') {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'executeAnonymous needs the Apex to run, as a string');
  }
  const answer = await conn.tooling.request<unknown>({
    method: 'GET',
    path: 'executeAnonymous/',
    query: { anonymousBody: apex },
    ...callOptions(options),
  });
  const r = answer as Record<string, unknown> | null | undefined;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.compiled !== 'boolean' ||
    typeof r.success !== 'boolean'
  ) {
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      'executeAnonymous: the answer is not an ExecuteAnonymousResult (no compiled and success booleans)',
    );
  }
  return {
    compiled: r.compiled,
    success: r.success,
    compileProblem: text(r.compileProblem),
    exceptionMessage: text(r.exceptionMessage),
    exceptionStackTrace: text(r.exceptionStackTrace),
    line: position(r.line),
    column: position(r.column),
  };
}
