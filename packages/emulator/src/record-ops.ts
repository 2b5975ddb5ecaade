// Record operations shared by sObject Collections, composite and upsert: one write through the
// store, its failure turned into the per-record error shape those APIs answer with.

import { HttpError } from './http-util.js';
import { normalizeId } from './ids.js';
import { StoreError } from './store-error.js';
import type { OrgStore, WriteOptions } from './store.js';

/** An error inside a per-record result (Collections and composite name the code `statusCode`). */
export interface RecordResultError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One entry of a Collections answer, in input order. */
export interface RecordResult {
  id: string | null;
  success: boolean;
  errors: RecordResultError[];
  created?: boolean;
}

export const ROLLED_BACK: RecordResultError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/** The per-record error for a failure; anything that is not Salesforce's own failure is rethrown. */
export function recordError(error: unknown): RecordResultError {
  if (error instanceof StoreError) {
    return { statusCode: error.errorCode, message: error.message, fields: error.fields };
  }
  if (error instanceof HttpError && Array.isArray(error.body) && error.body.length > 0) {
    const first = error.body[0] as { errorCode?: string; message?: string; fields?: string[] };
    return {
      statusCode: first.errorCode ?? 'UNKNOWN_EXCEPTION',
      message: first.message ?? '',
      fields: first.fields ?? [],
    };
  }
  throw error;
}

/** Looks a key up case-insensitively, as Salesforce matches field names. */
export function fieldValue(record: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function withoutField(record: Record<string, unknown>, name: string): Record<string, unknown> {
  const lower = name.toLowerCase();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() !== lower) out[key] = value;
  return out;
}

export type UpsertOutcome =
  | { kind: 'created' | 'updated'; id: string }
  | { kind: 'multiple'; ids: string[]; field: string };

/**
 * Upsert by external id (or `Id`): no match inserts, one match updates, several matches are
 * reported (REST answers 300, Collections `DUPLICATE_EXTERNAL_ID`). Matching ignores case, as
 * for external ids that are not declared case-sensitive.
 */
export function upsertByExternalId(
  store: OrgStore,
  objectName: string,
  fieldName: string,
  value: unknown,
  body: Record<string, unknown>,
  options: WriteOptions,
): UpsertOutcome {
  const d = store.describe(objectName);
  if (!d) throw new StoreError('NOT_FOUND', 'The requested resource does not exist', { status: 404 });
  const f = store.field(d.name, fieldName);
  if (!f || !(f.externalId || f.name === 'Id')) {
    throw new StoreError(
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      { status: 404 },
    );
  }
  const fields = withoutField(withoutField(body, f.name), 'Id');
  if (f.name === 'Id') {
    const id = typeof value === 'string' ? normalizeId(value) : undefined;
    if (id && store.get(d.name, id)) {
      store.update(d.name, id, fields, options);
      return { kind: 'updated', id };
    }
    if (value === null || value === undefined || value === '') {
      return { kind: 'created', id: store.insert(d.name, fields, options) };
    }
    throw new StoreError('NOT_FOUND', 'The requested resource does not exist', { status: 404 });
  }
  if (value === null || value === undefined || value === '') {
    throw new StoreError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${f.name}]`, {
      fields: [f.name],
    });
  }
  const wanted = String(value).toLowerCase();
  const ids: string[] = [];
  for (const row of store.rows(d.name)) {
    if (row[f.name] != null && String(row[f.name]).toLowerCase() === wanted) ids.push(row.Id as string);
  }
  if (ids.length > 1) return { kind: 'multiple', ids, field: f.name };
  const [id] = ids;
  if (id) {
    store.update(d.name, id, fields, options);
    return { kind: 'updated', id };
  }
  return { kind: 'created', id: store.insert(d.name, { ...fields, [f.name]: value }, options) };
}

/**
 * Runs one operation per record inside a store transaction. With `allOrNone`, one failure
 * rolls every record back and the others report `ALL_OR_NONE_OPERATION_ROLLED_BACK`.
 */
export function runRecordOps(
  store: OrgStore,
  ops: readonly (() => Omit<RecordResult, 'errors' | 'success'>)[],
  allOrNone: boolean,
): RecordResult[] {
  return store.transaction((tx) => {
    const results: RecordResult[] = ops.map((op) => {
      try {
        return { ...op(), success: true, errors: [] };
      } catch (error) {
        return { id: null, success: false, errors: [recordError(error)] };
      }
    });
    if (!allOrNone || results.every((r) => r.success)) return results;
    tx.rollback();
    return results.map((r) => {
      if (!r.success) return r;
      const { created: _created, ...rest } = r;
      return { ...rest, id: null, success: false, errors: [ROLLED_BACK] };
    });
  });
}
