// Avro decoding and encoding with avsc. avsc's own long type refuses values beyond 2^53
// ("potential precision loss", the trap salesforce-pubsub-api-client's users hit: its
// issues #21 and #25); ours reads every long exactly, as a number while it is a safe integer
// and as a bigint beyond (`longs: 'auto'`), or always as a bigint (`longs: 'bigint'`).

import avro from 'avsc';
import { pubsubError } from './errors.js';

/** How Avro `long` values reach the application. */
export type LongMode = 'auto' | 'bigint';

const SAFE_HI = 0x200000; // 2^21: |hi * 2^32 + lo| < 2^53 while -2^21 < hi < 2^21

function longType(mode: LongMode) {
  return avro.types.LongType.__with({
    fromBuffer(buf: Buffer) {
      if (mode === 'auto') {
        const hi = buf.readInt32LE(4);
        if (hi > -SAFE_HI && hi < SAFE_HI) return hi * 0x1_0000_0000 + buf.readUInt32LE(0);
      }
      return buf.readBigInt64LE(0);
    },
    toBuffer(n: number | bigint) {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(typeof n === 'bigint' ? n : BigInt(n));
      return buf;
    },
    fromJSON: (n: unknown) => (typeof n === 'bigint' ? n : BigInt(n as number)),
    toJSON: (n: number | bigint) => (typeof n === 'bigint' ? Number(n) : n),
    isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
    compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
  });
}

/** A compiled schema: decode and encode Avro binary, and the schema's parsed JSON. */
export interface AvroCodec {
  readonly schema: AvroRecordSchema;
  decode(payload: Uint8Array): Record<string, unknown>;
  encode(value: Record<string, unknown>): Buffer;
}

/** The parts of an Avro record schema this package reads (field order drives the CDC bitmaps). */
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  fields: Array<{ name: string; type: unknown; default?: unknown; doc?: string }>;
}

/** @internal Compiles a schema's JSON (as GetSchema answers it). */
export function compileSchema(schemaJson: string, longs: LongMode): AvroCodec {
  let schema: AvroRecordSchema;
  let type: avro.Type;
  try {
    schema = JSON.parse(schemaJson) as AvroRecordSchema;
    type = avro.Type.forSchema(
      schema as avro.Schema,
      {
        registry: { long: longType(mode(longs)) },
        omitRecordMethods: true,
      } as unknown as Partial<avro.ForSchemaOptions>,
    );
  } catch (cause) {
    throw pubsubError('MALFORMED_RESPONSE', 'the event schema is not an Avro schema avsc can read', {
      cause,
    });
  }
  return {
    schema,
    decode(payload) {
      const buf = Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      return type.fromBuffer(buf) as Record<string, unknown>;
    },
    encode(value) {
      try {
        return type.toBuffer(value);
      } catch (cause) {
        throw pubsubError(
          'INVALID_ARGUMENT',
          `the event does not match the topic's schema ${schema.name}: ${(cause as Error).message}`,
          { cause },
        );
      }
    },
  };
}

function mode(longs: LongMode): LongMode {
  return longs === 'bigint' ? 'bigint' : 'auto';
}
