import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AvroRecordSchema } from '../src/avro.js';
import { decodeBitmap, decodeChangeEventHeader, encodeBitmap } from '../src/bitmap.js';

const address = {
  type: 'record',
  name: 'Address',
  fields: ['Street', 'City', 'State', 'PostalCode', 'Country'].map((name) => ({
    name,
    type: ['null', 'string'],
  })),
};
// Field order as in a change event schema: the header first, a compound field nested.
const schema: AvroRecordSchema = {
  type: 'record',
  name: 'AccountChangeEvent',
  fields: [
    { name: 'ChangeEventHeader', type: 'string' },
    { name: 'Name', type: ['null', 'string'] },
    { name: 'Type', type: ['null', 'string'] },
    { name: 'BillingAddress', type: ['null', address] },
    { name: 'Industry', type: ['null', 'string'] },
    ...Array.from({ length: 40 }, (_, i) => ({ name: `F${i}__c`, type: ['null', 'string'] })),
  ],
};

describe('CDC bitmaps', () => {
  it('decodes the top-level bitmap by schema position, bit 0 = field 0', () => {
    // 0x12 = bits 1 and 4: Name and Industry
    expect(decodeBitmap(schema, ['0x12'])).toEqual(['Name', 'Industry']);
  });

  it('decodes nested-field bitmaps as Parent.Child (Salesforce: "{ParentFieldPosition}-{NestedFieldBitmap}")', () => {
    // 3-0x06 = BillingAddress (position 3), nested bits 1 and 2: City and State
    expect(decodeBitmap(schema, ['0x2', '3-0x06'])).toEqual([
      'Name',
      'BillingAddress.City',
      'BillingAddress.State',
    ]);
  });

  it('reads bitmaps wider than 32 bits exactly', () => {
    // bit 44 = F39__c (5 fields before the 40 custom ones)
    expect(decodeBitmap(schema, [`0x${(1n << 44n).toString(16)}`])).toEqual(['F39__c']);
  });

  it('passes names through (CometD-style lists) and decodes a header in place', () => {
    const payload = { ChangeEventHeader: { changedFields: ['0x2'], nulledFields: [], diffFields: ['Name'] } };
    decodeChangeEventHeader(schema, payload);
    expect(payload.ChangeEventHeader).toEqual({
      changedFields: ['Name'],
      nulledFields: [],
      diffFields: ['Name'],
    });
  });

  it('decode(encode(names)) gives the names back in schema order (property)', () => {
    const names = [
      ...schema.fields
        .slice(1)
        .filter((f) => f.name !== 'BillingAddress')
        .map((f) => f.name),
      ...address.fields.map((f) => `BillingAddress.${f.name}`),
    ];
    const order = (n: string) => {
      const [parent, child] = n.split('.');
      const p = schema.fields.findIndex((f) => f.name === parent);
      return child === undefined ? p : 1000 + p * 100 + address.fields.findIndex((f) => f.name === child);
    };
    fc.assert(
      fc.property(fc.subarray(names), (subset) => {
        const expected = [...subset].sort((a, b) => order(a) - order(b));
        expect(decodeBitmap(schema, encodeBitmap(schema, subset))).toEqual(expected);
      }),
    );
  });
});
