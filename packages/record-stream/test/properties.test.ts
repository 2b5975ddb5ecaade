import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenRecord, fromCSV, RecordStream, unflattenRecord } from '../src/index.js';
import { text } from './helpers.js';

// A shape is the field tree shared by the records of one CSV: null marks a leaf field.
interface Shape {
  [key: string]: Shape | null;
}

const keyArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,7}$/).filter((key) => key !== 'attributes');

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ node: Shape }>((tie) => ({
  node: fc.dictionary(keyArb, fc.oneof({ maxDepth: 3 }, fc.constant(null), tie('node')), {
    minKeys: 1,
    maxKeys: 4,
    noNullPrototype: true,
  }),
})).node;

// Strings heavy in what CSV must escape, plus arbitrary Unicode (no lone surrogates: UTF-8).
const csvCharArb = fc.constantFrom(',', ';', '|', '\t', '"', '\n', '\r', ' ', 'a', 'é', '🚀', '\uFEFF');
const stringArb = fc.oneof(
  fc.string({ unit: csvCharArb, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

function hasNonNull(value: unknown): boolean {
  if (value === null) return false;
  if (typeof value !== 'object') return true;
  return Object.values(value as object).some(hasNonNull);
}

/** Records of one shape; with emptyAsNull, leaves may be null and so may whole parents. */
function recordArb(shape: Shape, emptyAsNull: boolean): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  const fields = keys.map((key) => {
    const child = shape[key];
    if (child === null || child === undefined) {
      return emptyAsNull
        ? fc.option(
            stringArb.filter((s) => s !== ''),
            { nil: null },
          )
        : stringArb;
    }
    if (!emptyAsNull) return recordArb(child, false);
    // A parent that is present must hold a value somewhere, or it reads back as null.
    return fc.option(recordArb(child, true).filter(hasNonNull), { nil: null });
  });
  return fc.tuple(...fields).map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i]])));
}

function columnsOf(shape: Shape, prefix = ''): string[] {
  return Object.keys(shape).flatMap((key) => {
    const child = shape[key];
    return child ? columnsOf(child, `${prefix}${key}.`) : [`${prefix}${key}`];
  });
}

function withAttributes(value: unknown, type: string): unknown {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  const out: Record<string, unknown> = { attributes: { type, url: `/sobjects/${type}/1` } };
  for (const [key, field] of Object.entries(value)) out[key] = withAttributes(field, key);
  return out;
}

/** Splits text into byte chunks at arbitrary points, often inside a multi-byte character. */
function chunk(csv: string, cuts: number[]): Uint8Array[] {
  const bytes = Buffer.from(csv, 'utf8');
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const caseArb = fc.boolean().chain((emptyAsNull) =>
  shapeArb.chain((shape) =>
    fc.record({
      emptyAsNull: fc.constant(emptyAsNull),
      shape: fc.constant(shape),
      records: fc.array(recordArb(shape, emptyAsNull), { minLength: 1, maxLength: 6 }),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      lineEnding: fc.constantFrom('LF' as const, 'CRLF' as const),
      bom: fc.boolean(),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
    }),
  ),
);

describe('properties', () => {
  it('toCSV → fromCSV round-trips records with nested parents and arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ emptyAsNull, shape, records, delimiter, lineEnding, bom, cuts }) => {
        const input = records.map((record) => withAttributes(record, 'Contact') as object);
        const csv = await text(
          RecordStream.from(input).toCSV({ columns: columnsOf(shape), delimiter, lineEnding, bom }),
        );
        const back = await fromCSV(chunk(csv, cuts), {
          delimiter,
          emptyAsNull,
          collapseNullParents: emptyAsNull,
        }).toArray();
        expect(back).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('the header inferred from the first record round-trips records of one shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        shapeArb.chain((shape) => fc.array(recordArb(shape, false), { minLength: 1, maxLength: 4 })),
        async (records) => {
          const back = await fromCSV(await text(RecordStream.from(records).toCSV())).toArray();
          expect(back).toEqual(records);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('unflattenRecord inverts flattenRecord (attributes aside), and flattenRecord inverts unflattenRecord', () => {
    const leafArb = fc.oneof(
      stringArb,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const recordWithLeaves = (shape: Shape): fc.Arbitrary<Record<string, unknown>> => {
      const keys = Object.keys(shape);
      const fields = keys.map((key) => {
        const child = shape[key];
        return child ? fc.oneof(recordWithLeaves(child), fc.constant(null)) : leafArb;
      });
      return fc.tuple(...fields).map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i]])));
    };
    fc.assert(
      fc.property(shapeArb.chain(recordWithLeaves), (record) => {
        const flat = flattenRecord(withAttributes(record, 'Account') as object);
        expect(Object.keys(flat).some((key) => key.split('.').includes('attributes'))).toBe(false);
        expect(unflattenRecord(flat)).toEqual(record);
        expect(flattenRecord(unflattenRecord(flat))).toEqual(flat);
      }),
      { numRuns: 500 },
    );
  });
});
