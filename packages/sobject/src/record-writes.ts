// How records become request bodies, and results become saved records: the fields a create or
// an update sends (a tracked record's changes only), ids taken from records, one-record results
// checked, tracked records marked saved, arrays sent through sObject Collections.
import { salesforceError } from '@sf/core';
import type { Connection } from '@sf/core';
import { inChunks, type WireSaveResult } from './collections.js';
import { callOptions, SOURCE } from './errors.js';
import { checkRecordId } from './path-segments.js';
import { type TrackedRecord, trackingOf } from './tracked-record.js';
import type { CollectionOptions, SaveResult, SaveSuccess } from './types.js';

/** A record given where an id is expected: its `Id` is used. */
export type RecordRef = { Id?: string | undefined } | Record<string, unknown>;

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `${what} must be an object`);
  return value as Record<string, unknown>;
}

/** The fields to send on create: every field (a tracked record's current values), without attributes or Id. */
export function createFields(record: unknown): Record<string, unknown> {
  const { attributes: _a, Id: _id, ...fields } = asRecord(record, 'a record');
  return fields;
}

/** The fields to send on update: only changes for a tracked record; every field otherwise. */
export function updateFields(record: unknown): Record<string, unknown> {
  const r = asRecord(record, 'a record');
  if (trackingOf(r)) {
    const {
      attributes: _a,
      Id: _id,
      ...changes
    } = (r as unknown as TrackedRecord).changes() as Record<string, unknown>;
    return changes;
  }
  return createFields(r);
}

export function idOfRecord(record: unknown): string {
  const id = asRecord(record, 'a record').Id;
  if (typeof id !== 'string' || id === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'update needs the record Id');
  return checkRecordId(id, 'the record Id');
}

/** Record ids, checked before anything is sent: a bad one rejects the whole call. */
export function checkIds(ids: readonly string[]): void {
  for (const id of ids) checkRecordId(id);
}

export function toId(ref: string | RecordRef): string {
  return typeof ref === 'string' ? ref : idOfRecord(ref);
}

/** A one-record result that arrived: a success with an id (a failure was a rejection). */
export function savedOne(result: SaveResult, what: string): SaveSuccess {
  if (!result.success || typeof result.id !== 'string' || result.id === '') {
    throw salesforceError(SOURCE, 'MALFORMED_RESPONSE', `${what} was answered without the record's id`);
  }
  return result as SaveSuccess;
}

export const OK = (id: string): SaveSuccess => ({ id, success: true, errors: [] });

/** Marks the tracked records among `records` saved, where their result succeeded. */
export function markSaved(records: readonly unknown[], results: readonly SaveResult[]): void {
  records.forEach((r, i) => {
    const result = results[i];
    if (result?.success && trackingOf(r)) (r as TrackedRecord).markSaved(result.id ?? undefined);
  });
}

/** Sends one body a record through sObject Collections, a chunk a request, then marks the saved. */
export async function saveMany<B>(
  conn: Connection,
  records: readonly unknown[],
  bodies: readonly B[],
  request: { method: 'POST' | 'PATCH'; path: string },
  options: CollectionOptions,
  idOf: (body: B) => string | null,
): Promise<SaveResult[]> {
  const results = await inChunks(
    bodies,
    options,
    (chunk) =>
      conn.request<WireSaveResult[]>({
        ...request,
        body: { allOrNone: options.allOrNone === true, records: chunk },
        ...callOptions(options),
      }),
    idOf,
  );
  markSaved(records, results);
  return results;
}
