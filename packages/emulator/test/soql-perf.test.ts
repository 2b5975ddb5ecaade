import { describe, expect, it } from 'vitest';
import type { SoqlDataSource } from '../src/describe-types.js';
import { compileSoql, executeSoql } from '../src/soql/index.js';
import { describes, OPTS } from './soql-fixture.js';

const N = 1_000_000;
const rows = Array.from({ length: N }, (_, i) => ({
  Id: `001${i.toString(36).padStart(12, '0')}AAA`,
  IsDeleted: false,
  Name: `Account ${i}`,
  NumberOfEmployees: i % 1000,
  Industry: i % 2 ? 'Energy' : 'Technology',
}));
const source: SoqlDataSource = {
  describe: (name) => describes.find((d) => d.name.toLowerCase() === name.toLowerCase()),
  rows: () => rows,
  findById: () => undefined,
};

describe('performance over 1,000,000 rows', () => {
  it('SELECT Id, Name returns every row in a couple of seconds', () => {
    const started = performance.now();
    const r = executeSoql(source, 'SELECT Id, Name FROM Account', OPTS);
    const ms = performance.now() - started;
    expect(r.totalSize).toBe(N);
    expect(r.records[N - 1]!.Name).toBe(`Account ${N - 1}`);
    expect(ms).toBeLessThan(3000);
  });

  it('filters with a compiled WHERE and stops early on LIMIT without ORDER BY', () => {
    let started = performance.now();
    const r = executeSoql(
      source,
      "SELECT Id FROM Account WHERE Industry = 'energy' AND NumberOfEmployees > 990",
      OPTS,
    );
    expect(r.totalSize).toBe(5000);
    expect(performance.now() - started).toBeLessThan(2000);
    started = performance.now();
    expect(executeSoql(source, 'SELECT Id FROM Account LIMIT 10', OPTS).totalSize).toBe(10);
    expect(performance.now() - started).toBeLessThan(50);
    const c = compileSoql(source, "SELECT Id FROM Account WHERE Name LIKE 'Account 9%'", OPTS);
    expect(c.matches(rows[9]!)).toBe(true);
    expect(c.matches(rows[8]!)).toBe(false);
  });

  it('sorts a million rows within a few seconds', () => {
    const started = performance.now();
    const r = executeSoql(
      source,
      'SELECT Id FROM Account ORDER BY NumberOfEmployees DESC, Name LIMIT 3',
      OPTS,
    );
    expect(r.totalSize).toBe(3);
    expect(performance.now() - started).toBeLessThan(6000);
  });
});
