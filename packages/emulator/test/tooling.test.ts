// The Tooling API root over HTTP: the data root's sObject, query and composite resources served
// again over the Tooling store (ApexClass, ApexTrigger, ApexLog) with URLs under
// /services/data/vNN.N/tooling/, executeAnonymous answering what the test says, and debug log bodies.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator();
const T = '/services/data/v64.0/tooling';

describe('Tooling API root', () => {
  it('creates, reads, updates, queries and deletes an ApexClass under the Tooling root', async () => {
    const emu = emulator();
    const created = await api(emu, 'POST', `${T}/sobjects/ApexClass`, {
      body: { Name: 'Greeter', Body: 'public class Greeter {}' },
    });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^01p/);
    const id = created.body.id as string;

    const got = await api(emu, 'GET', `${T}/sobjects/ApexClass/${id}`);
    expect(got.body).toMatchObject({ Name: 'Greeter', Status: 'Active' });
    // URLs in the answer name the Tooling root, as Salesforce's do.
    expect(got.body.attributes.url).toBe(`${T}/sobjects/ApexClass/${id}`);

    expect(
      (await api(emu, 'PATCH', `${T}/sobjects/ApexClass/${id}`, { body: { ApiVersion: 64 } })).status,
    ).toBe(204);

    const page = await api(
      emu,
      'GET',
      `${T}/query?q=${encodeURIComponent('SELECT Id, Name, ApiVersion FROM ApexClass')}`,
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ totalSize: 1, done: true });
    expect(page.body.records[0]).toMatchObject({ Id: id, Name: 'Greeter', ApiVersion: 64 });
    expect(page.body.records[0].attributes.url).toBe(`${T}/sobjects/ApexClass/${id}`);

    expect((await api(emu, 'DELETE', `${T}/sobjects/ApexClass/${id}`)).status).toBe(204);
    expect((await api(emu, 'GET', `${T}/sobjects/ApexClass/${id}`)).status).toBe(404);
  });

  it('keeps the Tooling objects apart from the data root', async () => {
    const emu = emulator();
    // Not on the data root (this emulator's data store has no ApexClass) ...
    expect((await api(emu, 'GET', 'sobjects/ApexClass/describe')).status).toBe(404);
    // ... and the data root's objects are not on the Tooling root.
    expect((await api(emu, 'GET', `${T}/sobjects/Account/describe`)).status).toBe(404);
    const global = await api(emu, 'GET', `${T}/sobjects`);
    expect(global.body.sobjects.map((s: { name: string }) => s.name)).toEqual([
      'ApexClass',
      'ApexTrigger',
      'ApexLog',
    ]);
    const describe = await api(emu, 'GET', `${T}/sobjects/ApexTrigger/describe`);
    expect(describe.body.name).toBe('ApexTrigger');
    expect(describe.body.urls.describe).toBe(`${T}/sobjects/ApexTrigger/describe`);
    expect(describe.body.fields.map((f: { name: string }) => f.name)).toContain('TableEnumOrId');
    const root = await api(emu, 'GET', `${T}/`);
    expect(root.body.executeAnonymous).toBe(`${T}/executeAnonymous`);
  });

  it('pages a Tooling query with nextRecordsUrl under the Tooling root', async () => {
    const emu = emulator();
    for (let i = 0; i < 250; i++) {
      emu.tooling.store.insert('ApexTrigger', {
        Name: `T${String(i).padStart(3, '0')}`,
        TableEnumOrId: 'Account',
        Body: 'trigger',
      });
    }
    const soql = encodeURIComponent('SELECT Name FROM ApexTrigger ORDER BY Name');
    const first = await api(emu, 'GET', `${T}/query?q=${soql}`, {
      headers: { 'sforce-query-options': 'batchSize=200' },
    });
    expect(first.body).toMatchObject({ totalSize: 250, done: false });
    expect(first.body.nextRecordsUrl).toMatch(
      /^\/services\/data\/v64\.0\/tooling\/query\/01g[A-Za-z0-9]{15}-200$/,
    );
    const second = await api(emu, 'GET', first.body.nextRecordsUrl);
    expect(second.body).toMatchObject({ done: true });
    expect(second.body.records[0].Name).toBe('T200');
    // The cursor is the Tooling root's: the data root does not know it.
    expect((await api(emu, 'GET', first.body.nextRecordsUrl.replace('/tooling', ''))).status).toBe(400);
  });

  it('serves ApexLog for query, GET, DELETE and its Body, and refuses to create one', async () => {
    const emu = emulator();
    const id = emu.tooling.addLog('64.0 APEX_CODE,FINEST\nUSER_DEBUG|hello', { Operation: 'Api' });
    const page = await api(
      emu,
      'GET',
      `${T}/query?q=${encodeURIComponent('SELECT Id, LogLength, Operation FROM ApexLog')}`,
    );
    expect(page.body.records[0]).toMatchObject({ Id: id, Operation: 'Api', LogLength: 38 });
    const body = await api(emu, 'GET', `${T}/sobjects/ApexLog/${id}/Body`);
    expect(body.status).toBe(200);
    expect(body.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(body.text).toBe('64.0 APEX_CODE,FINEST\nUSER_DEBUG|hello');
    const refused = await api(emu, 'POST', `${T}/sobjects/ApexLog`, { body: { Operation: 'x' } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect((await api(emu, 'DELETE', `${T}/sobjects/ApexLog/${id}`)).status).toBe(204);
    expect((await api(emu, 'GET', `${T}/sobjects/ApexLog/${id}/Body`)).status).toBe(404);
  });

  it('answers executeAnonymous with success by default, then as told (queue first, then handler)', async () => {
    const emu = emulator();
    const run = (apex: string) =>
      api(emu, 'GET', `${T}/executeAnonymous/?anonymousBody=${encodeURIComponent(apex)}`);
    const ok = await run("System.debug('hi');");
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      line: -1,
      column: -1,
      compiled: true,
      success: true,
      compileProblem: null,
      exceptionStackTrace: null,
      exceptionMessage: null,
    });
    emu.tooling.answerExecuteAnonymous({ compileProblem: "Unexpected token 'x'.", line: 1, column: 7 });
    emu.tooling.onExecuteAnonymous((body) =>
      body.includes('throw')
        ? {
            exceptionMessage: 'System.MathException: Divide by 0',
            exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
          }
        : undefined,
    );
    const compile = await run('Integer x');
    expect(compile.status).toBe(200);
    expect(compile.body).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: "Unexpected token 'x'.",
      line: 1,
      column: 7,
    });
    const thrown = await run('throw new X();');
    expect(thrown.body).toMatchObject({
      compiled: true,
      success: false,
      exceptionMessage: 'System.MathException: Divide by 0',
    });
    expect((await run('Integer y = 1;')).body.success).toBe(true);
    // Without the trailing slash too (jsforce's form).
    expect((await api(emu, 'GET', `${T}/executeAnonymous?anonymousBody=1`)).body.success).toBe(true);
    expect(emu.tooling.executed.slice(-3)).toEqual(['throw new X();', 'Integer y = 1;', '1']);
    emu.tooling.onExecuteAnonymous(undefined);
    expect(
      (await api(emu, 'GET', `${T}/executeAnonymous?anonymousBody=${encodeURIComponent('throw x;')}`)).body
        .success,
    ).toBe(true);
    expect((await api(emu, 'GET', `${T}/executeAnonymous?anonymousBody=1`, { token: 'bad' })).status).toBe(
      401,
    );
  });

  it('runs composite and composite batch subrequests against the Tooling store', async () => {
    const emu = emulator();
    const res = await api(emu, 'POST', `${T}/composite`, {
      body: {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `${T}/sobjects/ApexClass`,
            referenceId: 'cls',
            body: { Name: 'C1', Body: 'public class C1 {}' },
          },
          { method: 'GET', url: `${T}/sobjects/ApexClass/@{cls.id}`, referenceId: 'read' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual([
      201, 200,
    ]);
    expect(res.body.compositeResponse[1].body.Name).toBe('C1');
    const batch = await api(emu, 'POST', `${T}/composite/batch`, {
      body: {
        batchRequests: [
          { method: 'GET', url: `v64.0/tooling/query?q=${encodeURIComponent('SELECT Name FROM ApexClass')}` },
        ],
      },
    });
    expect(batch.body.results[0].statusCode).toBe(200);
    expect(batch.body.results[0].result.records.map((r: { Name: string }) => r.Name)).toContain('C1');
  });

  it('keeps composite subrequests on the root of their composite', async () => {
    const emu = emulator();
    // A Tooling subrequest in a data-root composite, and the reverse, are refused.
    const data = await api(emu, 'POST', 'composite', {
      body: {
        compositeRequest: [{ method: 'GET', url: `${T}/sobjects/ApexClass/describe`, referenceId: 'a' }],
      },
    });
    const tooling = await api(emu, 'POST', `${T}/composite`, {
      body: {
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v64.0/sobjects/Account',
            referenceId: 'a',
            body: { Name: 'x' },
          },
        ],
      },
    });
    for (const res of [data, tooling]) {
      const statuses =
        res.status === 200
          ? res.body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)
          : [res.status];
      expect(statuses).toEqual([400]);
    }
    expect([...emu.store.rows('Account', { includeDeleted: true })].some((r) => r.Name === 'x')).toBe(false);
  });
});
