// `{ signal, timeoutMs }`, as every call over the network takes last: @sf/core's (CONVENTIONS.md
// rule 6), re-exported so that a @sf/sobject user need not import core for it.
export type { CallOptions } from '@sf/core';
import type { CallOptions, RecordResult } from '@sf/core';

// One definition of a record, of a record's error and of a per-record result for the toolkit:
// @sf/core's (CONVENTIONS.md rules 3 and 6), re-exported here.
export type { RecordError, SObjectRecord } from '@sf/core';

/**
 * The outcome for one record of `create`, `update`, `upsert` or `destroy`: core's
 * `RecordResult` (without `index`: arrays of records get one result per input record, in input
 * order). `created` is set by upsert: whether the record was inserted or matched and updated.
 */
export type SaveResult = Omit<RecordResult, 'index'>;

/**
 * What a one-record `create`, `update`, `upsert` or `destroy` resolves with. A single record's
 * failure rejects with a `SalesforceError`, so a result that arrives is a success and has its id:
 * `const { id } = await Account.create({ Name: 'Acme' })` gives a `string`, no `id!` needed.
 */
export interface SaveSuccess extends SaveResult {
  id: string;
  success: true;
}

/** Options for writes of many records through sObject Collections. */
export interface CollectionOptions extends CallOptions {
  /**
   * Roll back every record of a request when one fails. Atomic per request of 200 records:
   * with more records, chunks are sent one after another and those after a failed chunk are
   * not sent (they report `PROCESSING_HALTED`); chunks already committed stay committed.
   */
  allOrNone?: boolean;
  /** Chunks in flight at once when `allOrNone` is false: 1 by default, at most 10. */
  parallel?: number;
  /** Records per request: 200 (Salesforce's maximum) by default. */
  chunkSize?: number;
}
