// `{ signal, timeoutMs }`, as every call over the network takes last: @sf/core's (CONVENTIONS.md
// rule 6), re-exported so that a @sf/sobject user need not import core for it.
export type { CallOptions } from '@sf/core';
import type { CallOptions } from '@sf/core';

// One definition of a record for the toolkit's REST packages: @sf/query's (CONVENTIONS.md rule 6
// wants it in @sf/core eventually; until then sobject re-exports query's instead of a copy).
export type { SObjectRecord } from '@sf/query';

/** One error of a failed record operation. */
export interface RecordError {
  /** Salesforce's code: `REQUIRED_FIELD_MISSING`, `DUPLICATE_EXTERNAL_ID`... */
  errorCode: string;
  message: string;
  fields: string[];
}

/**
 * The outcome for one record of `create`, `update`, `upsert` or `destroy`. Arrays of records
 * get one result per input record, in input order.
 */
export interface SaveResult {
  /** The record id; null when the record failed and had none. */
  id: string | null;
  success: boolean;
  errors: RecordError[];
  /** Upsert only: whether the record was inserted (true) or matched and updated (false). */
  created?: boolean;
}

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
