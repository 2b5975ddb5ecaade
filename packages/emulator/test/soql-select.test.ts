import { describe, expect, it } from 'vitest';
import { compileSoql, executeSoql, SoqlError } from '../src/soql/index.js';
import { A1, A2, A3, A4, id, NOW, OPTS, sampleSource, U1 } from './soql-fixture.js';

const src = sampleSource();
const q = (soql: string, opts = OPTS) => executeSoql(src, soql, opts);
const names = (soql: string) => q(soql).records.map((r) => r.Name);

function error(soql: string): SoqlError {
  try {
    q(soql);
  } catch (e) {
    if (SoqlError.is(e)) return e;
    throw e;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SELECT and record shape', () => {
  it('shapes records like the REST API, keys in describe casing and select order', () => {
    const r = q(`SELECT name, id, industry FROM account WHERE Id = '${A1}'`);
    expect(r.totalSize).toBe(1);
    expect(r.records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${A1}` },
      Name: 'Acme',
      Id: A1,
      Industry: 'Technology',
    });
    expect(Object.keys(r.records[0]!)).toEqual(['attributes', 'Name', 'Id', 'Industry']);
  });

  it('accepts apiVersion with a v prefix and returns null for missing values', () => {
    const r = q(`SELECT AnnualRevenue FROM Account WHERE Id = '${A3}'`, { ...OPTS, apiVersion: 'v60.0' });
    expect(r.records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${A3}` },
      AnnualRevenue: null,
    });
  });

  it('nests parent relationships, merging shared paths, null when there is no parent', () => {
    const r = q(
      'SELECT LastName, Account.Name, Account.Owner.Name, account.Industry FROM Contact ORDER BY LastName',
    );
    expect(r.records.map((x) => x.LastName)).toEqual(['Adams', 'Nobody', 'Smith', 'Zed']);
    const smith = r.records[2]!;
    expect(smith).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${id('003', 1)}` },
      LastName: 'Smith',
      Account: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${A1}` },
        Name: 'Acme',
        Owner: {
          attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${U1}` },
          Name: 'Ada Owner',
        },
        Industry: 'Technology',
      },
    });
    expect(r.records[1]!.Account).toBeNull();
  });

  it('follows custom relationships (__r), self-references and the object-name prefix', () => {
    const r = q(
      "SELECT Name, Parent__r.Name, Account__r.Name FROM Project__c WHERE Parent__r.Name = 'Rocket'",
    );
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.Parent__r).toMatchObject({ Name: 'Rocket' });
    expect(r.records[0]!.Account__r).toMatchObject({ Name: 'Acme' });
    expect(names("SELECT Account.Name FROM Account WHERE Parent.Name = 'Acme' ORDER BY Name").length).toBe(2);
    expect(q("SELECT a.Name FROM Account a WHERE a.Name = 'Acme'").records[0]!.Name).toBe('Acme');
  });

  it('nests child subqueries as query results, null when empty', () => {
    const r = q(
      'SELECT Name, (SELECT LastName, Account.Name FROM Contacts ORDER BY LastName DESC), (SELECT Name FROM Projects__r WHERE Budget__c > 5) FROM Account ORDER BY Name',
    );
    const acme = r.records.find((x) => x.Name === 'Acme')!;
    expect(Object.keys(acme)).toEqual(['attributes', 'Name', 'Contacts', 'Projects__r']);
    expect(acme.Contacts).toMatchObject({
      totalSize: 2,
      done: true,
      records: [{ LastName: 'Smith', Account: { Name: 'Acme' } }, { LastName: 'Adams' }],
    });
    expect((acme.Projects__r as { records: unknown[] }).records).toEqual([
      {
        attributes: { type: 'Project__c', url: `/services/data/v62.0/sobjects/Project__c/${id('a00', 1)}` },
        Name: 'Rocket',
      },
    ]);
    const initech = r.records.find((x) => x.Name === 'initech')!;
    expect(initech.Contacts).toBeNull();
    expect(initech.Projects__r).toBeNull();
  });

  it('applies LIMIT and OFFSET inside child subqueries', () => {
    const r = q(
      `SELECT (SELECT LastName FROM Contacts ORDER BY LastName LIMIT 1 OFFSET 1) FROM Account WHERE Id = '${A1}'`,
    );
    expect(r.records[0]!.Contacts).toMatchObject({ totalSize: 1, records: [{ LastName: 'Smith' }] });
  });

  it('excludes deleted rows unless includeDeleted (queryAll), and IsDeleted is filterable', () => {
    expect(names('SELECT Name FROM Account')).not.toContain('Deleted Co');
    const all = q('SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true', {
      ...OPTS,
      includeDeleted: true,
    });
    expect(all.records).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${A4}` },
        Name: 'Deleted Co',
        IsDeleted: true,
      },
    ]);
    expect(q('SELECT Id FROM Account', { ...OPTS, includeDeleted: true }).totalSize).toBe(4);
    const children = q(`SELECT (SELECT LastName FROM Contacts) FROM Account WHERE Id = '${A1}'`, {
      ...OPTS,
      includeDeleted: true,
    });
    expect((children.records[0]!.Contacts as { totalSize: number }).totalSize).toBe(3);
  });

  it('expands FIELDS(ALL) with a LIMIT', () => {
    const r = q(`SELECT FIELDS(ALL) FROM User LIMIT 10`);
    expect(Object.keys(r.records[0]!)).toEqual(['attributes', 'Id', 'IsDeleted', 'Name', 'Email']);
    expect(error('SELECT FIELDS(ALL) FROM User').errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('ORDER BY, LIMIT, OFFSET', () => {
  it('sorts strings case-insensitively, ASC by default', () => {
    expect(names('SELECT Name FROM Account ORDER BY Name')).toEqual(['Acme', 'Globex', 'initech']);
    expect(names('SELECT Name FROM Account ORDER BY Name DESC')).toEqual(['initech', 'Globex', 'Acme']);
  });

  it('puts nulls first for ASC and last for DESC, unless NULLS says otherwise', () => {
    expect(names('SELECT Name FROM Account ORDER BY Industry')).toEqual(['initech', 'Globex', 'Acme']);
    expect(names('SELECT Name FROM Account ORDER BY Industry DESC')).toEqual(['Acme', 'Globex', 'initech']);
    expect(names('SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST')).toEqual([
      'Globex',
      'Acme',
      'initech',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST')).toEqual([
      'initech',
      'Acme',
      'Globex',
    ]);
  });

  it('sorts by several keys, numbers, dates, booleans and parent paths', () => {
    expect(names('SELECT Name FROM Account ORDER BY IsActive__c DESC, NumberOfEmployees')).toEqual([
      'initech',
      'Acme',
      'Globex',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY CreatedDate DESC')).toEqual([
      'Acme',
      'Globex',
      'initech',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY SLAExpirationDate__c DESC NULLS LAST')).toEqual([
      'Acme',
      'Globex',
      'initech',
    ]);
    const c = q('SELECT LastName FROM Contact ORDER BY Account.Name DESC NULLS LAST, LastName').records.map(
      (r) => r.LastName,
    );
    expect(c).toEqual(['Zed', 'Adams', 'Smith', 'Nobody']);
  });

  it('applies LIMIT and OFFSET after sorting; totalSize counts returned records', () => {
    const r = q('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1');
    expect(r).toMatchObject({ totalSize: 1, records: [{ Name: 'Globex' }] });
    expect(q('SELECT Name FROM Account LIMIT 2').totalSize).toBe(2);
    expect(q('SELECT Name FROM Account LIMIT 0').totalSize).toBe(0);
    expect(q('SELECT Name FROM Account OFFSET 2000').totalSize).toBe(0);
  });

  it('rejects OFFSET above 2000 with NUMBER_OUTSIDE_VALID_RANGE', () => {
    const e = error('SELECT Name FROM Account OFFSET 2001');
    expect(e.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    expect(e.message).toContain('Maximum SOQL offset allowed is 2000');
  });
});

describe('COUNT and aggregates', () => {
  it('COUNT() answers totalSize with no records', () => {
    expect(q('SELECT COUNT() FROM Account')).toEqual({ totalSize: 3, records: [] });
    expect(q("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'")).toEqual({
      totalSize: 2,
      records: [],
    });
    expect(q('SELECT COUNT() FROM Account', { ...OPTS, includeDeleted: true }).totalSize).toBe(4);
    expect(q('SELECT COUNT() FROM Account LIMIT 2').totalSize).toBe(2);
    const compiled = compileSoql(src, 'SELECT COUNT() FROM Account', OPTS);
    expect(compiled.isCount).toBe(true);
    expect(compiled.objectName).toBe('Account');
  });

  it('COUNT(field) and friends answer AggregateResult records with exprN keys or aliases', () => {
    const r = q(
      'SELECT COUNT(Id), COUNT(Industry) n, SUM(NumberOfEmployees), MAX(CreatedDate), MIN(Name), AVG(NumberOfEmployees), COUNT_DISTINCT(OwnerId) FROM Account',
    );
    expect(r).toEqual({
      totalSize: 1,
      records: [
        {
          attributes: { type: 'AggregateResult' },
          expr0: 3,
          n: 2,
          expr1: 157,
          expr2: '2026-03-18T10:00:00.000+0000',
          expr3: 'Acme',
          expr4: 157 / 3,
          expr5: 1,
        },
      ],
    });
    expect(q("SELECT COUNT(Id) FROM Account WHERE Name = 'none'").records[0]).toEqual({
      attributes: { type: 'AggregateResult' },
      expr0: 0,
    });
  });

  it('supports simple GROUP BY with ORDER BY on an aggregate', () => {
    const r = q(
      'SELECT AccountId, COUNT(Id) c FROM Contact GROUP BY AccountId ORDER BY COUNT(Id) DESC, AccountId',
    );
    expect(r.records.map((x) => [x.AccountId, x.c])).toEqual([
      [A1, 2],
      [null, 1], // ASC puts nulls first
      [A2, 1],
    ]);
    expect(error('SELECT Name, COUNT(Id) FROM Account GROUP BY Industry').message).toContain(
      'Field must be grouped or aggregated: Name',
    );
  });
});

describe('errors, as Salesforce words them', () => {
  it('unknown field: INVALID_FIELD with position and "No such column"', () => {
    const e = error('SELECT Foo FROM Account');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toBe(
      "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect(error('SELECT Account.Foo FROM Contact').message).toContain(
      "No such column 'Foo' on entity 'Account'",
    );
    expect(error("SELECT Id FROM Account WHERE Bar = 'x'").message).toContain(
      "No such column 'Bar' on entity 'Account'",
    );
    expect(error('SELECT Id FROM Account ORDER BY Bar').errorCode).toBe('INVALID_FIELD');
  });

  it('unknown relationship: INVALID_FIELD; unknown child relationship: INVALID_TYPE', () => {
    const e = error('SELECT Foo.Name FROM Contact');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain("Didn't understand relationship 'Foo' in field path");
    const c = error('SELECT (SELECT Id FROM Contact) FROM Account');
    expect(c.errorCode).toBe('INVALID_TYPE');
    expect(c.message).toContain("Didn't understand relationship 'Contact' in FROM part of query call");
  });

  it('unknown object: INVALID_TYPE', () => {
    const e = error('SELECT Id FROM Foo');
    expect(e.errorCode).toBe('INVALID_TYPE');
    expect(e.message).toContain("sObject type 'Foo' is not supported.");
    expect(e.message).toContain('ERROR at Row:1:Column:16');
  });

  it('syntax errors: MALFORMED_QUERY', () => {
    for (const soql of [
      'SELECT FROM Account',
      'SELECT Id FROM',
      'SELECT Id FROM Account WHERE',
      'SELEC Id FROM Account',
      '',
      "SELECT Id FROM Account WHERE Name = 'x",
      'SELECT Id FROM Account LIMIT',
    ]) {
      expect(error(soql).errorCode, soql).toBe('MALFORMED_QUERY');
    }
    expect(error('SELECT FROM Account').message).toContain("unexpected token: 'FROM'");
  });

  it('refuses AND mixed with OR without parentheses, as Salesforce does', () => {
    const e = error("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.message).toContain("unexpected token: 'OR'");
  });

  it('refuses duplicate fields, COUNT() with fields, and bad escapes', () => {
    expect(error('SELECT Id, id FROM Account').message).toContain('duplicate field selected: Id');
    expect(error('SELECT COUNT(), Name FROM Account').errorCode).toBe('MALFORMED_QUERY');
    const e = error("SELECT Id FROM Account WHERE Name = 'a\\qb'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.message).toContain("Illegal character sequence '\\q' in string literal");
  });

  it('checks literal types against field types', () => {
    const e = error("SELECT Id FROM Account WHERE NumberOfEmployees = '5'");
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.message).toContain(
      "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
    );
    expect(error('SELECT Id FROM Account WHERE Name = 5').message).toContain(
      'must be of type string and should be enclosed in quotes',
    );
    expect(error("SELECT Id FROM Account WHERE IsActive__c = 'true'").message).toContain(
      'must be of type boolean',
    );
    expect(error('SELECT Id FROM Account WHERE CreatedDate = 2026-03-18').message).toContain(
      'must be of type dateTime',
    );
    expect(
      error('SELECT Id FROM Account WHERE SLAExpirationDate__c = 2026-03-18T00:00:00Z').message,
    ).toContain('must be of type date');
  });

  it('checks ids and operators', () => {
    const e = error("SELECT Id FROM Account WHERE Id = 'nope'");
    expect(e.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(e.message).toContain('invalid ID field: nope');
    expect(error("SELECT Id FROM Account WHERE Name INCLUDES ('a')").errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(error("SELECT Id FROM Account WHERE Id LIKE '001%'").errorCode).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(error("SELECT Id FROM Account WHERE BillingAddress = 'x'").errorCode).toBe('INVALID_FIELD');
  });

  it('is a real Error with code and errorCode', () => {
    const e = error('SELECT Id FROM Foo');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('INVALID_TYPE');
    expect(SoqlError.is({})).toBe(false);
  });
});

describe('compileSoql', () => {
  it('exposes matches (WHERE only) and shape for single rows', () => {
    const c = compileSoql(src, "SELECT Name, Owner.Name FROM Account WHERE Industry = 'energy'", OPTS);
    const acme = src.findById(A1)!.row;
    const globex = src.findById(A2)!.row;
    expect(c.matches(acme)).toBe(false);
    expect(c.matches(globex)).toBe(true);
    expect(c.shape(globex)).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${A2}` },
      Name: 'Globex',
      Owner: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${U1}` },
        Name: 'Ada Owner',
      },
    });
    expect(c.run().totalSize).toBe(1);
    expect(NOW.toISOString()).toBe('2026-03-18T12:00:00.000Z');
  });
});
