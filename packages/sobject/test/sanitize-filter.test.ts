// sanitizeFilter through the sObject's find, findOne, findTracked and count (issue 11, item 7):
// a JSON body's `{"$ne": null}` where a name was expected is refused, nothing is sent.
import { createConnection, isSalesforceError } from '@sf/core';
import { trusted } from '@sf/query';
import { beforeAll, describe, expect, it } from 'vitest';
import { sobject } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();
const body = JSON.parse('{"name": {"$ne": null}}') as { name: string };

async function refused(call: () => unknown): Promise<boolean> {
  try {
    await call();
  } catch (error) {
    return isSalesforceError(error, 'INVALID_ARGUMENT');
  }
  return false;
}

describe('sanitizeFilter in @sf/sobject', () => {
  beforeAll(() => {
    const { emu } = org();
    emu.store.insert('Account', { Name: 'San One', Site: 'san' });
    emu.store.insert('Account', { Name: 'San Two', Site: 'san' });
  });

  it('the option passes through find, findOne, findTracked and count', async () => {
    const { conn, emu } = org();
    const Account = sobject(conn, 'Account');
    const s = { sanitizeFilter: true };
    const before = emu.requests.length;
    expect(await refused(() => Account.find({ Name: body.name }, ['Id'], s))).toBe(true);
    expect(await refused(() => Account.findOne({ Name: body.name }, ['Id'], s))).toBe(true);
    expect(await refused(() => Account.findTracked({ Name: body.name }, ['Id'], s))).toBe(true);
    expect(await refused(() => Account.count({ Name: body.name }, s))).toBe(true);
    expect(emu.requests.length).toBe(before);
    expect(await Account.count({ Name: trusted({ $ne: null }), Site: 'san' }, s)).toBe(2);
    // Without it the operator is taken (the documented hazard).
    expect(await Account.count({ Name: body.name, Site: 'san' })).toBe(2);
  });

  it('a connection made with sanitizeFilter: true refuses it in every one of them', async () => {
    const { emu } = org();
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: false,
      sanitizeFilter: true,
    });
    const Account = sobject(conn, 'Account');
    const before = emu.requests.length;
    expect(await refused(() => Account.find({ Name: body.name }))).toBe(true);
    expect(await refused(() => Account.findOne({ Name: body.name }))).toBe(true);
    expect(await refused(() => Account.findTracked({ Name: body.name }))).toBe(true);
    expect(await refused(() => Account.count({ Name: body.name }))).toBe(true);
    expect(emu.requests.length).toBe(before);
    expect((await Account.findOne({ Name: 'San One' }, ['Name']))?.Name).toBe('San One');
  });
});
