// Avro decoding and encoding with avsc. avsc's own long type refuses values beyond 2^53
// ("potential precision loss", the trap salesforce-pubsub-api-client's users hit: its
// issues #21 and #25); ours reads every long exactly, as a number while it is a safe integer
// and as a bigint beyond (`longs: 'auto'`), or always as a bigint (`longs: 'bigint'`).

import avro from 'avsc';
import { pubsubError } from './errors.js';

/** How Avro `long` values reach the application. */
export type LongMode = 'auto' | 'bigint';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * avsc hands a custom long type the value's raw zigzag varint bytes (`noUnpack`), which we
 * read with plain arithmetic while they hold at most 49 bits (7 bytes, always a safe integer),
 * and with BigInt beyond: no 8-byte buffer per long, as avsc's unpacking would allocate.
 */
function readVarint(buf: Buffer, mode: LongMode): number | bigint {
  const len = buf.length;
  if (len <= 7) {
    let z = 0;
    let mul = 1;
    for (let i = 0; i < len; i++) {
      z += ((buf[i] as number) & 0x7f) * mul;
      mul *= 128;
    }
    const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    return mode === 'bigint' ? BigInt(v) : v;
  }
  // The low 49 bits and the rest as numbers, joined once as a BigInt.
  let lo = 0;
  let hi = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++, mul *= 128) lo += ((buf[i] as number) & 0x7f) * mul;
  mul = 1;
  for (let i = 7; i < len; i++, mul *= 128) hi += ((buf[i] as number) & 0x7f) * mul;
  const z = (BigInt(hi) << 49n) | BigInt(lo);
  const v = (z >> 1n) ^ -(z & 1n);
  return mode === 'auto' && v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

function writeVarint(n: number | bigint): Buffer {
  let z = BigInt.asUintN(64, (BigInt(n) << 1n) ^ (BigInt(n) >> 63n));
  const bytes: number[] = [];
  do {
    let b = Number(z & 0x7fn);
    z >>= 7n;
    if (z > 0n) b |= 0x80;
    bytes.push(b);
  } while (z > 0n);
  return Buffer.from(bytes);
}

function longType(mode: LongMode) {
  return avro.types.LongType.__with(
    {
      fromBuffer: (buf: Buffer) => readVarint(buf, mode),
      toBuffer: (n: number | bigint) => writeVarint(n),
      fromJSON: (n: unknown) => (typeof n === 'bigint' ? n : BigInt(n as number)),
      toJSON: (n: number | bigint) => (typeof n === 'bigint' ? Number(n) : n),
      isValid: (n: unknown) =>
        typeof n === 'bigint'
          ? n >= -(2n ** 63n) && n < 2n ** 63n
          : typeof n === 'number' && Number.isSafeInteger(n),
      compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
    },
    true,
  );
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
