// Upsert by external id: one record through `PATCH /sobjects/{type}/{field}/{value}` (with the
// matches named when several records hold the value), many through sObject Collections.
import { type Connection, isSalesforceError, type SalesforceError, salesforceError } from '@sf/core';
import { query, quoteSoqlString } from '@sf/query';
import { toSaveResult, type WireSaveResult } from './collections.js';
import { callOptions, SOURCE } from './errors.js';
import { checkApiName, pathSegment } from './path-segments.js';
import { asRecord, createFields, markSaved, saveMany, savedOne, updateFields } from './record-writes.js';
import { type TrackedRecord, trackingOf } from './tracked-record.js';
import type { CallOptions, CollectionOptions, SaveResult, SaveSuccess } from './types.js';

/** The connection and sObject type an upsert writes to. */
export interface UpsertTarget {
  conn: Connection;
  type: string;
}

function externalIdOf(record: unknown, field: string | undefined): { field: string; value: unknown } {
  const r = asRecord(record, 'a record');
  const tracked = trackingOf(r) ? (r as unknown as TrackedRecord).getExternalId() : undefined;
  const name = field ?? tracked?.field;
  if (!name)
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'upsert needs the external id field (or a tracked record with setExternalId)',
    );
  const key = Object.keys(r).find((k) => k.toLowerCase() === name.toLowerCase());
  const value =
    tracked && tracked.field.toLowerCase() === name.toLowerCase() ? tracked.value : key ? r[key] : undefined;
  return { field: name, value };
}

/** The matches of a 300 answer: the record URLs in its body, or a query if it named none. */
async function multipleMatches(
  { conn, type }: UpsertTarget,
  error: SalesforceError,
  field: string,
  value: unknown,
  options: CallOptions,
): Promise<string[]> {
  const urls = Array.isArray(error.body) ? error.body.filter((u): u is string => typeof u === 'string') : [];
  const ids = urls.flatMap((u) => /\/sobjects\/[A-Za-z0-9_]+\/([A-Za-z0-9]{15,18})$/.exec(u)?.[1] ?? []);
  if (ids.length > 0) return ids;
  try {
    const soql = `SELECT Id FROM ${type} WHERE ${field} = ${quoteSoqlString(String(value))}`;
    const found = await query<{ Id: string }>(conn, soql, { autoFetch: true, ...callOptions(options) });
    return found.records.map((r) => r.Id);
  } catch {
    return ids;
  }
}

async function idByExternalId(
  { conn, type }: UpsertTarget,
  path: string,
  options: CallOptions,
): Promise<string> {
  const found = await conn.request<{ Id?: unknown }>({
    path,
    query: { fields: 'Id' },
    ...callOptions(options),
  });
  if (typeof found?.Id !== 'string') {
    throw salesforceError(
      SOURCE,
      'MALFORMED_RESPONSE',
      `upsert of ${type} updated a record but its id could not be read`,
    );
  }
  return found.Id;
}

/**
 * One record by external id (`PATCH /sobjects/{type}/{field}/{value}`): inserted, updated, or a
 * `MULTIPLE_MATCHES` rejection naming the matches.
 */
export async function upsertOne(
  target: UpsertTarget,
  record: unknown,
  externalIdField: string | undefined,
  options: CallOptions = {},
): Promise<SaveSuccess> {
  const { conn, type } = target;
  const { field, value } = externalIdOf(record, externalIdField);
  if (value === undefined || value === null || value === '') {
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', `upsert: the record has no value for ${field}`);
  }
  const fields = trackingOf(record) ? updateFields(record) : createFields(record);
  for (const k of Object.keys(fields)) if (k.toLowerCase() === field.toLowerCase()) delete fields[k];
  const path = `sobjects/${type}/${checkApiName(field, 'an external id field name')}/${pathSegment(value, `the ${field} value`)}`;
  let res: WireSaveResult | undefined;
  try {
    res = await conn.request<WireSaveResult | undefined>({
      method: 'PATCH',
      path,
      body: fields,
      ...callOptions(options),
    });
  } catch (error) {
    if (!isSalesforceError(error) || error.status !== 300) throw error;
    const ids = await multipleMatches(target, error, field, value, options);
    throw salesforceError(
      SOURCE,
      'MULTIPLE_MATCHES',
      `upsert of ${type} by ${field} = ${JSON.stringify(String(value))} matched ${ids.length} records: ${ids.join(', ')}`,
      {
        status: 300,
        errorCode: 'MULTIPLE_CHOICES',
        fields: [field],
        details: ids.map((id) => ({ errorCode: 'MULTIPLE_CHOICES', message: `matches ${type} ${id}`, id })),
        cause: error,
      },
    );
  }
  // API versions before 46.0 answer an update with 204 and no body: the id is then read by
  // external id (`GET /sobjects/{type}/{field}/{value}`, the same resource).
  const result: SaveSuccess = res
    ? savedOne(toSaveResult(res), 'upsert')
    : { id: await idByExternalId(target, path, options), success: true, errors: [], created: false };
  markSaved([record], [result]);
  return result;
}

/** Many records by external id through sObject Collections, one result each. */
export async function upsertMany(
  { conn, type }: UpsertTarget,
  records: readonly unknown[],
  externalIdField: string,
  options: CollectionOptions = {},
): Promise<SaveResult[]> {
  if (typeof externalIdField !== 'string' || externalIdField === '')
    throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'upsert of many records needs the external id field');
  checkApiName(externalIdField, 'an external id field name');
  const bodies = records.map((r) => {
    const { value } = externalIdOf(r, externalIdField);
    const fields = createFields(r);
    for (const k of Object.keys(fields))
      if (k.toLowerCase() === externalIdField.toLowerCase()) delete fields[k];
    return { attributes: { type }, ...fields, [externalIdField]: value };
  });
  const path = `composite/sobjects/${type}/${externalIdField}`;
  return saveMany(conn, records, bodies, { method: 'PATCH', path }, options, () => null);
}
