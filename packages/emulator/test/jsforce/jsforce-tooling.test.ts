// jsforce 3.10.16's `conn.tooling` against the emulator's Tooling root: a client nobody here
// wrote builds its own Tooling URLs (`/services/data/vNN.N/tooling/...`, executeAnonymous
// without the trailing slash) and reads the answers.
import { describe, expect, it } from 'vitest';
import { type Connection, oauthLogin, useEmulator } from './jsforce-setup.js';

describe('jsforce: Tooling API', () => {
  const emu = useEmulator();
  let conn: Connection;

  it('tooling.sobject(...).create, retrieve and destroy an ApexClass; tooling.query reads it', async () => {
    conn = await oauthLogin(emu());
    const created = await conn.tooling
      .sobject('ApexClass')
      .create({ Name: 'JsforceClass', Body: 'public class JsforceClass {}' });
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^01p/) });
    const id = (created as { id: string }).id;
    const got = await conn.tooling.sobject('ApexClass').retrieve(id);
    expect(got).toMatchObject({ Name: 'JsforceClass' });
    const result = await conn.tooling.query<{ Id: string; Name: string }>('SELECT Id, Name FROM ApexClass');
    expect(result.records.map((r) => r.Name)).toEqual(['JsforceClass']);
    await conn.tooling.sobject('ApexClass').destroy(id);
    expect(emu().tooling.store.get('ApexClass', id)).toBeUndefined();
  });

  it('tooling.describe and describeGlobal list the Tooling objects', async () => {
    const d = await conn.tooling.describe('ApexTrigger');
    expect(d.name).toBe('ApexTrigger');
    const g = await conn.tooling.describeGlobal();
    expect(g.sobjects.map((s) => s.name)).toEqual(['ApexClass', 'ApexTrigger', 'ApexLog']);
  });

  it('tooling.executeAnonymous resolves success, and a compile problem as told', async () => {
    const ok = await conn.tooling.executeAnonymous("System.debug('hi');");
    expect(ok).toMatchObject({ compiled: true, success: true, line: -1, column: -1 });
    emu().tooling.answerExecuteAnonymous({ compileProblem: 'Unexpected token', line: 1, column: 3 });
    const bad = await conn.tooling.executeAnonymous('x x');
    expect(bad).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: 'Unexpected token',
      line: 1,
      column: 3,
    });
    expect(emu().tooling.executed.slice(-2)).toEqual(["System.debug('hi');", 'x x']);
  });
});
