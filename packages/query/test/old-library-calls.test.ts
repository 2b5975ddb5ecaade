// Calls written for node-salesforce or jsforce (shared/seeds/: node-salesforce's README) that
// would otherwise do nothing, silently, fail loudly here or work: a callback as the last
// argument, `.execute(callback)`, an event name a Query never emits, a byte stream piped to.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isSalesforceError } from '@sf/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { explain, find, query, queryAll, queryMore, search } from '../src/index.js';
import { queryRequests, seedAccounts, useOrg } from './helpers.js';

/** A call made from plain JavaScript, with arguments its types do not allow. */
type AnyCall = (...args: unknown[]) => unknown;

const org = useOrg();

beforeAll(() => {
  seedAccounts(org().emu, 450);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** What must happen: INVALID_ARGUMENT naming the promise or Query to use instead. */
function expectCallbackRefused(error: unknown, call: string): void {
  expect(isSalesforceError(error)).toBe(true);
  const e = error as { code: string; message: string };
  expect(e.code).toBe('INVALID_ARGUMENT');
  expect(e.message).toContain('[@sf/query]');
  expect(e.message).toContain(call);
  expect(e.message).toMatch(/takes no callback.*`await`/);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('a callback where node-salesforce took one is refused, nothing sent, never called', () => {
  it('query, queryAll, queryMore and find, with the callback last (also after options)', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const callback = vi.fn();
    const soql = 'SELECT Id FROM Account';
    expectCallbackRefused(
      thrown(() => query(conn, soql, callback as never)),
      'query()',
    );
    expectCallbackRefused(
      thrown(() => (query as AnyCall)(conn, soql, {}, callback)),
      'query()',
    );
    expectCallbackRefused(
      thrown(() => queryAll(conn, soql, callback as never)),
      'queryAll()',
    );
    expectCallbackRefused(
      thrown(() => queryMore(conn, '/services/data/v64.0/query/01gX-2000', callback as never)),
      'queryMore()',
    );
    expectCallbackRefused(
      thrown(() => find(conn, 'Account', {}, callback as never)),
      'find()',
    );
    expectCallbackRefused(
      thrown(() => find(conn, 'Account', {}, ['Id'], callback as never)),
      'find()',
    );
    expectCallbackRefused(
      thrown(() => (find as AnyCall)(conn, 'Account', {}, ['Id'], {}, callback)),
      'find()',
    );
    expect(callback).not.toHaveBeenCalled();
    expect(queryRequests(emu)).toBe(0);
  });

  it('search and explain reject', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const callback = vi.fn();
    const s = await search(conn, 'FIND {Account}', callback as never).catch((e: unknown) => e);
    expectCallbackRefused(s, 'search()');
    const x = await (
      (explain as AnyCall)(conn, 'SELECT Id FROM Account', {}, callback) as Promise<unknown>
    ).catch((e: unknown) => e);
    expectCallbackRefused(x, 'explain()');
    expect(callback).not.toHaveBeenCalled();
    expect(emu.requests.length).toBe(0);
  });

  it('run(callback) throws before anything is sent', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const q = query(conn, 'SELECT Id FROM Account');
    expectCallbackRefused(
      thrown(() => q.run((() => {}) as never)),
      'run()',
    );
    expect(queryRequests(emu)).toBe(0);
  });
});

describe('execute(), as in node-salesforce: find(...).sort(...).execute(...)', () => {
  it('execute() works and resolves as awaiting does; execute({ autoFetch }) reads every page', async () => {
    const { conn } = org();
    const first = await find(conn, 'Account', { Name: { $like: 'Account%' } }, ['Id', 'Name'], {
      batchSize: 200,
    })
      .sort({ Name: 1 })
      .execute();
    expect(first.totalSize).toBe(450);
    expect(first.records).toHaveLength(200);
    const all = await query(conn, 'SELECT Id FROM Account', { batchSize: 200 }).execute({
      autoFetch: true,
      maxFetch: 300,
    });
    expect(all.records).toHaveLength(300);
    expect(all.done).toBe(false);
  });

  it('execute(callback) throws INVALID_ARGUMENT naming await, and sends nothing', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const callback = vi.fn();
    const q = find(conn, 'Account', {}, ['Id']).sort({ CreatedDate: -1 });
    expectCallbackRefused(
      thrown(() => q.execute(callback as never)),
      'execute()',
    );
    expectCallbackRefused(
      thrown(() => (q.execute as AnyCall)({}, callback)),
      'execute()',
    );
    expect(callback).not.toHaveBeenCalled();
    expect(queryRequests(emu)).toBe(0);
  });
});

describe('an event a Query never emits warns once, naming the events it has', () => {
  it("on('data') and once('response') warn once each; known events do not", () => {
    const { conn } = org();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    // As plain JavaScript calls them: any event name.
    type Untyped = {
      on(event: string, listener: () => void): Untyped;
      once(event: string, listener: () => void): Untyped;
    };
    const q = query(conn, 'SELECT Id FROM Account');
    q.on('record', () => {}).on('end', () => {});
    (q as unknown as Untyped).on('data', () => {}).on('data', () => {});
    (query(conn, 'SELECT Id FROM Account') as unknown as Untyped).once('response', () => {});
    const messages = warn.mock.calls.map((c) => String(c[0]));
    expect(messages.filter((m) => m.includes("'data'"))).toHaveLength(1);
    expect(messages.filter((m) => m.includes("'response'"))).toHaveLength(1);
    expect(messages[0]).toMatch(/\[@sf\/query\].*record.*fetch.*end.*error/);
    expect(messages.join('\n')).not.toMatch(/no '(record|end)' event/);
    expect(messages[0]).toContain("listen to 'record' instead");
  });
});

describe("pipeline(query, writable): Node's own stream listeners are no old names", () => {
  it("warns about nothing ('close' and 'finish' are what pipeline itself listens for)", async () => {
    const { conn } = org();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    let written = 0;
    await pipeline(
      query(conn, 'SELECT Id FROM Account') as unknown as AsyncIterable<unknown>,
      new Writable({
        objectMode: true,
        write: (_record, _e, cb) => {
          written += 1;
          cb();
        },
      }),
    );
    expect(written).toBe(450);
    expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('[@sf/query]'))).toEqual([]);
  });
});

describe('pipe() to a byte stream (node-salesforce piped stream() to a file)', () => {
  it('throws INVALID_ARGUMENT naming toCSV(), before anything is sent', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const bytes = new Writable({ write: (_c, _e, cb) => cb() });
    const error = thrown(() => query(conn, 'SELECT Id FROM Account').pipe(bytes));
    expect(isSalesforceError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain('toCSV()');
    expect(queryRequests(emu)).toBe(0);
  });
});

describe("node-salesforce's query(...).stream().pipe(csvFile): stream() now gives records", () => {
  it('stream().pipe(byte stream) throws INVALID_ARGUMENT naming toCSV(), nothing sent', () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const bytes = new Writable({ write: (_c, _e, cb) => cb() });
    const error = thrown(() => query(conn, 'SELECT Id FROM Account').stream().pipe(bytes));
    expect(isSalesforceError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain('toCSV()');
    expect(queryRequests(emu)).toBe(0);
  });

  it('pipeline(stream(), byte stream) rejects with it; stream() into an object-mode writable still works', async () => {
    const { conn } = org();
    const bytes = new Writable({ write: (_c, _e, cb) => cb() });
    const error = await pipeline(query(conn, 'SELECT Id FROM Account').stream(), bytes).catch(
      (e: unknown) => e,
    );
    expect(isSalesforceError(error) && error.code).toBe('INVALID_ARGUMENT');
    let n = 0;
    await pipeline(
      query(conn, 'SELECT Id FROM Account').stream(),
      new Writable({
        objectMode: true,
        write: (_r, _e, cb) => {
          n++;
          cb();
        },
      }),
    );
    expect(n).toBe(450);
  });
});
