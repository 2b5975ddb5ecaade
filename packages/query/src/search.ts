import { refuseOldArguments, USE_AWAIT } from '@sf/core';
import { salesforceError } from '@sf/core';
import type { CallOptions } from './call-options.js';
import type { Connection } from '@sf/core';
import type { SObjectRecord } from './query-types.js';
import { SOURCE } from './source.js';

/** What `GET /search` answers. */
export interface SearchResult<T = SObjectRecord> {
  searchRecords: T[];
  [key: string]: unknown;
}

/** One plan of `GET /query?explain=`. */
export interface QueryPlan {
  cardinality: number;
  fields: string[];
  leadingOperationType: string;
  notes: Array<{ description: string; fields: string[]; tableEnumOrId: string }>;
  relativeCost: number;
  sobjectCardinality: number;
  sobjectType: string;
}

/** What `GET /query?explain=` answers. */
export interface ExplainResult {
  plans: QueryPlan[];
  [key: string]: unknown;
}

function nonEmpty(text: unknown, what: string): string {
  if (typeof text !== 'string' || text.trim() === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} must be a non-empty string`);
  return text;
}

/**
 * Runs a SOSL search (`GET /search?q=`). Older API versions answer with a bare array; it is
 * returned as `{ searchRecords }` either way.
 *
 * @example
 * const { searchRecords } = await search(conn, 'FIND {Acme} IN NAME FIELDS RETURNING Account(Id, Name)');
 */
export async function search<T = SObjectRecord>(
  conn: Connection,
  sosl: string,
  options: CallOptions = {},
): Promise<SearchResult<T>> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'search()', arguments, { instead: USE_AWAIT });
  const result = await conn.request<SearchResult<T> | T[]>({
    method: 'GET',
    path: 'search',
    query: { q: nonEmpty(sosl, 'SOSL') },
    ...options,
    source: SOURCE,
  });
  return Array.isArray(result) ? { searchRecords: result } : result;
}

/**
 * Asks Salesforce how it would run a query (`GET /query?explain=`): the plans, cheapest first.
 *
 * @example
 * const { plans } = await explain(conn, "SELECT Id FROM Account WHERE Name = 'Acme'");
 * console.log(plans[0]?.leadingOperationType); // 'TableScan' or 'Index'
 */
export async function explain(
  conn: Connection,
  soql: string,
  options: CallOptions = {},
): Promise<ExplainResult> {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  refuseOldArguments(SOURCE, 'explain()', arguments, { instead: USE_AWAIT });
  return conn.request<ExplainResult>({
    method: 'GET',
    path: 'query',
    query: { explain: nonEmpty(soql, 'SOQL') },
    ...options,
    source: SOURCE,
  });
}
