// sf.tooling: the same methods on the Tooling API root, through the same session.

import { describe, expect, it } from 'vitest';
import { useOrg } from './helpers.js';

const org = useOrg();
const T = '/services/data/v64.0/tooling/';

describe('sf.tooling', () => {
  it('queries and writes Tooling objects under /tooling/, and the data root stays the data root', async () => {
    const { emu, sf } = org();
    emu.tooling.store.insert('ApexClass', { Name: 'Greeter', Body: 'public class Greeter {}' });
    emu.resetRequests();
    const classes = await sf.tooling.query<{ Name: string }>('SELECT Id, Name FROM ApexClass');
    expect(classes.records.map((c) => c.Name)).toContain('Greeter');
    const { id } = await sf.tooling
      .sobject('ApexClass')
      .create({ Name: 'Other', Body: 'public class Other {}' });
    expect(emu.tooling.store.get('ApexClass', id)?.Name).toBe('Other');
    const global = await sf.tooling.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('ApexClass');
    for (const r of emu.requests) expect(r.path.startsWith(T)).toBe(true);
    expect(sf.tooling.connection.dataPath).toBe('/services/data/v64.0/tooling/');
    expect(sf.connection.dataPath).toBe('/services/data/v64.0/');
  });

  it('sf.tooling.executeAnonymous and sf.executeAnonymous run Apex and answer its result', async () => {
    const { emu, sf } = org();
    emu.tooling.answerExecuteAnonymous({ compileProblem: "Unexpected token 'x'.", line: 1, column: 5 });
    const failed = await sf.tooling.executeAnonymous('x x;');
    expect(failed).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: "Unexpected token 'x'.",
      line: 1,
    });
    const ok = await sf.executeAnonymous("System.debug('hi');");
    expect(ok).toMatchObject({ compiled: true, success: true });
  });
});
