import { describe, expect, it } from 'vitest';
import { executeSosl, explainSoql, SoqlError } from '../src/soql/index.js';
import { A1, A2, OPTS, sampleSource } from './soql-fixture.js';

const src = sampleSource();

describe('SOSL', () => {
  it('finds records by whole words, case-insensitively, across RETURNING objects in order', () => {
    const r = executeSosl(
      src,
      'FIND {acme} IN ALL FIELDS RETURNING Account(Id, Name), Contact(LastName)',
      OPTS,
    );
    expect(r.searchRecords).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${A1}` },
        Id: A1,
        Name: 'Acme',
      },
      expect.objectContaining({ LastName: 'Smith' }),
    ]);
  });

  it('supports * wildcards, NAME FIELDS, WHERE and LIMIT inside RETURNING', () => {
    expect(
      executeSosl(src, 'FIND {glob*} RETURNING Account(Name)', OPTS).searchRecords.map((x) => x.Name),
    ).toEqual(['Globex']);
    expect(
      executeSosl(src, 'FIND {anvils} IN NAME FIELDS RETURNING Account(Name)', OPTS).searchRecords,
    ).toEqual([]);
    expect(executeSosl(src, 'FIND {anvils} RETURNING Account(Name)', OPTS).searchRecords).toHaveLength(1);
    const r = executeSosl(
      src,
      'FIND {ada OR acme OR globex} RETURNING Account(Name WHERE NumberOfEmployees > 60 LIMIT 5)',
      OPTS,
    );
    expect(r.searchRecords.map((x) => x.Name)).toEqual(['Acme']);
    const ids = executeSosl(src, 'FIND {ac*} RETURNING Account LIMIT 1', OPTS);
    expect(ids.searchRecords.length).toBeLessThanOrEqual(1);
    expect(Object.keys(ids.searchRecords[0] ?? { attributes: 1, Id: 1 })).toEqual(['attributes', 'Id']);
  });

  it('email and phone scopes, and phrases', () => {
    expect(
      executeSosl(src, 'FIND {zed@globex.test} IN EMAIL FIELDS RETURNING Contact(LastName)', OPTS)
        .searchRecords,
    ).toHaveLength(1);
    expect(executeSosl(src, 'FIND {"100% guaranteed"} RETURNING Account(Id)', OPTS).searchRecords).toEqual([
      expect.objectContaining({ Id: A1 }),
    ]);
  });

  it('rejects malformed searches and passes SOQL errors through', () => {
    const codeOf = (sosl: string) => {
      try {
        executeSosl(src, sosl, OPTS);
      } catch (e) {
        return SoqlError.is(e) ? e.errorCode : 'other';
      }
      return 'none';
    };
    expect(codeOf('FIND {a} RETURNING Account')).toBe('MALFORMED_SEARCH');
    expect(codeOf('SEARCH {acme}')).toBe('MALFORMED_SEARCH');
    expect(codeOf('FIND {acme RETURNING Account')).toBe('MALFORMED_SEARCH');
    expect(codeOf('FIND {acme} RETURNING Foo')).toBe('INVALID_TYPE');
    expect(codeOf('FIND {acme} RETURNING Account(Bogus)')).toBe('INVALID_FIELD');
  });
});

describe('explainSoql', () => {
  it('answers TableScan with notes for unindexed filters', () => {
    expect(explainSoql(src, "SELECT Id FROM Account WHERE Name = 'Acme'")).toEqual({
      plans: [
        {
          cardinality: 1,
          fields: [],
          leadingOperationType: 'TableScan',
          notes: [
            {
              description: 'Not considering filter for optimization because unindexed',
              fields: ['Name'],
              tableEnumOrId: 'Account',
            },
          ],
          relativeCost: expect.any(Number),
          sobjectCardinality: 3,
          sobjectType: 'Account',
        },
      ],
    });
  });

  it('answers Index for Id and external id equality', () => {
    const byId = explainSoql(src, `SELECT Id FROM Account WHERE Id IN ('${A1}', '${A2}')`).plans[0]!;
    expect(byId).toMatchObject({ leadingOperationType: 'Index', fields: ['Id'], cardinality: 2 });
    const ext = explainSoql(src, "SELECT Id FROM account WHERE External_Id__c = 'EXT-1'").plans[0]!;
    expect(ext).toMatchObject({
      leadingOperationType: 'Index',
      fields: ['External_Id__c'],
      cardinality: 1,
      sobjectType: 'Account',
    });
    expect(ext.relativeCost).toBeLessThan(explainSoql(src, 'SELECT Id FROM Account').plans[0]!.relativeCost);
  });

  it('validates like a query', () => {
    expect(() => explainSoql(src, 'SELECT Foo FROM Account')).toThrow(/No such column 'Foo'/);
  });
});
