// Avro schemas for the Pub/Sub API, derived from what the emulator knows: a platform event's
// fields (typed through `pubsub.eventFields`, else strings) and an object's describe for its
// change events (ChangeEventHeader first, compound addresses nested as `{prefix}Address`
// records, as Salesforce's change event schemas nest them). Schema ids are fingerprints of the
// schema JSON, so an id never names two schemas.

import { createHash } from 'node:crypto';
import avro from 'avsc';
import type { FieldDescribe, SObjectDescribe } from '../describe-types.js';

/** Avro types a platform event field can have in the emulator. */
export type EventFieldType = 'string' | 'boolean' | 'int' | 'long' | 'double';

export interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
  doc?: string;
}

export interface RecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  fields: AvroField[];
}

/** A schema with its id and its compiled avsc type. */
export interface CompiledSchema {
  id: string;
  json: string;
  schema: RecordSchema;
  type: avro.Type;
  /** Change events: top-level field name → position, and compound components. */
  compound: Map<string, { parent: string; child: string }>;
}

const SAFE_HI = 0x200000;
// avsc refuses longs past 2^53; this one reads them as bigints (numbers while safe).
const longType = avro.types.LongType.__with({
  fromBuffer(buf: Buffer) {
    const hi = buf.readInt32LE(4);
    if (hi > -SAFE_HI && hi < SAFE_HI) return hi * 0x1_0000_0000 + buf.readUInt32LE(0);
    return buf.readBigInt64LE(0);
  },
  toBuffer(n: number | bigint) {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));
    return buf;
  },
  fromJSON: (n: unknown) => n,
  toJSON: (n: number | bigint) => (typeof n === 'bigint' ? Number(n) : n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
  compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

function compile(
  schema: RecordSchema,
  compound = new Map<string, { parent: string; child: string }>(),
): CompiledSchema {
  const json = JSON.stringify(schema);
  const id = createHash('sha256').update(json).digest('base64url').slice(0, 22);
  const type = avro.Type.forSchema(
    schema as avro.Schema,
    {
      registry: { long: longType },
      omitRecordMethods: true,
    } as unknown as Partial<avro.ForSchemaOptions>,
  );
  return { id, json, schema, type, compound };
}

const optional = (type: unknown): Pick<AvroField, 'type' | 'default'> => ({
  type: ['null', type],
  default: null,
});

/** The schema of a platform event: CreatedDate and CreatedById, then its custom fields. */
export function platformEventSchema(
  name: string,
  fields: string[] | undefined,
  types: Record<string, EventFieldType> = {},
): CompiledSchema {
  const names = fields ?? Object.keys(types);
  return compile({
    type: 'record',
    name,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      ...names.map((field) => ({
        name: field,
        ...optional(types[field] ?? 'string'),
        doc: `Data:${types[field] ?? 'string'}`,
      })),
    ],
  });
}

const HEADER: RecordSchema = {
  type: 'record',
  name: 'ChangeEventHeader',
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: { type: 'array', items: 'string' } },
    {
      name: 'changeType',
      type: {
        type: 'enum',
        name: 'ChangeType',
        symbols: [
          'CREATE',
          'UPDATE',
          'DELETE',
          'UNDELETE',
          'GAP_CREATE',
          'GAP_UPDATE',
          'GAP_DELETE',
          'GAP_UNDELETE',
          'GAP_OVERFLOW',
          'SNAPSHOT',
        ],
      },
    },
    { name: 'changeOrigin', type: 'string' },
    { name: 'transactionKey', type: 'string' },
    { name: 'sequenceNumber', type: 'int' },
    { name: 'commitTimestamp', type: 'long' },
    { name: 'commitNumber', type: 'long' },
    { name: 'commitUser', type: 'string' },
    { name: 'nulledFields', type: { type: 'array', items: 'string' } },
    { name: 'diffFields', type: { type: 'array', items: 'string' } },
    { name: 'changedFields', type: { type: 'array', items: 'string' } },
  ],
};

const LEFT_OUT = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'LastViewedDate', 'LastReferencedDate']);
/** The nested fields of a compound address, in the order of its Avro record. */
export const ADDRESS_PARTS: readonly string[] = [
  'Street',
  'City',
  'State',
  'PostalCode',
  'Country',
  'Latitude',
  'Longitude',
  'GeocodeAccuracy',
];

/** The Avro type of a describe field (dates and date-times as epoch milliseconds, as the Pub/Sub API sends them). */
function avroType(field: FieldDescribe): unknown {
  switch (field.type) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'date':
    case 'datetime':
    case 'time':
      return 'long';
    default:
      return 'string';
  }
}

/** The schema of an object's change events, from its describe. */
export function changeEventSchema(describe: SObjectDescribe, entityName: string): CompiledSchema {
  const fields: AvroField[] = [{ name: 'ChangeEventHeader', type: HEADER }];
  const compound = new Map<string, { parent: string; child: string }>();
  const byName = new Map(describe.fields.map((f) => [f.name, f]));
  let addressDefined = false;
  const done = new Set<string>();
  for (const f of describe.fields) {
    if (LEFT_OUT.has(f.name) || f.calculated || done.has(f.name)) continue;
    const part = ADDRESS_PARTS.find((p) => f.name.endsWith(p));
    const prefix = part ? f.name.slice(0, -part.length) : '';
    if (part && byName.get(`${prefix}Address`)?.type === 'address') {
      const parent = `${prefix}Address`;
      const children = ADDRESS_PARTS.filter((p) => byName.has(prefix + p));
      for (const child of children) {
        done.add(prefix + child);
        compound.set(prefix + child, { parent, child });
      }
      done.add(parent);
      const record = addressDefined
        ? 'Address'
        : {
            type: 'record',
            name: 'Address',
            fields: ADDRESS_PARTS.map((p) => ({
              name: p,
              ...optional(p === 'Latitude' || p === 'Longitude' ? 'double' : 'string'),
            })),
          };
      addressDefined = true;
      fields.push({ name: parent, ...optional(record) });
      continue;
    }
    if (f.type === 'address' || f.type === 'location') continue;
    fields.push({ name: f.name, ...optional(avroType(f)), doc: `Data:${f.type}` });
  }
  return compile({ type: 'record', name: entityName, namespace: 'com.sforce.eventbus', fields }, compound);
}
