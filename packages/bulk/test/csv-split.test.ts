// CsvSplitter's character counting and row limits (Bulk API 1.0), byte-level and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvRejectedRow, CsvSplitOptions } from '../src/csv-row-limits.js';
import { CsvSplitter } from '../src/csv-split.js';

/** `bytes` as a source, cut at `cuts` (offsets), or into 1-byte chunks. */
async function* source(bytes: Buffer, cuts: readonly number[] | 'bytewise'): AsyncGenerator<Uint8Array> {
  if (cuts === 'bytewise') {
    for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    return;
  }
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    yield bytes.subarray(from, cut);
    from = cut;
  }
  if (from < bytes.length) yield bytes.subarray(from);
}

interface SplitPart {
  text: string;
  rows: number;
  bytes: number;
  chars: number | undefined;
}

async function split(
  input: string | Buffer,
  maxBytes: number,
  options: CsvSplitOptions = {},
  cuts: readonly number[] | 'bytewise' = [],
): Promise<{ parts: SplitPart[]; rejected: CsvRejectedRow[] }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const splitter = new CsvSplitter(source(bytes, cuts), maxBytes, options);
  const parts: SplitPart[] = [];
  for (let part = await splitter.next(); part; part = await splitter.next()) {
    const chunks: Buffer[] = [];
    for await (const chunk of part.body) chunks.push(Buffer.from(chunk));
    parts.push({
      text: Buffer.concat(chunks).toString('utf8'),
      rows: part.rows,
      bytes: part.bytes,
      chars: part.chars,
    });
  }
  return { parts, rejected: splitter.rejected };
}

const BIG = 1_000_000;

describe('CsvSplitter character counting', () => {
  it('counts characters without a cap or row limits too (one scanner for both APIs)', async () => {
    const { parts } = await split('Name\né\n日本\n', BIG);
    expect(parts).toEqual([{ text: 'Name\né\n日本\n', rows: 2, bytes: 15, chars: 10 }]);
  });

  it('counts characters, not bytes: é, 日本 and 😀 (two UTF-16 code units), header included', async () => {
    const csv = 'Name\né\n日本\n😀\n';
    const { parts } = await split(csv, BIG, { maxChars: BIG });
    expect(parts).toEqual([{ text: csv, rows: 3, bytes: Buffer.byteLength(csv), chars: csv.length }]);
    expect(csv.length).toBe(13);
  });

  it('counts a multi-byte character split across 1-byte chunks once', async () => {
    const csv = 'Name,Description\r\n"日本, ""é""",😀x\r\nplain,é\r\n';
    const whole = await split(csv, BIG, { maxChars: BIG });
    const bytewise = await split(csv, BIG, { maxChars: BIG }, 'bytewise');
    expect(bytewise).toEqual(whole);
    expect(whole.parts[0]?.chars).toBe(csv.length);
  });

  it('cuts parts at the character cap, at row boundaries, with the header in each', async () => {
    // Header 5 characters; each row 3 characters ('日本\n') in 7 bytes.
    const csv = `Name\n${'日本\n'.repeat(7)}`;
    for (const cuts of [[], 'bytewise'] as const) {
      const { parts } = await split(csv, BIG, { maxChars: 11 }, cuts);
      expect(parts.map((p) => p.text)).toEqual([
        'Name\n日本\n日本\n',
        'Name\n日本\n日本\n',
        'Name\n日本\n日本\n',
        'Name\n日本\n',
      ]);
      expect(parts.map((p) => p.chars)).toEqual([11, 11, 11, 8]);
      expect(parts.map((p) => p.bytes)).toEqual([19, 19, 19, 12]);
    }
    // A cap of 12 bytes cuts after every row: characters are what was counted above.
    const { parts } = await split(csv, 12, {});
    expect(parts).toHaveLength(7);
  });

  it('finds fields: commas and line feeds inside quotes, escaped quotes counted once, CRLF not counted', async () => {
    const limits = { rowLimits: { fieldChars: 3 }, rejectRows: true };
    const csv = [
      'A,B\r\n',
      '"a,b",c\r\n', // 3 characters in quotes
      '"a""b",c\r\n', // a"b: 3
      '"a\nb",c\r\n', // a, line feed, b: 3
      'abc\r\n', // the CR of CRLF is no character of the field
      '"a""bc",x\r\n', // 4: rejected
      'x,abcd\r\n', // 4 in column 2: rejected
      'x,y,zzzz\r\n', // column 3, past the header's columns
    ].join('');
    for (const cuts of [[], 'bytewise'] as const) {
      const { parts, rejected } = await split(csv, BIG, limits, cuts);
      expect(parts.map((p) => p.text)).toEqual(['A,B\r\n"a,b",c\r\n"a""b",c\r\n"a\nb",c\r\nabc\r\n']);
      expect(rejected).toEqual([
        { index: 4, code: 'FIELD_TOO_LONG', size: 4, limit: 3, unit: 'characters', column: 1, name: 'A' },
        { index: 5, code: 'FIELD_TOO_LONG', size: 4, limit: 3, unit: 'characters', column: 2, name: 'B' },
        { index: 6, code: 'FIELD_TOO_LONG', size: 4, limit: 3, unit: 'characters', column: 3 },
      ]);
    }
  });

  it('rejects rows over the row limits and rows too large for any part, keeping the others in order', async () => {
    const csv = [
      '"Na,me",B,C\n',
      'ok1,,\n',
      'aaaa,bbbb,cccc\n', // 12 characters of values > 10
      'a,b,c,d\n', // 4 fields > 3
      '\n', // blank
      'ok2,,\n',
      `${'x'.repeat(9)},y,\n`, // within the row limits, but 13 + 12 characters with the header
      'ok3,,\n',
    ].join('');
    const { parts, rejected } = await split(csv, BIG, {
      maxChars: 24,
      rowLimits: { fieldChars: 9, rowChars: 10, fields: 3 },
      rejectRows: true,
    });
    expect(parts.map((p) => p.text)).toEqual(['"Na,me",B,C\nok1,,\nok2,,\n', '"Na,me",B,C\nok3,,\n']);
    expect(rejected.map((r) => [r.index, r.code, r.size, r.limit, r.unit])).toEqual([
      [1, 'ROW_TOO_LONG', 12, 10, 'characters'],
      [2, 'TOO_MANY_FIELDS', 4, 3, 'fields'],
      [3, 'BLANK_ROW', 0, 0, 'characters'],
      [5, 'ROW_TOO_LARGE', 25, 24, 'characters'],
    ]);
    // By bytes alone (no row limits): only what cannot fit 20 bytes with the header is left out.
    const byBytes = await split(csv, 20, { rejectRows: true });
    expect(byBytes.parts.map((p) => p.text.slice(12))).toEqual([
      'ok1,,\n',
      'a,b,c,d\n',
      'ok2,,\n',
      'ok3,,\n',
    ]);
    expect(byBytes.rejected.map((r) => [r.index, r.code, r.size, r.unit])).toEqual([
      [1, 'ROW_TOO_LARGE', 27, 'bytes'],
      [3, 'BLANK_ROW', 0, 'characters'],
      [5, 'ROW_TOO_LARGE', 25, 'bytes'],
    ]);
  });

  it('a last row without a line ending is counted and checked too', async () => {
    const { parts, rejected } = await split('A\nabc\nabcd', BIG, {
      rowLimits: { fieldChars: 3 },
      rejectRows: true,
    });
    expect(parts.map((p) => p.text)).toEqual(['A\nabc\n']);
    expect(rejected).toMatchObject([{ index: 1, code: 'FIELD_TOO_LONG', size: 4 }]);
  });

  it('a header row beyond the row limits, or leaving no room for a row, is INVALID_ARGUMENT', async () => {
    await expect(split('Name,Description\nx,y\n', BIG, { rowLimits: { fields: 1 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('the row has 2 fields, more than the 1'),
    });
    await expect(split('Name\nx\n', BIG, { maxChars: 5, rejectRows: true })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('leaves no room for a row'),
    });
  });

  it('without rejectRows, a row too large for a part still throws ROW_TOO_LARGE', async () => {
    await expect(split('Name\nabcdefgh\n', 10)).rejects.toMatchObject({ code: 'ROW_TOO_LARGE' });
    await expect(split('Name\nabcdefgh\n', BIG, { maxChars: 10 })).rejects.toMatchObject({
      code: 'ROW_TOO_LARGE',
    });
  });

  it('property: parts hold every sendable row in order, within the caps, packed, with exact counts', async () => {
    const char = fc.constantFrom('a', 'b', 'é', '日', '😀', '"', ',', '\n', '\r', ' ');
    const value = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(''));
    const row = fc.array(value, { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 25 }),
        fc.array(fc.nat(400), { maxLength: 20 }),
        fc.integer({ min: 12, max: 60 }),
        fc.integer({ min: 20, max: 120 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        async (rows, cuts, maxChars, maxBytes, maxRows, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
          const line = (cells: string[]) => `${cells.map(quote).join(',')}${eol}`;
          const header = line(['H1', 'H2']);
          const limits = { fieldChars: 6, rowChars: 14, fields: 3 };
          const expectedRejected: [number, string][] = [];
          const sendable: string[] = [];
          rows.forEach((cells, index) => {
            const text = line(cells);
            const longField = cells.findIndex((v) => v.length > limits.fieldChars);
            const code =
              longField >= 0
                ? 'FIELD_TOO_LONG'
                : cells.length > limits.fields
                  ? 'TOO_MANY_FIELDS'
                  : cells.reduce((n, v) => n + v.length, 0) > limits.rowChars
                    ? 'ROW_TOO_LONG'
                    : cells.length === 1 && cells[0] === ''
                      ? 'BLANK_ROW'
                      : Buffer.byteLength(header + text) > maxBytes || (header + text).length > maxChars
                        ? 'ROW_TOO_LARGE'
                        : undefined;
            if (code) expectedRejected.push([index, code]);
            else sendable.push(text);
          });
          const csv = header + rows.map(line).join('');
          const { parts, rejected } = await split(
            csv,
            maxBytes,
            { maxChars, maxRows, rowLimits: limits, rejectRows: true },
            cuts,
          );
          expect(rejected.map((r) => [r.index, r.code])).toEqual(expectedRejected);
          expect(parts.map((p) => p.text.slice(header.length)).join('')).toBe(sendable.join(''));
          let next = 0;
          for (const [i, part] of parts.entries()) {
            expect(part.text.startsWith(header)).toBe(true);
            expect(part.chars).toBe(part.text.length);
            expect(part.bytes).toBe(Buffer.byteLength(part.text));
            expect(part.rows).toBeGreaterThan(0);
            expect(part.chars).toBeLessThanOrEqual(maxChars);
            expect(part.bytes).toBeLessThanOrEqual(maxBytes);
            expect(part.rows).toBeLessThanOrEqual(maxRows);
            next += part.rows;
            // Packed: the next sendable row would have broken a cap.
            const following = sendable[next];
            if (i < parts.length - 1 && following !== undefined) {
              const over =
                part.rows >= maxRows ||
                part.chars! + following.length > maxChars ||
                part.bytes + Buffer.byteLength(following) > maxBytes;
              expect(over).toBe(true);
            }
          }
          expect(next).toBe(sendable.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
