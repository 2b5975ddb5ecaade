// From the events the CometD side retains (Bayeux `data`: JSON payloads, ISO dates, field
// names in the change event header) to what the Pub/Sub API sends: Avro binary with epoch
// milliseconds and, for change events, every field of the schema (null when unchanged) and
// the header's field lists as bitmaps over the schema's field order (Salesforce's "Event
// Deserialization Considerations": `0x...` for top-level fields, `{position}-0x...` for the
// fields of a compound one).

import { randomUUID } from 'node:crypto';
import { ADDRESS_PARTS, type AvroField, type CompiledSchema } from './avro-schemas.js';

/** Bytes published through the Pub/Sub API ride along on the retained data, so they are sent back exactly. */
export const EXACT_PAYLOAD = Symbol('@sf/emulator.pubsub.payload');

export interface EncodedEvent {
  id: string;
  schemaId: string;
  payload: Buffer;
}

const cache = new WeakMap<object, EncodedEvent>();

function baseType(type: unknown): unknown {
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type;
}

function toMillis(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const time = /^\d{2}:\d{2}/.test(value)
    ? Date.parse(`1970-01-01T${value.replace(/Z$/, '')}Z`)
    : Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? null : time;
}

/** A JSON value as the Avro type wants it (null when it cannot be). */
function convert(type: unknown, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const t = baseType(type);
  switch (t) {
    case 'string':
      return typeof value === 'string'
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    case 'boolean':
      return value === true || value === 'true';
    case 'int': {
      const n = Math.trunc(Number(value));
      return Number.isFinite(n) ? n : null;
    }
    case 'long':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number') return Math.trunc(value);
      return toMillis(value);
    case 'double': {
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    default:
      return null;
  }
}

function indexOfField(fields: AvroField[]): Map<string, number> {
  return new Map(fields.map((f, i) => [f.name, i]));
}
const indexes = new WeakMap<CompiledSchema, Map<string, number>>();
function positions(schema: CompiledSchema): Map<string, number> {
  let map = indexes.get(schema);
  if (!map) indexes.set(schema, (map = indexOfField(schema.schema.fields)));
  return map;
}

const NESTED = ADDRESS_PARTS;

/** Field names → Salesforce's bitmap strings, against the change event schema. */
export function bitmapOf(schema: CompiledSchema, names: readonly string[]): string[] {
  const pos = positions(schema);
  let top = 0n;
  const nested = new Map<number, bigint>();
  for (const name of names) {
    const part = schema.compound.get(name);
    if (part) {
      const p = pos.get(part.parent);
      const c = NESTED.indexOf(part.child);
      if (p !== undefined && c >= 0) nested.set(p, (nested.get(p) ?? 0n) | (1n << BigInt(c)));
      continue;
    }
    const i = pos.get(name);
    if (i !== undefined) top |= 1n << BigInt(i);
  }
  if (top === 0n && nested.size === 0) return [];
  const out = [`0x${top.toString(16).toUpperCase()}`];
  for (const [p, bits] of [...nested].sort((a, b) => a[0] - b[0]))
    out.push(`${p}-0x${bits.toString(16).toUpperCase()}`);
  return out;
}

/** Encodes a retained platform event (`{ payload, event: { EventUuid } }`). */
export function encodePlatformEvent(schema: CompiledSchema, data: Record<string, unknown>): EncodedEvent {
  const cached = cache.get(data);
  if (cached) return cached;
  const exact = (data as { [EXACT_PAYLOAD]?: EncodedEvent })[EXACT_PAYLOAD];
  if (exact) return exact;
  const payload = (data.payload ?? {}) as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const field of schema.schema.fields) {
    const value = payload[field.name];
    record[field.name] = field.name === 'CreatedById' ? String(value ?? '') : convert(field.type, value);
  }
  record.CreatedDate ??= Date.now();
  const event = data.event as { EventUuid?: string } | undefined;
  const encoded = {
    id: event?.EventUuid ?? randomUUID(),
    schemaId: schema.id,
    payload: schema.type.toBuffer(record),
  };
  cache.set(data, encoded);
  return encoded;
}

/** Encodes a retained change event (`{ payload: { ChangeEventHeader, ...fields } }`). */
export function encodeChangeEvent(schema: CompiledSchema, data: Record<string, unknown>): EncodedEvent {
  const payload = (data.payload ?? {}) as Record<string, unknown>;
  const cached = cache.get(payload);
  if (cached) return cached;
  const header = (payload.ChangeEventHeader ?? {}) as Record<string, unknown>;
  const list = (key: string) => (Array.isArray(header[key]) ? (header[key] as string[]) : []);
  const record: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: String(header.entityName ?? ''),
      recordIds: list('recordIds'),
      changeType: String(header.changeType ?? 'UPDATE'),
      changeOrigin: String(header.changeOrigin ?? ''),
      transactionKey: String(header.transactionKey ?? ''),
      sequenceNumber: Number(header.sequenceNumber ?? 1),
      commitTimestamp: Number(header.commitTimestamp ?? Date.now()),
      commitNumber: Number(header.commitNumber ?? 0),
      commitUser: String(header.commitUser ?? ''),
      nulledFields: bitmapOf(schema, list('nulledFields')),
      diffFields: bitmapOf(schema, list('diffFields')),
      changedFields: bitmapOf(schema, list('changedFields')),
    },
  };
  for (const field of schema.schema.fields.slice(1)) record[field.name] = null;
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'ChangeEventHeader') continue;
    const part = schema.compound.get(name);
    if (part) {
      let nested = record[part.parent] as Record<string, unknown> | null;
      if (!nested) {
        nested = Object.fromEntries(NESTED.map((n) => [n, null]));
        record[part.parent] = nested;
      }
      nested[part.child] = convert(
        part.child === 'Latitude' || part.child === 'Longitude' ? 'double' : 'string',
        value,
      );
      continue;
    }
    const i = positions(schema).get(name);
    const field = i === undefined ? undefined : schema.schema.fields[i];
    if (field) record[name] = convert(field.type, value);
  }
  const encoded = { id: randomUUID(), schemaId: schema.id, payload: schema.type.toBuffer(record) };
  cache.set(payload, encoded);
  return encoded;
}
