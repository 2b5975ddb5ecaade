// query() on conn.tooling: the Tooling API's SOQL, paged through nextRecordsUrl under the Tooling
// root, with the data root's connection untouched.
import { query, queryMore } from '@sf/query';
import { describe, expect, it } from 'vitest';
import { useOrg } from './helpers.js';

const org = useOrg();
const T = '/services/data/v64.0/tooling';

describe('query on conn.tooling', () => {
  it('answers SELECT Id, Name FROM ApexClass from the Tooling root', async () => {
    const { conn, emu } = org();
    const id = emu.tooling.store.insert('ApexClass', { Name: 'Greeter', Body: 'public class Greeter {}' });
    emu.resetRequests();
    const page = await query(conn.tooling, 'SELECT Id, Name FROM ApexClass');
    expect(page).toMatchObject({ totalSize: 1, done: true });
    expect(page.records[0]).toMatchObject({ Id: id, Name: 'Greeter' });
    expect(emu.requests.map((r) => r.path)).toEqual([`${T}/query`]);
  });

  it('follows nextRecordsUrl on the Tooling root, and the data root stays the data root', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 250; i++) {
      emu.tooling.store.insert('ApexTrigger', {
        Name: `T${String(i).padStart(3, '0')}`,
        TableEnumOrId: 'Account',
        Body: 'trigger T on Account (before insert) {}',
      });
    }
    emu.store.insert('Account', { Name: 'Data root' });
    emu.resetRequests();
    const names: string[] = [];
    for await (const r of query<{ Name: string }>(
      conn.tooling,
      'SELECT Name FROM ApexTrigger ORDER BY Name',
      {
        batchSize: 200,
      },
    )) {
      names.push(r.Name);
    }
    expect(names).toHaveLength(250);
    expect(names[249]).toBe('T249');
    const paths = emu.requests.map((r) => r.path);
    expect(paths[0]).toBe(`${T}/query`);
    expect(paths[1]).toMatch(/^\/services\/data\/v64\.0\/tooling\/query\/01g[A-Za-z0-9]{15}-200$/);

    // queryMore with a Tooling locator, on either connection, stays on the Tooling root.
    const first = await query(conn.tooling, 'SELECT Name FROM ApexTrigger ORDER BY Name', { batchSize: 200 });
    const more = await queryMore(conn.tooling, first.nextRecordsUrl as string);
    expect(more.records).toHaveLength(50);

    emu.resetRequests();
    const accounts = await query(conn, 'SELECT Name FROM Account');
    expect(accounts.records.map((r) => r.Name)).toEqual(['Data root']);
    expect(emu.requests.map((r) => r.path)).toEqual(['/services/data/v64.0/query']);
  });
});
