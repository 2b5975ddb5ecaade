// node-salesforce's bulk conveniences over an sObject or a query (its README, under
// `shared/seeds/`), offered here so that @sf/sobject and @sf/query never depend on @sf/bulk. They take any record source: a `find()` or `query()`
// result from @sf/query is one (it is a record stream), as is an array.

import type { Connection } from '@sf/core';
import { map, type RecordSource } from '@sf/record-stream';
import { checkCall } from './arguments.js';
import { type CallOptions, callOptions } from './call-options.js';
import { bulkError } from './errors.js';
import type { IngestOperation } from './ingest.js';
import type { BulkRecord, IngestInput } from './input.js';
import { type LoadOptions, load } from './load.js';
import type { LoadOperation } from './load-operation.js';

/**
 * node-salesforce's `sobject.insertBulk(records)`: a Bulk 2.0 insert. It returns an awaitable
 * LoadOperation, not results to a callback: a callback is INVALID_ARGUMENT.
 */
export function insertBulk(
  conn: Connection,
  object: string,
  records: IngestInput,
  options: LoadOptions = {},
): LoadOperation {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('insertBulk', arguments, { data: [2], options: 3 });
  return load(conn, object, 'insert', records, options);
}

/** What {@link bulkload} returns. */
export interface BulkLoader {
  /**
   * Loads `input`; a callback (node-salesforce's `execute(records, cb)`) is INVALID_ARGUMENT.
   * `options` (`{ signal, timeoutMs }`) override the ones given to `bulkload()` for this load.
   */
  execute(input: IngestInput, options?: CallOptions): LoadOperation;
}

/** node-salesforce's `sobject.bulkload(operation).execute(records)`: a Bulk 2.0 load. */
export function bulkload(
  conn: Connection,
  object: string,
  operation: IngestOperation,
  options: LoadOptions = {},
): BulkLoader {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('bulkload', arguments, { options: 3 });
  return {
    execute(input, call?: unknown) {
      // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
      checkCall('bulkload(operation).execute', arguments, { data: [0], options: 1 });
      return load(conn, object, operation, input, {
        ...options,
        ...callOptions(call as CallOptions | undefined),
      });
    },
  };
}

/**
 * node-salesforce's `find(...).destroy()`: deletes every record of `source` (anything with `Id`,
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
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('destroyBulk', arguments, { data: [2], options: 3 });
  let index = 0;
  const ids = map(source, (r) => ({ Id: idOf(r, ++index) }));
  return load(conn, object, options.hard ? 'hardDelete' : 'delete', ids, { ...options, columns: ['Id'] });
}

/**
 * node-salesforce's `find(...).update(mapper)`: maps each record of `source` (keep its `Id`) and
 * updates them through Bulk API 2.0, streamed.
 */
export function updateBulk<T>(
  conn: Connection,
  object: string,
  source: RecordSource<T>,
  mapper: (record: T) => BulkRecord,
  options: LoadOptions = {},
): LoadOperation {
  // biome-ignore lint/complexity/noArguments: JavaScript callers may pass more than declared (a callback, an oauth object).
  checkCall('updateBulk', arguments, { data: [2], fn: 3, options: 4 });
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
