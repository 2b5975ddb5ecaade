import { flattenRecord, map, toCSV } from '@sf/record-stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsvBytes } from '../src/index.js';

async function text(source: AsyncIterable<Uint8Array | string>): Promise<string> {
  let out = '';
  for await (const chunk of source)
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return out;
}

// What uploads were before the 64 KB writer: toCSV over records whose top-level nulls are #N/A.
function throughToCsv(records: Record<string, unknown>[]): Promise<string> {
  const marked = map(records, (r) => {
    const copy = { ...r };
    for (const key of Object.keys(copy)) if (copy[key] === null) copy[key] = '#N/A';
    return copy;
  });
  return text(toCSV(marked) as AsyncIterable<Uint8Array>);
}

describe('records as upload CSV', () => {
  it('writes what toCSV writes (quotes, line breaks, parents, nulls as #N/A)', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('a,b', 'say "hi"', 'two\nlines', ''),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
    );
    const record = fc.record(
      {
        Name: value,
        Amount__c: value,
        Account: fc.oneof(fc.constant(null), fc.record({ Name: value, Ext__c: value }, { requiredKeys: [] })),
      },
      { requiredKeys: ['Name'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (records) => {
        const expected = await throughToCsv(records);
        expect(await text(toCsvBytes(records, { extraFields: 'ignore' }))).toBe(expected);
        // By default a field outside the first record's columns rejects instead of vanishing.
        const columns = new Set(Object.keys(flattenRecord(records[0] as object)));
        const outside = records.some((r) =>
          Object.entries(flattenRecord(r)).some(
            ([key, v]) =>
              v !== undefined &&
              !columns.has(key) &&
              // A null parent beside its fields' columns is empty cells, not a field outside.
              !((v === null || v === '') && [...columns].some((c) => c.startsWith(`${key}.`))),
          ),
        );
        const strict = text(toCsvBytes(records));
        if (outside) await expect(strict).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        else expect(await strict).toBe(expected);
      }),
      { numRuns: 200 },
    );
    // One difference, on purpose: a lone carriage return is quoted too (csv-stringify leaves it bare).
    expect(await text(toCsvBytes([{ Name: 'cr\r' }]))).toBe('Name\n"cr\r"\n');
  });

  it('a null parent (a record without one, as a query returns it) is empty cells, not a field outside the columns', async () => {
    const withParent = { LastName: 'A', Account: { attributes: { type: 'Account' }, Ext__c: 'X1' } };
    const without = { LastName: 'B', Account: null };
    expect(await text(toCsvBytes([withParent, without]))).toBe('LastName,Account.Ext__c\nA,X1\nB,\n');
    // The other way round the first record cannot name the parent's fields: say so, lose nothing.
    await expect(text(toCsvBytes([without, withParent]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/"Account\.Ext__c".*first record's Account is empty/),
    });
    expect(await text(toCsvBytes([without, withParent], { columns: ['LastName', 'Account.Ext__c'] }))).toBe(
      'LastName,Account.Ext__c\nB,\nA,X1\n',
    );
  });

  it('sends rows in chunks of about 64 KB, not one per record', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => ({ Name: `Row ${i}`, Code__c: `C${i}` }));
    const sizes: number[] = [];
    for await (const chunk of toCsvBytes(records)) sizes.push(chunk.length);
    expect(sizes.length).toBeLessThan(10);
    expect(sizes.slice(0, -1).every((n) => n >= 64 * 1024)).toBe(true);
  });
});
