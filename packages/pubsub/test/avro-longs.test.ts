import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../src/avro.js';

const schema = {
  type: 'record',
  name: 'Order__e',
  fields: [
    { name: 'CreatedDate', type: 'long' },
    { name: 'Big__c', type: ['null', 'long'], default: null },
  ],
};
// Written by avsc's own long type where it can (safe values) and by hand past 2^53.
function zigzagLong(n: bigint): Buffer {
  let z = (n << 1n) ^ (n >> 63n);
  z = BigInt.asUintN(64, z);
  const bytes: number[] = [];
  do {
    let b = Number(z & 0x7fn);
    z >>= 7n;
    if (z > 0n) b |= 0x80;
    bytes.push(b);
  } while (z > 0n);
  return Buffer.from(bytes);
}

describe('Avro longs', () => {
  it('keeps longs beyond 2^53 exact as bigint, safe ones as numbers (longs: auto)', () => {
    const big = 2n ** 60n + 7n;
    const bytes = Buffer.concat([zigzagLong(1_700_000_000_123n), Buffer.from([2]), zigzagLong(big)]);
    // avsc alone refuses it: the "potential precision loss" other clients report.
    expect(() => avro.Type.forSchema(schema as avro.Schema).fromBuffer(bytes)).toThrow(/precision/);
    const decoded = compileSchema(JSON.stringify(schema), 'auto').decode(bytes);
    expect(decoded).toEqual({ CreatedDate: 1_700_000_000_123, Big__c: big });
  });

  it('gives every long as a bigint with longs: bigint, and encodes bigints back exactly', () => {
    const codec = compileSchema(JSON.stringify(schema), 'bigint');
    const min = -(2n ** 63n);
    const bytes = codec.encode({ CreatedDate: 5n, Big__c: min });
    expect(codec.decode(bytes)).toEqual({ CreatedDate: 5n, Big__c: min });
    expect(compileSchema(JSON.stringify(schema), 'auto').decode(bytes)).toEqual({
      CreatedDate: 5,
      Big__c: min,
    });
  });

  it('reads every 64-bit value exactly, written by an independent encoder (property)', () => {
    const auto = compileSchema(JSON.stringify(schema), 'auto');
    const bigint = compileSchema(JSON.stringify(schema), 'bigint');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const bytes = Buffer.concat([zigzagLong(n), Buffer.from([0])]);
        const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(auto.decode(bytes).CreatedDate).toBe(safe ? Number(n) : n);
        expect(bigint.decode(bytes).CreatedDate).toBe(n);
        expect(bigint.encode({ CreatedDate: n, Big__c: null })).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
