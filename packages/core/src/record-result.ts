// The toolkit's one per-record result and one record type (CONVENTIONS.md rules 3 and 6),
// defined here once: @sf/sobject's SaveResult, @sf/bulk's RecordResult, @sf/streaming's
// PublishResult and @sf/query's SObjectRecord are these, re-exported under their packages' names.

/**
 * One error of a record, as Salesforce's REST error entries give it (Bulk CSV error text is
 * parsed into these).
 */
export interface RecordError {
  /** Salesforce's code: `REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`... */
  errorCode: string;
  message: string;
  fields: string[];
}

/**
 * The outcome of one record of an API that answers per record (sObject Collections, composite,
 * Bulk API 2.0 and 1.0, platform event publishing).
 *
 * @example
 * for (const r of results) if (!r.success) console.log(r.index, r.errors.map((e) => `${e.errorCode}: ${e.message}`));
 */
export interface RecordResult {
  /** The record's id; null when it failed and had none. */
  id: string | null;
  success: boolean;
  /** Whether the record was inserted (an upsert may match and update instead). */
  created?: boolean;
  errors: RecordError[];
  /** The record's position in the input (from 0), where the API keeps or lets us recover it. */
  index?: number;
}

/** A record as the REST API returns it, when you do not give a type. */
export type SObjectRecord = Record<string, unknown> & { attributes?: { type: string; url?: string } };
