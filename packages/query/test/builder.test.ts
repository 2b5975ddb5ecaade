import { describe, expect, it } from 'vitest';
import { buildSoql, escapeSoqlString, renderConditions, SoqlDate, SoqlLike, soql } from '../src/index.js';

describe('renderConditions', () => {
  it('writes each operator', () => {
    expect(renderConditions({ Name: 'a' })).toBe("Name = 'a'");
    expect(renderConditions({ Name: null })).toBe('Name = null');
    expect(renderConditions({ Name: { $ne: null } })).toBe('Name != null');
    expect(renderConditions({ Amount: { $gt: 1, $lte: 5 } })).toBe('(Amount > 1) AND (Amount <= 5)');
    expect(renderConditions({ Amount: { $gte: 1.5, $lt: 1e21 } })).toBe(
      '(Amount >= 1.5) AND (Amount < 1000000000000000000000)',
    );
    expect(renderConditions({ Name: { $like: 'A%' } })).toBe("Name LIKE 'A%'");
    expect(renderConditions({ Name: { $nlike: 'A%' } })).toBe("(NOT (Name LIKE 'A%'))");
    expect(renderConditions({ Id: { $in: ['a', 'b'] } })).toBe("Id IN ('a', 'b')");
    expect(renderConditions({ Id: ['a', 'b'] })).toBe("Id IN ('a', 'b')");
    expect(renderConditions({ Id: { $nin: ['a'] } })).toBe("Id NOT IN ('a')");
    expect(renderConditions({ Tags__c: { $includes: ['a;b', 'c'] } })).toBe("Tags__c INCLUDES ('a;b', 'c')");
    expect(renderConditions({ Tags__c: { $excludes: ['a'] } })).toBe("Tags__c EXCLUDES ('a')");
    expect(renderConditions({ Email: { $exists: true } })).toBe('Email != null');
    expect(renderConditions({ Email: { $exists: false } })).toBe('Email = null');
    expect(renderConditions({ IsActive__c: true })).toBe('IsActive__c = true');
    expect(renderConditions({ Name: { $not: { $like: 'A%' } } })).toBe("(NOT (Name LIKE 'A%'))");
  });

  it('combines with $and, $or, $not and nested relationship paths', () => {
    expect(
      renderConditions({
        $or: [{ Name: 'a' }, { Name: 'b', Type: 'c' }],
        Account: { Owner: { Name: 'Ann' } },
        $not: { Industry: 'Energy' },
      }),
    ).toBe(
      "((Name = 'a') OR ((Name = 'b') AND (Type = 'c'))) AND (Account.Owner.Name = 'Ann') AND ((NOT (Industry = 'Energy')))",
    );
    expect(renderConditions({ $and: [{ 'Account.Name': 'x' }, { Amount: { $gt: 0 } }] })).toBe(
      "(Account.Name = 'x') AND (Amount > 0)",
    );
  });

  it('writes dates and date literals', () => {
    const d = new Date(Date.UTC(2024, 4, 1, 10, 20, 30, 456));
    expect(renderConditions({ CreatedDate: { $gte: d } })).toBe('CreatedDate >= 2024-05-01T10:20:30Z');
    expect(renderConditions({ CloseDate: SoqlDate.date(d) })).toBe('CloseDate = 2024-05-01');
    expect(renderConditions({ CreatedDate: { $gte: SoqlDate.LAST_N_DAYS(3) } })).toBe(
      'CreatedDate >= LAST_N_DAYS:3',
    );
    expect(renderConditions({ CreatedDate: { $lt: SoqlDate.THIS_FISCAL_YEAR } })).toBe(
      'CreatedDate < THIS_FISCAL_YEAR',
    );
    expect(renderConditions({ CreatedDate: { $gte: { $literal: 'YESTERDAY' } } })).toBe(
      'CreatedDate >= YESTERDAY',
    );
    expect(() => renderConditions({ CreatedDate: { $literal: "TODAY OR Name != 'x'" } })).toThrow(
      /not a date literal/,
    );
    expect(() => renderConditions({ CreatedDate: new Date(Number.NaN) })).toThrow(/invalid Date/);
  });

  it('escapes every value; LIKE wildcards only when asked', () => {
    expect(renderConditions({ Name: 'O\'Brien \\ "x"\n\r\t' })).toBe(
      `Name = 'O\\'Brien \\\\ \\"x\\"\\n\\r\\t'`,
    );
    expect(renderConditions({ Name: { $like: '50%_off' } })).toBe("Name LIKE '50%_off'");
    expect(renderConditions({ Name: { $like: SoqlLike.contains("50%_o'ff") } })).toBe(
      "Name LIKE '%50\\%\\_o\\'ff%'",
    );
    expect(renderConditions({ Name: { $like: SoqlLike.startsWith('a_') } })).toBe("Name LIKE 'a\\_%'");
    expect(renderConditions({ Name: { $like: SoqlLike.endsWith('%') } })).toBe("Name LIKE '%\\%'");
    expect(escapeSoqlString('a%b_c', { likeWildcards: true })).toBe('a\\%b\\_c');
  });

  it('refuses names that are not identifiers and values with no SOQL form', () => {
    expect(() => renderConditions({ "Name = 'x' OR Id": 'y' })).toThrow(/not a field name/);
    expect(() => renderConditions({ Name: undefined })).toThrow(/undefined/);
    expect(() => renderConditions({ Name: { $regex: 'x' } as never })).toThrow(/unknown operator/);
    expect(() => renderConditions({ $where: 'x' } as never)).toThrow(/unknown operator/);
    expect(() => renderConditions({ Id: { $in: [] } })).toThrow(/at least one/);
    expect(() => renderConditions({ Amount: Number.NaN })).toThrow(/NaN/);
    expect(() => renderConditions({ Name: { toString: () => 'x' } as never })).toThrow();
  });
});

describe('buildSoql', () => {
  it('builds fields, sort, limit and offset', () => {
    expect(
      buildSoql({
        sobject: 'Contact',
        fields: { Id: 1, Name: 1, 'Account.Name': 1, Email: 0 },
        conditions: { LastName: { $like: 'A%' } },
        sort: '-CreatedDate Name',
        limit: 10,
        offset: 20,
      }),
    ).toBe(
      "SELECT Id, Name, Account.Name FROM Contact WHERE LastName LIKE 'A%' ORDER BY CreatedDate DESC, Name ASC LIMIT 10 OFFSET 20",
    );
    expect(buildSoql({ sobject: 'Account' })).toBe('SELECT Id FROM Account');
    expect(buildSoql({ sobject: 'Account', fields: 'Id, Name', conditions: {} })).toBe(
      'SELECT Id, Name FROM Account',
    );
    expect(buildSoql({ sobject: 'Account', fields: ['FIELDS(standard)'] })).toBe(
      'SELECT FIELDS(STANDARD) FROM Account',
    );
    expect(() => buildSoql({ sobject: 'Account; DELETE' })).toThrow(/sObject name/);
    expect(() => buildSoql({ sobject: 'Account', limit: -1 })).toThrow(/limit/);
    expect(() => buildSoql({ sobject: 'Account', sort: { Name: 2 as never } })).toThrow(/sort direction/);
  });
});

describe('soql tag', () => {
  it('escapes interpolated values', () => {
    const name = "x' OR Name != '";
    expect(soql`SELECT Id FROM Account WHERE Name = ${name}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\''",
    );
    expect(soql`SELECT Id FROM Account WHERE Id IN ${['a', 'b']} AND Amount > ${5} AND IsX = ${false}`).toBe(
      "SELECT Id FROM Account WHERE Id IN ('a', 'b') AND Amount > 5 AND IsX = false",
    );
    expect(
      soql`SELECT Id FROM Account WHERE CreatedDate = ${SoqlDate.TODAY} AND Name LIKE ${SoqlLike.contains('5%')}`,
    ).toBe("SELECT Id FROM Account WHERE CreatedDate = TODAY AND Name LIKE '%5\\%%'");
    expect(() => soql`SELECT Id FROM Account WHERE Name = ${undefined}`).toThrow(/undefined/);
  });
});
