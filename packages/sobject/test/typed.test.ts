// Typed records: `sobject<Account>(conn, 'Account')` types inputs and results.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { type SaveSuccess, sobject } from '../src/index.js';
import { useOrg } from './helpers.js';

interface Account {
  Id?: string;
  Name?: string;
  Industry?: string | null;
}

describe('typed records', () => {
  const org = useOrg();

  it('inputs are checked and results typed', async () => {
    const { conn } = org();
    const Account = sobject<Account>(conn, 'Account');
    const created = await Account.create({ Name: 'Typed' });
    // A single record's failure rejects, so what resolves has its id: no `id!` in user code.
    expectTypeOf(created).toEqualTypeOf<SaveSuccess>();
    expectTypeOf(created.id).toEqualTypeOf<string>();
    expectTypeOf((await Account.update({ Id: created.id, Name: 'Typed' })).id).toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field is a type error
    await Account.create({ Nmae: 'x' }).catch(() => undefined);
    const read = await Account.retrieve(created.id, { fields: ['Name'] });
    expectTypeOf(read.Name).toEqualTypeOf<string | undefined>();
    expect(read.Name).toBe('Typed');
    const many = await Account.retrieve([created.id]);
    expectTypeOf(many).toEqualTypeOf<((Account & { attributes: { type: string; url: string } }) | null)[]>();
    const tracked = Account.createRecord({ Name: 'T' });
    tracked.Industry = 'Energy';
    expect(tracked.changedFields()).toEqual(['Name', 'Industry']);
  });
});
