// Injection through the builder and the tag (issue 11, items 7 to 10), over HTTP against the
// emulator where a request is involved.
import { createConnection, isSalesforceError } from '@sf/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSoql, find, renderConditions, SoqlDate, SoqlLike, soql, trusted } from '../src/index.js';
import { queryRequests, useOrg } from './helpers.js';

const org = useOrg();

interface Named {
  Id: string;
  Name: string;
}

function invalidArgument(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected INVALID_ARGUMENT, nothing was thrown');
}

const names = async (q: PromiseLike<{ records: Named[] }>) => (await q).records.map((r) => r.Name).sort();

describe('sanitizeFilter: operator injection through find() (item 7)', () => {
  beforeAll(() => {
    const { emu } = org();
    emu.store.insert('Account', { Name: 'Inj Acme', Site: 'inj' });
    emu.store.insert('Account', { Name: 'Inj Globex', Site: 'inj' });
  });

  // What a JSON body from the outside can hold where a name was expected.
  const body = JSON.parse('{"name": {"$ne": null}}') as { name: string };

  it('without sanitizeFilter a JSON operator object becomes an operator (the documented hazard)', async () => {
    const { conn } = org();
    expect(find(conn, 'Account', { Name: body.name }).toSOQL()).toBe(
      'SELECT Id FROM Account WHERE Name != null',
    );
  });

  it('with sanitizeFilter: true in the options, it is refused with INVALID_ARGUMENT and nothing is sent', async () => {
    const { conn, emu } = org();
    const before = queryRequests(emu);
    const message = invalidArgument(() =>
      find(conn, 'Account', { Name: body.name, Site: 'inj' }, ['Id', 'Name'], { sanitizeFilter: true }),
    );
    expect(message).toMatch(/^\[@sf\/query\] .*"Name".*trusted/);
    expect(queryRequests(emu)).toBe(before);
  });

  it('a connection made with sanitizeFilter: true (and its withAuth copies) refuses it for every find', async () => {
    const { emu } = org();
    const token = emu.issueToken().accessToken;
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: token,
      retry: false,
      sanitizeFilter: true,
    });
    expect(conn.sanitizeFilter).toBe(true);
    const before = queryRequests(emu);
    invalidArgument(() => find(conn, 'Account', { Name: body.name }));
    invalidArgument(() => find(conn.withAuth(emu.issueToken().accessToken), 'Account', { Name: body.name }));
    expect(queryRequests(emu)).toBe(before);
    // Plain values still work, and the per-call option can switch it off for trusted callers.
    expect(await names(find<Named>(conn, 'Account', { Name: 'Inj Acme' }, ['Id', 'Name']))).toEqual([
      'Inj Acme',
    ]);
    expect(find(conn, 'Account', { Name: body.name }, 'Id', { sanitizeFilter: false }).toSOQL()).toMatch(
      /!= null/,
    );
  });

  it('every JSON-made object with $ keys is refused: in $or/$and/$not, lists, literals and LIKE patterns', () => {
    const { conn } = org();
    const s = { sanitizeFilter: true };
    const json = (text: string) => JSON.parse(text) as never;
    invalidArgument(() => find(conn, 'Account', { $or: [{ Name: json('{"$ne": null}') }] }, 'Id', s));
    invalidArgument(() =>
      find(conn, 'Account', { $and: [{ Site: 'inj' }, { Name: json('{"$gt": ""}') }] }, 'Id', s),
    );
    invalidArgument(() => find(conn, 'Account', { $not: { Name: json('{"$in": ["x"]}') } }, 'Id', s));
    invalidArgument(() => find(conn, 'Account', { Name: json('{"$literal": "TODAY"}') }, 'Id', s));
    invalidArgument(() =>
      find(conn, 'Account', { Name: json('{"$likeText": "", "anchor": "contains"}') }, 'Id', s),
    );
    invalidArgument(() => find(conn, 'Account', { Name: ['a', json('{"$ne": null}')] }, 'Id', s));
    invalidArgument(() => find(conn, 'Account', { Account: { Name: json('{"$ne": null}') } }, 'Id', s));
    invalidArgument(() =>
      find(conn, 'Account', { Account: json('{"Name": "x", "$or": [{"Id": "1"}]}') }, 'Id', s),
    );
    // trusted() vouches for its own object only: values inside it are still checked.
    invalidArgument(() =>
      find(conn, 'Account', { Name: trusted({ $in: ['a', json('{"$literal": "TODAY"}')] }) }, 'Id', s),
    );
    invalidArgument(() =>
      find(conn, 'Account', { Name: trusted({ $eq: json('{"$literal": "TODAY"}') }) }, 'Id', s),
    );
  });

  it('trusted(...) operators, SoqlDate and SoqlLike values and plain data pass under sanitizeFilter', async () => {
    const { conn } = org();
    const s = { sanitizeFilter: true };
    const run = (conditions: Parameters<typeof find>[2]) =>
      names(find<Named>(conn, 'Account', conditions, ['Id', 'Name'], s));
    expect(await run({ Name: trusted({ $ne: null }), Site: 'inj' })).toEqual(['Inj Acme', 'Inj Globex']);
    expect(await run({ Name: ['Inj Acme', 'Nobody'], Site: 'inj' })).toEqual(['Inj Acme']);
    expect(await run({ $or: [{ Name: 'Inj Acme' }, { Name: 'Inj Globex' }] })).toEqual([
      'Inj Acme',
      'Inj Globex',
    ]);
    expect(await run({ Name: trusted({ $like: SoqlLike.endsWith('Globex') }), Site: 'inj' })).toEqual([
      'Inj Globex',
    ]);
    expect(await run({ Name: trusted({ $not: { $like: '%Acme' } }), Site: 'inj' })).toEqual(['Inj Globex']);
    expect(await run({ CreatedDate: trusted({ $gte: SoqlDate.LAST_N_DAYS(1) }), Site: 'inj' })).toHaveLength(
      2,
    );
    expect(await run({ CreatedDate: SoqlDate.TOMORROW, Site: 'inj' })).toEqual([]);
    expect(find(conn, 'Contact', { Account: { Name: 'Inj Acme' } }, 'Id', s).toSOQL()).toBe(
      "SELECT Id FROM Contact WHERE Account.Name = 'Inj Acme'",
    );
    expect(
      find(
        conn,
        'Contact',
        { Account: trusted({ Site: 'inj', $or: [{ Name: 'A' }, { Name: 'B' }] }) },
        'Id',
        s,
      ).toSOQL(),
    ).toBe(
      "SELECT Id FROM Contact WHERE (Account.Site = 'inj') AND ((Account.Name = 'A') OR (Account.Name = 'B'))",
    );
  });

  it('renderConditions and buildSoql take sanitizeFilter too', () => {
    invalidArgument(() => renderConditions({ Name: body.name }, { sanitizeFilter: true }));
    invalidArgument(() =>
      buildSoql({ sobject: 'Account', conditions: { Name: body.name }, sanitizeFilter: true }),
    );
    expect(renderConditions({ Name: trusted({ $ne: null }) }, { sanitizeFilter: true })).toBe('Name != null');
  });
});

describe('$or, $and and $not under a relationship keep its prefix (item 8)', () => {
  beforeAll(() => {
    const { emu } = org();
    const acme = emu.store.insert('Account', { Name: 'Rel Acme', Industry: 'Rel' });
    const globex = emu.store.insert('Account', { Name: 'Rel Globex', Industry: 'Rel' });
    const initech = emu.store.insert('Account', { Name: 'Rel Initech', Industry: 'Rel' });
    emu.store.insert('Contact', { LastName: 'RelA', AccountId: acme });
    emu.store.insert('Contact', { LastName: 'RelG', AccountId: globex });
    emu.store.insert('Contact', { LastName: 'RelI', AccountId: initech });
  });

  it('renders Account.Name inside the OR', () => {
    expect(
      renderConditions({ Account: { OwnerId: '005A', $or: [{ Name: 'Acme' }, { Name: 'Globex' }] } }),
    ).toBe("(Account.OwnerId = '005A') AND ((Account.Name = 'Acme') OR (Account.Name = 'Globex'))");
    expect(
      renderConditions({
        Account: { $and: [{ Name: 'A' }, { Owner: { $or: [{ Name: 'B' }, { Alias: 'c' }] } }] },
      }),
    ).toBe("(Account.Name = 'A') AND ((Account.Owner.Name = 'B') OR (Account.Owner.Alias = 'c'))");
    expect(renderConditions({ Account: { Industry: 'x', $not: { Name: 'A' } } })).toBe(
      "(Account.Industry = 'x') AND ((NOT (Account.Name = 'A')))",
    );
    expect(renderConditions({ Account: { $or: [{ Name: 'A' }, { Name: 'B' }] } })).toBe(
      "(Account.Name = 'A') OR (Account.Name = 'B')",
    );
  });

  it('filters on the related object against the emulator', async () => {
    const { conn } = org();
    const byOr = await find<{ LastName: string }>(
      conn,
      'Contact',
      { Account: { Industry: 'Rel', $or: [{ Name: 'Rel Acme' }, { Name: 'Rel Globex' }] } },
      ['LastName'],
    ).sort('LastName');
    expect(byOr.records.map((r) => r.LastName)).toEqual(['RelA', 'RelG']);
    const byNot = await find<{ LastName: string }>(
      conn,
      'Contact',
      { Account: { Industry: 'Rel', $not: { Name: 'Rel Acme' } } },
      ['LastName'],
    ).sort('LastName');
    expect(byNot.records.map((r) => r.LastName)).toEqual(['RelG', 'RelI']);
  });
});

describe('soql tag: a placeholder inside quotes (item 9)', () => {
  it('throws INVALID_ARGUMENT when a placeholder sits inside an open quote', () => {
    const x = "x' OR Name != '";
    expect(invalidArgument(() => soql`SELECT Id FROM Account WHERE Name = '${x}'`)).toMatch(/quote/);
    invalidArgument(() => soql`SELECT Id FROM Account WHERE Name LIKE '%${x}%'`);
    invalidArgument(() => soql`SELECT Id FROM Account WHERE Name = 'O\\'${x}'`);
    invalidArgument(() => soql`SELECT Id FROM Account WHERE Site = ${'a'} AND Name = 'b${x}'`);
  });

  it('placeholders outside quotes work, also after strings with escaped quotes in the template', () => {
    expect(soql`SELECT Id FROM Account WHERE Name = 'O\\'Brien' AND Site = ${"it's"}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'O\\'Brien' AND Site = 'it\\'s'",
    );
    expect(soql`SELECT Id FROM Account WHERE Name = 'a\\\\' AND Site = ${'b'}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'a\\\\' AND Site = 'b'",
    );
    expect(soql`SELECT Id FROM Account WHERE Name LIKE ${SoqlLike.contains('50%')}`).toBe(
      "SELECT Id FROM Account WHERE Name LIKE '%50\\%%'",
    );
  });
});

describe('numbers are written exactly or refused (item 10)', () => {
  it('1.5e-25 and 1e21 are written as exact plain decimals, never as another value', () => {
    expect(renderConditions({ AnnualRevenue: 1.5e-25 })).toBe('AnnualRevenue = 0.00000000000000000000000015');
    expect(renderConditions({ AnnualRevenue: -1.5e-7 })).toBe('AnnualRevenue = -0.00000015');
    expect(renderConditions({ AnnualRevenue: 1e21 })).toBe('AnnualRevenue = 1000000000000000000000');
    expect(renderConditions({ AnnualRevenue: 1.2345e22 })).toBe('AnnualRevenue = 12345000000000000000000');
    expect(soql`SELECT Id FROM Account WHERE AnnualRevenue = ${5e-324}`).toBe(
      `SELECT Id FROM Account WHERE AnnualRevenue = 0.${'0'.repeat(323)}5`,
    );
    invalidArgument(() => renderConditions({ AnnualRevenue: Number.NaN }));
    invalidArgument(() => renderConditions({ AnnualRevenue: Number.POSITIVE_INFINITY }));
  });

  it('property: any double renders as a SOQL number literal that parses back to the same number, or throws', () => {
    fc.assert(
      fc.property(fc.double(), (n) => {
        let literal: string;
        try {
          literal = soql`${n}`;
        } catch (error) {
          expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
          expect(Number.isFinite(n)).toBe(false);
          return;
        }
        expect(literal).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(literal)).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 2000 },
    );
  });

  it('a query for 1.5e-25 finds that record, not the records holding 0 (emulator)', async () => {
    const { conn, emu } = org();
    emu.store.insert('Account', { Name: 'Num zero', Site: 'num', AnnualRevenue: 0 });
    emu.store.insert('Account', { Name: 'Num tiny', Site: 'num', AnnualRevenue: 1.5e-25 });
    expect(
      await names(find<Named>(conn, 'Account', { Site: 'num', AnnualRevenue: 1.5e-25 }, ['Id', 'Name'])),
    ).toEqual(['Num tiny']);
  });
});
