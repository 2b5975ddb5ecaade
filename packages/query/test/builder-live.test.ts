// The builder and the tag against the emulator's SOQL parser, over HTTP.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { find, query, SoqlDate, SoqlLike, soql } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();

interface Named {
  Id: string;
  Name: string;
}

describe('builder against the emulator', () => {
  let acme: string;
  beforeAll(() => {
    const { emu } = org();
    acme = emu.store.insert('Account', { Name: 'Acme', Industry: 'Energy', NumberOfEmployees: 50 });
    emu.store.insert('Account', { Name: 'Acme 50% off', Industry: 'Retail', NumberOfEmployees: 5 });
    emu.store.insert('Account', { Name: 'Beta', NumberOfEmployees: 500 });
    emu.store.insert('Contact', { LastName: 'Ann', AccountId: acme });
  });

  const names = async (q: PromiseLike<{ records: Named[] }>) => (await q).records.map((r) => r.Name).sort();

  it('runs each operator', async () => {
    const { conn } = org();
    const run = (conditions: Parameters<typeof find>[2]) =>
      names(find<Named>(conn, 'Account', conditions, ['Id', 'Name']));
    expect(await run({ Name: { $like: 'Acme%' } })).toEqual(['Acme', 'Acme 50% off']);
    expect(await run({ Name: { $nlike: 'Acme%' } })).toEqual(['Beta']);
    expect(await run({ Name: { $like: SoqlLike.contains('50%') } })).toEqual(['Acme 50% off']);
    expect(await run({ Name: { $like: SoqlLike.contains('0%') }, NumberOfEmployees: { $lt: 100 } })).toEqual([
      'Acme 50% off',
    ]);
    expect(await run({ Industry: { $exists: false } })).toEqual(['Beta']);
    expect(await run({ Industry: { $in: ['Energy', 'Retail'] } })).toEqual(['Acme', 'Acme 50% off']);
    expect(await run({ Industry: { $nin: ['Energy'] } })).toEqual(['Acme 50% off', 'Beta']);
    expect(await run({ $or: [{ NumberOfEmployees: { $gte: 500 } }, { Industry: 'Energy' }] })).toEqual([
      'Acme',
      'Beta',
    ]);
    expect(await run({ $not: { Name: { $like: 'Acme%' } }, NumberOfEmployees: { $ne: null } })).toEqual([
      'Beta',
    ]);
    expect(await run({ Name: { $not: { $in: ['Acme', 'Beta'] } } })).toEqual(['Acme 50% off']);
    expect(await run({ CreatedDate: { $gte: SoqlDate.LAST_N_DAYS(1) }, Name: 'Acme' })).toEqual(['Acme']);
    expect(await run({ CreatedDate: { $lt: new Date(Date.now() - 86_400_000) } })).toEqual([]);
  });

  it('follows relationship paths, nested or dotted', async () => {
    const { conn } = org();
    const dotted = await find(conn, 'Contact', { 'Account.Industry': 'Energy' }, [
      'LastName',
      'Account.Name',
    ]);
    const nested = await find(conn, 'Contact', { Account: { Industry: 'Energy' } }, [
      'LastName',
      'Account.Name',
    ]);
    expect(dotted.records).toEqual(nested.records);
    expect(dotted.records[0]).toMatchObject({ LastName: 'Ann', Account: { Name: 'Acme' } });
  });

  it('sorts, limits and skips', async () => {
    const { conn } = org();
    const r = await find<Named>(conn, 'Account', {}, 'Name').sort({ Name: -1 }).limit(2).skip(1);
    expect(r.records.map((x) => x.Name)).toEqual(['Acme 50% off', 'Acme']);
  });

  it('property: user input in a value cannot change the query (builder, tag, LIKE)', async () => {
    const { conn, emu } = org();
    const dangerous = fc.constantFrom(
      "'",
      '"',
      '\\',
      '%',
      '_',
      '\n',
      '\r',
      '\t',
      ' OR ',
      ')',
      '(',
      "' OR Name != '",
      "\\'",
      '--',
      ';',
    );
    const text = fc
      .array(fc.oneof(dangerous, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((parts) => `${parts.join('')}`.slice(0, 80))
      .filter((s) => s.length > 0);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (name) => {
        const tag = `prop-${n++}`;
        // A decoy whose name is a prefix of the value, so a query widened by the input would see it.
        emu.store.insert('Account', { Name: `${name}x`, Site: tag });
        const id = emu.store.insert('Account', { Name: name, Site: tag });
        const byBuilder = await find<Named>(conn, 'Account', { Name: name, Site: tag }, ['Id', 'Name']);
        expect(byBuilder.records.map((r) => r.Id)).toEqual([id]);
        const byTag = await query<Named>(
          conn,
          soql`SELECT Id, Name FROM Account WHERE Name = ${name} AND Site = ${tag}`,
        );
        expect(byTag.records.map((r) => r.Id)).toEqual([id]);
        const byLike = await find<Named>(
          conn,
          'Account',
          { Name: { $like: SoqlLike.exact(name) }, Site: tag },
          ['Id'],
        );
        expect(byLike.records.map((r) => r.Id)).toEqual([id]);
        const byContains = await find<Named>(
          conn,
          'Account',
          { Name: { $like: SoqlLike.startsWith(name) }, Site: tag },
          ['Id'],
        );
        expect(byContains.records.map((r) => r.Id).sort()).toHaveLength(2);
      }),
      { numRuns: 150 },
    );
  });
});
