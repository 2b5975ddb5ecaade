// Change events on the Pub/Sub API carry `changedFields`, `nulledFields` and `diffFields` as
// bitmaps over the Avro schema's field order, not as names (Salesforce's "Event
// Deserialization Considerations"): the first element is a hex bitmap of top-level fields
// (`0x650004E0`: bit i set means field i), further elements `{parentPosition}-{hexBitmap}` a
// bitmap over a compound field's nested record (`4-0x10`), named `Parent.Child`.

import type { AvroRecordSchema } from './avro.js';

const HEADER_BITMAPS = ['changedFields', 'nulledFields', 'diffFields'] as const;

/** Named record types of a schema (a second compound field refers to `Address` by name). */
const named = new WeakMap<AvroRecordSchema, Map<string, AvroRecordSchema>>();
function namedRecords(schema: AvroRecordSchema): Map<string, AvroRecordSchema> {
  let map = named.get(schema);
  if (map) return map;
  const found = new Map<string, AvroRecordSchema>();
  const walk = (type: unknown): void => {
    if (Array.isArray(type)) type.forEach(walk);
    else if (typeof type === 'object' && type !== null) {
      const t = type as {
        type?: unknown;
        name?: unknown;
        namespace?: unknown;
        fields?: unknown;
        items?: unknown;
      };
      if (t.type === 'record' && typeof t.name === 'string') {
        found.set(t.name, type as AvroRecordSchema);
        if (typeof t.namespace === 'string' && t.namespace)
          found.set(`${t.namespace}.${t.name}`, type as AvroRecordSchema);
        for (const f of (t.fields as Array<{ type: unknown }>) ?? []) walk(f.type);
      } else if (t.items !== undefined) walk(t.items);
    }
  };
  walk(schema);
  named.set(schema, (map = found));
  return map;
}

/** The record schema inside a field's type: a record, a name of one, or a union holding either. */
function nestedRecord(type: unknown, names: Map<string, AvroRecordSchema>): AvroRecordSchema | undefined {
  if (Array.isArray(type)) {
    for (const member of type) {
      const found = nestedRecord(member, names);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof type === 'string') return names.get(type);
  if (typeof type === 'object' && type !== null && (type as { type?: unknown }).type === 'record') {
    return type as AvroRecordSchema;
  }
  return undefined;
}

/** The names of the set bits of a hex bitmap, read against `fields` (bit 0 is field 0). */
function namesOf(hex: string, fields: AvroRecordSchema['fields'], prefix: string): string[] {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(digits)) return [];
  const names: string[] = [];
  // From the last hex digit (bits 0-3) to the first, so names come out in schema order.
  for (let d = 0; d < digits.length; d++) {
    const nibble = Number.parseInt(digits[digits.length - 1 - d] as string, 16);
    for (let b = 0; b < 4; b++) {
      if (nibble & (1 << b)) {
        const field = fields[d * 4 + b];
        if (field) names.push(prefix + field.name);
      }
    }
  }
  return names;
}

/**
 * Field names for one bitmap field of a `ChangeEventHeader`, read against the event's schema.
 * Entries that are already names (as CometD sends them) pass through unchanged.
 *
 * @example
 * decodeBitmap(schema, ['0x6', '3-0x2']); // ['Name', 'Industry', 'BillingAddress.City']
 */
export function decodeBitmap(schema: AvroRecordSchema, bitmap: readonly string[]): string[] {
  const names: string[] = [];
  for (const entry of bitmap) {
    if (/^0x/i.test(entry)) {
      names.push(...namesOf(entry, schema.fields, ''));
      continue;
    }
    const nested = /^(\d+)-(0x[0-9a-fA-F]+)$/.exec(entry);
    if (!nested) {
      names.push(entry);
      continue;
    }
    const parent = schema.fields[Number(nested[1])];
    const record = parent ? nestedRecord(parent.type, namedRecords(schema)) : undefined;
    if (parent && record) names.push(...namesOf(nested[2] as string, record.fields, `${parent.name}.`));
  }
  return names;
}

/**
 * A change event's payload with its header's bitmaps replaced by field names; the payload is
 * changed in place and returned. Payloads without a `ChangeEventHeader` are left alone.
 */
export function decodeChangeEventHeader<T extends Record<string, unknown>>(
  schema: AvroRecordSchema,
  payload: T,
): T {
  const header = payload.ChangeEventHeader as Record<string, unknown> | null | undefined;
  if (typeof header !== 'object' || header === null) return payload;
  for (const key of HEADER_BITMAPS) {
    const value = header[key];
    if (Array.isArray(value)) header[key] = decodeBitmap(schema, value as string[]);
  }
  return payload;
}

/**
 * The reverse, for publishers and the emulator: the bitmap entries for a list of field names
 * (`Parent.Child` for nested fields), against `schema`.
 */
export function encodeBitmap(schema: AvroRecordSchema, names: readonly string[]): string[] {
  let top = 0n;
  const nested = new Map<number, bigint>();
  for (const name of names) {
    const dot = name.indexOf('.');
    if (dot < 0) {
      const i = schema.fields.findIndex((f) => f.name === name);
      if (i >= 0) top |= 1n << BigInt(i);
      continue;
    }
    const p = schema.fields.findIndex((f) => f.name === name.slice(0, dot));
    const record = p >= 0 ? nestedRecord(schema.fields[p]?.type, namedRecords(schema)) : undefined;
    const c = record?.fields.findIndex((f) => f.name === name.slice(dot + 1)) ?? -1;
    if (c >= 0) nested.set(p, (nested.get(p) ?? 0n) | (1n << BigInt(c)));
  }
  const out = top === 0n && nested.size === 0 ? [] : [`0x${top.toString(16).toUpperCase()}`];
  for (const [p, bits] of [...nested].sort((a, b) => a[0] - b[0])) {
    out.push(`${p}-0x${bits.toString(16).toUpperCase()}`);
  }
  return out;
}
