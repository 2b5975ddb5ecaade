import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeSoql } from '../src/soql/index.js';
import { MemorySource, OPTS } from './soql-fixture.js';

/** The escaping other packages use to embed a value in a SOQL string literal. */
function soqlQuote(value: string): string {
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${body}'`;
}

const tricky = fc.constantFrom(
  '\u2028',
  '\u2029',
  "'",
  '\\',
  '\n',
  '\r',
  '\t',
  '"',
  '%',
  '_',
  ' ',
  'a',
  'A',
  'é',
  '💥',
  '(',
  ')',
  ',',
  ';',
  'OR',
  ' AND ',
);

describe('SOQL string escaping contract (property)', () => {
  it('an escaped value in WHERE Name = ... matches exactly the row with that name, never errors', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme' }),
            fc.string(),
            fc.array(tricky).map((a) => a.join('')),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.nat(),
        (candidates, pick) => {
          // Salesforce stores '' as null and compares strings case-insensitively: keep distinct non-empty names.
          const seen = new Set<string>();
          const unique = candidates.filter(
            (c) => c !== '' && !seen.has(c.toLowerCase()) && seen.add(c.toLowerCase()),
          );
          fc.pre(unique.length > 0);
          const rows = unique.map((name, i) => ({ Id: `001${String(i).padStart(12, '0')}AAA`, Name: name }));
          const source = new MemorySource({ Account: rows });
          const target = rows[pick % rows.length]!;
          const result = executeSoql(
            source,
            `SELECT Id, Name FROM Account WHERE Name = ${soqlQuote(target.Name)}`,
            OPTS,
          );
          expect(result.records.map((r) => r.Id)).toEqual([target.Id]);
          expect(result.records[0]!.Name).toBe(target.Name);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an escaped value used as a LIKE prefix never errors', () => {
    fc.assert(
      fc.property(
        fc.array(tricky).map((a) => a.join('')),
        (value) => {
          const source = new MemorySource({ Account: [{ Id: '001000000000001AAA', Name: value || 'x' }] });
          const escaped = soqlQuote(value).slice(0, -1).replace(/%/g, '\\%').replace(/_/g, '\\_');
          const r = executeSoql(source, `SELECT Id FROM Account WHERE Name LIKE ${escaped}%'`, OPTS);
          expect(r.totalSize).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
