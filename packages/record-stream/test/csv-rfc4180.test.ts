import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCSV } from '../src/index.js';
import { text } from './helpers.js';

/**
 * An independent, deliberately strict RFC 4180 reader, written for this test only: outside
 * quotes, any of CRLF, a bare LF or a bare CR ends a record, as Python's csv module and Excel
 * read it. So a line break that toCSV leaves unquoted splits a record here, as it would there.
 */
function readRfc4180(input: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let cellStarted = false;
  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && !cellStarted) {
      quoted = true;
      cellStarted = true;
      i += 1;
      continue;
    }
    if (input.startsWith(delimiter, i)) {
      row.push(cell);
      cell = '';
      cellStarted = false;
      i += delimiter.length;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      cellStarted = false;
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (ch === '"') throw new Error(`a quote inside an unquoted cell at ${i}`);
    cell += ch;
    cellStarted = true;
    i += 1;
  }
  if (quoted) throw new Error('unclosed quote');
  if (cellStarted || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const columns = ['a', 'b', 'c'];
// Heavy in what CSV must escape, plus any Unicode.
const unit = fc.oneof(
  fc.constantFrom(',', ';', '\t', '"', '\n', '\r', '\r\n', ' ', 'x', 'é', '🚀'),
  fc.string({ unit: 'grapheme', maxLength: 2 }),
);
const valueArb = fc.string({ unit, maxLength: 10 });
const rowsArb = fc.array(fc.tuple(valueArb, valueArb, valueArb), { minLength: 1, maxLength: 8 });

describe('toCSV read back by an independent RFC 4180 reader', () => {
  for (const lineEnding of ['LF', 'CRLF'] as const) {
    for (const delimiter of [',', ';', '\t']) {
      it(`gives the same rows for any strings (lineEnding ${lineEnding}, delimiter ${JSON.stringify(delimiter)})`, async () => {
        await fc.assert(
          fc.asyncProperty(rowsArb, async (rows) => {
            const records = rows.map(([a, b, c]) => ({ a, b, c }));
            const csv = await text(toCSV(records, { columns, lineEnding, delimiter }));
            expect(readRfc4180(csv, delimiter)).toEqual([columns, ...rows]);
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('quotes a bare LF under CRLF and a bare CR under LF (each was written unquoted)', async () => {
    const crlf = await text(toCSV([{ a: 'one\ntwo' }], { columns: ['a'], lineEnding: 'CRLF' }));
    expect(crlf).toBe('a\r\n"one\ntwo"\r\n');
    const lf = await text(toCSV([{ a: 'one\rtwo' }], { columns: ['a'], lineEnding: 'LF' }));
    expect(lf).toBe('a\n"one\rtwo"\n');
  });
});

describe('toCSV escapeFormulas (OWASP CSV injection)', () => {
  const dangerous = ['=1+2', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")'];

  it("prefixes a ' to cells starting with =, +, -, @, tab or CR, and quotes where CSV needs it", async () => {
    const records = dangerous.map((a) => ({ a }));
    const csv = await text(toCSV(records, { columns: ['a'], escapeFormulas: true }));
    expect(readRfc4180(csv, ',')).toEqual([['a'], ...dangerous.map((a) => [`'${a}`])]);
  });

  it('leaves every cell exact when off (the default: exports for migration stay exact)', async () => {
    const csv = await text(
      toCSV(
        dangerous.map((a) => ({ a })),
        { columns: ['a'] },
      ),
    );
    expect(readRfc4180(csv, ',')).toEqual([['a'], ...dangerous.map((a) => [a])]);
  });

  it('leaves numbers (negative ones included), booleans, dates and safe text alone', async () => {
    const csv = await text(
      toCSV([{ n: -5, b: true, d: new Date('2026-01-02T03:04:05.000Z'), s: 'a=b', e: '' }], {
        escapeFormulas: true,
      }),
    );
    expect(csv).toBe('n,b,d,s,e\n-5,true,2026-01-02T03:04:05.000Z,a=b,\n');
  });

  it('no string read back from an escaped export starts with a formula character', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const records = rows.map(([a, b, c]) => ({ a, b, c }));
        const csv = await text(toCSV(records, { columns, escapeFormulas: true }));
        const read = readRfc4180(csv, ',').slice(1);
        expect(read).toHaveLength(rows.length);
        for (const [r, cells] of read.entries()) {
          for (const [c, cell] of cells.entries()) {
            expect(cell).not.toMatch(/^[=+\-@\t\r]/);
            const original = rows[r]![c]!;
            expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a non-boolean escapeFormulas with INVALID_ARGUMENT', () => {
    expect(() => toCSV([], { escapeFormulas: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
