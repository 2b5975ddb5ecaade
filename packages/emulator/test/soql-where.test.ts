import { describe, expect, it } from 'vitest';
import { dateLiteralRange, executeSoql } from '../src/soql/index.js';
import { A1, MemorySource, NOW, OPTS, sampleSource } from './soql-fixture.js';

const src = sampleSource();
const names = (where: string, object = 'Account') =>
  executeSoql(src, `SELECT Name FROM ${object} WHERE ${where}`, OPTS)
    .records.map((r) => r.Name as string)
    .sort();

describe('WHERE', () => {
  it('compares strings case-insensitively with = != <> and ranges', () => {
    expect(names("Name = 'ACME'")).toEqual(['Acme']);
    expect(names("Name != 'acme'")).toEqual(['Globex', 'initech']);
    expect(names("Name <> 'acme'")).toEqual(['Globex', 'initech']);
    expect(names("Name > 'globex'")).toEqual(['initech']);
    expect(names("Name >= 'Globex'")).toEqual(['Globex', 'initech']);
    expect(names("Name < 'B'")).toEqual(['Acme']);
  });

  it('handles null comparisons, and != includes null values', () => {
    expect(names('Industry = null')).toEqual(['initech']);
    expect(names('Industry != null')).toEqual(['Acme', 'Globex']);
    expect(names("Industry != 'Energy'")).toEqual(['Acme', 'initech']);
    expect(names('AnnualRevenue > 0')).toEqual(['Acme']);
  });

  it('compares numbers, booleans and currency', () => {
    expect(names('NumberOfEmployees > 7')).toEqual(['Acme', 'Globex']);
    expect(names('NumberOfEmployees <= 50')).toEqual(['Globex', 'initech']);
    expect(names('AnnualRevenue = 5000.5')).toEqual(['Acme']);
    expect(names('IsActive__c = true')).toEqual(['Acme', 'initech']);
    expect(names('IsActive__c = FALSE')).toEqual(['Globex']);
    expect(names('NumberOfEmployees IN (7, 50)')).toEqual(['Globex', 'initech']);
  });

  it('combines AND, OR, NOT and parentheses', () => {
    expect(names("Name = 'Acme' OR Name = 'Globex'")).toEqual(['Acme', 'Globex']);
    expect(names("(Name = 'Acme' OR Name = 'Globex') AND IsActive__c = true")).toEqual(['Acme']);
    expect(names("NOT Name = 'Acme'")).toEqual(['Globex', 'initech']);
    expect(names("NOT (Name = 'Acme' OR Name = 'Globex')")).toEqual(['initech']);
    expect(names("(NOT Name = 'Acme') AND NumberOfEmployees > 10")).toEqual(['Globex']);
    expect(
      names(
        "IsActive__c = true AND (NumberOfEmployees < 10 OR (Industry = 'Technology' AND Name LIKE 'A%'))",
      ),
    ).toEqual(['Acme', 'initech']);
    expect(
      names("Name = 'x' OR NOT (NumberOfEmployees > 10 AND IsActive__c = true) OR Name = 'Acme'"),
    ).toEqual(['Acme', 'Globex', 'initech']);
  });

  it('LIKE: % and _ wildcards, case-insensitive, backslash escapes', () => {
    expect(names("Name LIKE 'a%'")).toEqual(['Acme']);
    expect(names("Name LIKE '%E%'")).toEqual(['Acme', 'Globex', 'initech']);
    expect(names("Name LIKE '_lobex'")).toEqual(['Globex']);
    expect(names("Name LIKE 'acm'")).toEqual([]);
    expect(names("Description LIKE '%100\\%%'")).toEqual(['Acme']);
    expect(names("Description LIKE '%0\\%'")).toEqual([]);
    expect(names("Description LIKE 'under\\_score'")).toEqual(['Globex']);
    expect(names("Description LIKE 'under_score'")).toEqual(['Globex']);
    expect(names("Description LIKE 'under\\\\_score'")).toEqual([]);
    expect(names("Description LIKE '%(%'")).toEqual([]);
  });

  it('IN and NOT IN lists, with null', () => {
    expect(names("Industry IN ('technology', 'Energy')")).toEqual(['Acme', 'Globex']);
    expect(names("Industry NOT IN ('Technology')")).toEqual(['Globex', 'initech']);
    expect(names("Industry IN ('Energy', null)")).toEqual(['Globex', 'initech']);
    expect(names(`Id IN ('${A1}', '${A1.slice(0, 15)}')`)).toEqual(['Acme']);
  });

  it('INCLUDES and EXCLUDES on multipicklists (; means AND)', () => {
    expect(names("Tags__c INCLUDES ('b')")).toEqual(['Acme', 'Globex']);
    expect(names("Tags__c INCLUDES ('a;c')")).toEqual(['Acme']);
    expect(names("Tags__c INCLUDES ('a;x', 'B')")).toEqual(['Acme', 'Globex']);
    expect(names("Tags__c EXCLUDES ('a')")).toEqual(['Globex', 'initech']);
    expect(names("Tags__c = 'c;b;a'")).toEqual(['Acme']);
  });

  it('dates and datetimes compare by time value, whatever the zone', () => {
    expect(names('SLAExpirationDate__c = 2026-03-18')).toEqual(['Acme']);
    expect(names('SLAExpirationDate__c < 2026-03-01')).toEqual(['Globex']);
    expect(names('CreatedDate > 2026-03-18T09:59:59Z')).toEqual(['Acme']);
    expect(names('CreatedDate = 2026-03-18T10:00:00.000+0000')).toEqual(['Acme']);
    expect(names('CreatedDate = 2026-03-18T12:00:00+02:00')).toEqual(['Acme']);
    expect(names('CreatedDate < 2026-01-01T00:00:00Z')).toEqual(['initech']);
  });

  it('relative date literals on date and datetime fields (UTC)', () => {
    expect(names('CreatedDate = TODAY')).toEqual(['Acme']);
    expect(names('SLAExpirationDate__c = TODAY')).toEqual(['Acme']);
    expect(names('CreatedDate = THIS_WEEK')).toEqual(['Acme']);
    expect(names('CreatedDate = LAST_WEEK')).toEqual(['Globex']);
    expect(names('CreatedDate = THIS_MONTH')).toEqual(['Acme', 'Globex']);
    expect(names('CreatedDate < THIS_YEAR')).toEqual(['initech']);
    expect(names('CreatedDate = LAST_YEAR')).toEqual(['initech']);
    expect(names('CreatedDate = LAST_FISCAL_YEAR')).toEqual(['initech']);
    expect(names('CreatedDate > LAST_N_DAYS:10')).toEqual([]);
    expect(names('CreatedDate = LAST_N_DAYS:10')).toEqual(['Acme', 'Globex']);
    expect(names('CreatedDate = N_DAYS_AGO:8')).toEqual(['Globex']);
    expect(names('SLAExpirationDate__c = LAST_N_MONTHS:1')).toEqual(['Globex']);
    expect(names('SLAExpirationDate__c >= LAST_90_DAYS')).toEqual(['Acme', 'Globex']);
    expect(names('CreatedDate = LAST_QUARTER')).toEqual(['initech']);
    expect(names('SLAExpirationDate__c IN (TODAY, LAST_MONTH)')).toEqual(['Acme', 'Globex']);
    expect(names('SLAExpirationDate__c = NEXT_N_DAYS:5')).toEqual([]);
  });

  it('computes date literal ranges', () => {
    const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
    const r = (lit: string) => {
      const x = dateLiteralRange(lit, NOW)!;
      return [new Date(x.start).toISOString().slice(0, 10), new Date(x.end).toISOString().slice(0, 10)];
    };
    expect(r('TODAY')).toEqual(['2026-03-18', '2026-03-19']);
    expect(r('YESTERDAY')).toEqual(['2026-03-17', '2026-03-18']);
    expect(r('TOMORROW')).toEqual(['2026-03-19', '2026-03-20']);
    expect(r('THIS_WEEK')).toEqual(['2026-03-15', '2026-03-22']);
    expect(r('LAST_WEEK')).toEqual(['2026-03-08', '2026-03-15']);
    expect(r('NEXT_WEEK')).toEqual(['2026-03-22', '2026-03-29']);
    expect(r('LAST_MONTH')).toEqual(['2026-02-01', '2026-03-01']);
    expect(r('THIS_MONTH')).toEqual(['2026-03-01', '2026-04-01']);
    expect(r('NEXT_MONTH')).toEqual(['2026-04-01', '2026-05-01']);
    expect(r('LAST_90_DAYS')).toEqual(['2025-12-18', '2026-03-19']);
    expect(r('NEXT_90_DAYS')).toEqual(['2026-03-19', '2026-06-17']);
    expect(r('THIS_QUARTER')).toEqual(['2026-01-01', '2026-04-01']);
    expect(r('LAST_QUARTER')).toEqual(['2025-10-01', '2026-01-01']);
    expect(r('NEXT_QUARTER')).toEqual(['2026-04-01', '2026-07-01']);
    expect(r('THIS_YEAR')).toEqual(['2026-01-01', '2027-01-01']);
    expect(r('LAST_YEAR')).toEqual(['2025-01-01', '2026-01-01']);
    expect(r('NEXT_YEAR')).toEqual(['2027-01-01', '2028-01-01']);
    expect(r('THIS_FISCAL_YEAR')).toEqual(['2026-01-01', '2027-01-01']);
    expect(r('NEXT_FISCAL_QUARTER')).toEqual(['2026-04-01', '2026-07-01']);
    expect(r('LAST_N_DAYS:3')).toEqual(['2026-03-15', '2026-03-19']);
    expect(r('NEXT_N_DAYS:3')).toEqual(['2026-03-19', '2026-03-22']);
    expect(r('LAST_N_WEEKS:2')).toEqual(['2026-03-01', '2026-03-15']);
    expect(r('NEXT_N_WEEKS:1')).toEqual(['2026-03-22', '2026-03-29']);
    expect(r('LAST_N_MONTHS:2')).toEqual(['2026-01-01', '2026-03-01']);
    expect(r('NEXT_N_MONTHS:2')).toEqual(['2026-04-01', '2026-06-01']);
    expect(r('LAST_N_YEARS:2')).toEqual(['2024-01-01', '2026-01-01']);
    expect(r('NEXT_N_YEARS:1')).toEqual(['2027-01-01', '2028-01-01']);
    expect(r('N_DAYS_AGO:2')).toEqual(['2026-03-16', '2026-03-17']);
    expect(dateLiteralRange('SOMEDAY', NOW)).toBeUndefined();
    expect(day('2026-03-18')).toBe(dateLiteralRange('TODAY', NOW)!.start);
  });

  it('decodes escaped string literals', () => {
    const s = new MemorySource({
      Account: [
        { Id: 'x01000000000001AAA', Name: 'O\'Brien "q" \\ end' },
        { Id: 'x01000000000002AAA', Name: 'line\nbreak\ttab\rcr\bb\ff' },
        { Id: 'x01000000000003AAA', Name: 'Aé' },
      ],
    });
    const one = (where: string) =>
      executeSoql(s, `SELECT Name FROM Account WHERE ${where}`, OPTS).records.map((r) => r.Id ?? r.Name);
    expect(one("Name = 'O\\'Brien \\\"q\\\" \\\\ end'")).toHaveLength(1);
    expect(one("Name = 'line\\nbreak\\ttab\\rcr\\bb\\ff'")).toHaveLength(1);
    expect(one("Name = 'LINE\\Nbreak\\Ttab\\Rcr\\Bb\\Ff'")).toHaveLength(1);
    expect(one("Name = '\\u0041\\u00e9'")).toHaveLength(1);
  });

  it('semi-joins and anti-joins on ids', () => {
    expect(names('Id IN (SELECT AccountId FROM Contact)')).toEqual(['Acme', 'Globex']);
    expect(names("Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Zed')")).toEqual(['Globex']);
    expect(names('Id NOT IN (SELECT AccountId FROM Contact)')).toEqual(['initech']);
  });

  it('filters on parent fields, including missing parents', () => {
    expect(executeSoql(src, "SELECT Id FROM Contact WHERE Account.Name = 'acme'", OPTS).totalSize).toBe(2);
    const last = executeSoql(
      src,
      "SELECT LastName FROM Contact WHERE Account.Owner.Name LIKE 'ada%' ORDER BY LastName",
      OPTS,
    );
    expect(last.records.map((r) => r.LastName)).toEqual(['Adams', 'Smith', 'Zed']);
    const none = executeSoql(src, 'SELECT LastName FROM Contact WHERE Account.Name = null', OPTS);
    expect(none.records.map((r) => r.LastName)).toEqual(['Nobody']);
  });
});
