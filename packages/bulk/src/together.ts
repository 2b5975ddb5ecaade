// The seed's conveniences over an sObject or a query, offered here so that @sf/sobject and
// @sf/query never depend on @sf/bulk. They take any record source: a `find()` or `query()`
// result from @sf/query is one (it is a record stream), as is an array.

import type { Connection } from '@sf/core';
import { bulkError } from './errors.js';
import { map, type RecordSource } from '@sf/record-stream';
import type { BulkRecord, IngestInput } from './input.js';
import { type IngestOperation, type LoadOperation, type LoadOptions, load } from './ingest.js';

/** `sobject.insertBulk(records)` of the seed: a Bulk 2.0 insert. */
export function insertBulk(
  conn: Connection,
  object: string,
  records: IngestInput,
  options: LoadOptions = {},
): LoadOperation {
  return load(conn, object, 'insert', records, options);
}

/** `sobject.bulkload(operation).execute(records)` of the seed. */
export function bulkload(
  conn: Connection,
  object: string,
  operation: IngestOperation,
  options: LoadOptions = {},
): { execute(input: IngestInput): LoadOperation } {
  return { execute: (input) => load(conn, object, operation, input, options) };
}

/**
 * `find(...).destroy()` of the seed: deletes every record of `source` (anything with `Id`,
 * such as a query's record stream) through Bulk API 2.0, streamed.
 *
 * @example
 * await destroyBulk(conn, 'Account', find(conn, 'Account', { CreatedDate: { $lt: SoqlDate.LAST_YEAR } }, ['Id']));
 */
export function destroyBulk(
  conn: Connection,
  object: string,
  source: RecordSource<object>,
  options: LoadOptions & { hard?: boolean } = {},
): LoadOperation {
  let index = 0;
  const ids = map(source, (r) => ({ Id: idOf(r, ++index) }));
  return load(conn, object, options.hard ? 'hardDelete' : 'delete', ids, { ...options, columns: ['Id'] });
}

/**
 * `find(...).update(mapper)` of the seed: maps each record of `source` (keep its `Id`) and
 * updates them through Bulk API 2.0, streamed.
 */
export function updateBulk<T>(
  conn: Connection,
  object: string,
  source: RecordSource<T>,
  mapper: (record: T) => BulkRecord,
  options: LoadOptions = {},
): LoadOperation {
  return load(conn, object, 'update', map(source, mapper), options);
}

/** @internal The record's `Id`, or an INVALID_ARGUMENT error naming record `index` (1-based). */
export function idOf(record: unknown, index: number): string {
  const id = typeof record === 'object' && record !== null ? (record as { Id?: unknown }).Id : undefined;
  if (typeof id === 'string' && id !== '') return id;
  throw bulkError(`record ${index} has no Id (select Id in the query, keep it in what the mapper returns)`, {
    code: 'INVALID_ARGUMENT',
  });
}
