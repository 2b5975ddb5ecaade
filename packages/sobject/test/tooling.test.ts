// The Tooling API through the same functions: sobject(), describe and composite on conn.tooling
// go to /services/data/vNN.N/tooling/, and executeAnonymous answers compile problems and
// exceptions as results (Salesforce answers them with 200).
import { isSalesforceError } from '@sf/core';
import {
  clearDescribeCache,
  composite,
  compositeBatch,
  describe as describeSObject,
  describeGlobal,
  executeAnonymous,
  sobject,
} from '@sf/sobject';
import { describe, expect, it } from 'vitest';
import { useOrg } from './helpers.js';

const org = useOrg();
const T = '/services/data/v64.0/tooling';

describe('sobject on conn.tooling', () => {
  it('creates, retrieves, updates and deletes an ApexClass on the Tooling root', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const ApexClass = sobject(conn.tooling, 'ApexClass');
    const { id } = await ApexClass.create({ Name: 'Greeter', Body: 'public class Greeter {}' });
    expect(id).toMatch(/^01p/);
    const got = await ApexClass.retrieve(id);
    expect(got).toMatchObject({ Id: id, Name: 'Greeter', Status: 'Active' });
    await ApexClass.update({ Id: id, ApiVersion: 64 });
    expect((await ApexClass.retrieve(id)).ApiVersion).toBe(64);
    await ApexClass.destroy(id);
    expect(emu.tooling.store.get('ApexClass', id)).toBeUndefined();
    // Every request went to the Tooling root; nothing to the data root.
    expect(emu.requests.length).toBeGreaterThan(0);
    for (const r of emu.requests) expect(r.path.startsWith(`${T}/`)).toBe(true);
  });

  it('describes per root: the describe cache of conn.tooling is its own', async () => {
    const { conn } = org();
    clearDescribeCache(conn);
    clearDescribeCache(conn.tooling);
    const d = await describeSObject(conn.tooling, 'ApexClass');
    expect(d.name).toBe('ApexClass');
    expect(d.fields.map((f) => f.name)).toContain('Body');
    // The data root has no ApexClass in the emulator: the cached Tooling describe must not answer for it.
    const failure = await describeSObject(conn, 'ApexClass').catch((e: unknown) => e);
    expect(isSalesforceError(failure, 'NOT_FOUND')).toBe(true);
    const tooling = await describeGlobal(conn.tooling);
    const data = await describeGlobal(conn);
    expect(tooling.sobjects.map((s) => s.name)).toEqual(['ApexClass', 'ApexTrigger', 'ApexLog']);
    expect(data.sobjects.map((s) => s.name)).toContain('Account');
  });

  it('sends composite subrequests with URLs under the Tooling root', async () => {
    const { conn } = org();
    const { compositeResponse } = await composite(
      conn.tooling,
      [
        {
          method: 'POST',
          url: 'sobjects/ApexClass',
          referenceId: 'cls',
          body: { Name: 'Composite1', Body: 'public class Composite1 {}' },
        },
        { method: 'GET', url: 'sobjects/ApexClass/@{cls.id}', referenceId: 'read' },
      ],
      { allOrNone: true },
    );
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 200]);
    expect(compositeResponse[1]?.body).toMatchObject({ Name: 'Composite1' });

    const batch = await compositeBatch(conn.tooling, [
      {
        method: 'GET',
        url: `query?q=${encodeURIComponent("SELECT Name FROM ApexClass WHERE Name = 'Composite1'")}`,
      },
    ]);
    expect(batch.results[0]?.statusCode).toBe(200);
    expect(batch.results[0]?.result).toMatchObject({ totalSize: 1 });
    // The data root's composite still builds data-root URLs.
    const data = await composite(conn, [
      { method: 'POST', url: 'sobjects/Account', referenceId: 'acc', body: { Name: 'Acme' } },
    ]);
    expect(data.compositeResponse[0]?.httpStatusCode).toBe(201);
  });
});

describe('executeAnonymous', () => {
  it('resolves a successful run', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const result = await executeAnonymous(conn, "System.debug('hello');");
    expect(result).toEqual({
      compiled: true,
      success: true,
      compileProblem: null,
      exceptionMessage: null,
      exceptionStackTrace: null,
      line: -1,
      column: -1,
    });
    expect(emu.tooling.executed.at(-1)).toBe("System.debug('hello');");
    expect(emu.requests.map((r) => r.path)).toEqual([`${T}/executeAnonymous/`]);
  });

  it('resolves a compile problem as a result, with its line and column', async () => {
    const { conn, emu } = org();
    emu.tooling.answerExecuteAnonymous({ compileProblem: "Unexpected token 'x'.", line: 2, column: 9 });
    const result = await executeAnonymous(conn.tooling, 'Integer\n  x x;');
    expect(result).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: "Unexpected token 'x'.",
      line: 2,
      column: 9,
    });
  });

  it('resolves an exception as a result, with its message and stack trace', async () => {
    const { conn, emu } = org();
    emu.tooling.onExecuteAnonymous(() => ({
      exceptionMessage: 'System.MathException: Divide by 0',
      exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
    }));
    try {
      const result = await executeAnonymous(conn, 'Integer i = 1 / 0;', { timeoutMs: 10_000 });
      expect(result).toMatchObject({
        compiled: true,
        success: false,
        exceptionMessage: 'System.MathException: Divide by 0',
        exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
      });
    } finally {
      emu.tooling.onExecuteAnonymous(undefined);
    }
  });

  it('sends characters that need encoding unchanged', async () => {
    const { conn, emu } = org();
    const apex = "String s = 'a&b=c #d %20 +e\u00e9';\nSystem.debug(s);";
    await executeAnonymous(conn, apex);
    expect(emu.tooling.executed.at(-1)).toBe(apex);
  });

  it('refuses an empty body and a callback, and rejects with signal.reason when aborted', async () => {
    const { conn } = org();
    await expect(executeAnonymous(null as never, 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(executeAnonymous(conn, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(executeAnonymous(conn, 1 as unknown as string)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const callback = (() => undefined) as unknown as { signal?: AbortSignal };
    await expect(executeAnonymous(conn, 'x', callback)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const reason = new Error('stop');
    await expect(executeAnonymous(conn, 'x', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('rejects an answer that is not an ExecuteAnonymousResult as MALFORMED_RESPONSE', async () => {
    const { conn, emu } = org();
    // A proxy or a wrong host answering 200 with something else must not read as a success.
    emu.faults.failNext(1, { status: 200, body: { hello: 'world' } }, { path: `${T}/executeAnonymous` });
    await expect(executeAnonymous(conn, 'x')).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });
});
