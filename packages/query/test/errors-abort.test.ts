import { isSalesforceError, SalesforceError } from '@sf/core';
import { startEmulator } from '@sf/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, query } from '../src/index.js';
import { seedAccounts, useOrg } from './helpers.js';
import { probedConnection, queryRequestsSent } from './request-probe.js';

// No test here waits for time to pass: each waits for what it means (a request started, the
// client quiet, a cursor's clock moved on), and counts only its own connection's requests.
const org = useOrg();

async function failure(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('errors', () => {
  beforeAll(() => {
    seedAccounts(org().emu, 1000);
  });

  it('bad SOQL rejects with MALFORMED_QUERY', async () => {
    const error = await failure(query(org().conn, 'SELECT Id FROM Account WHERE'));
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      code: 'API_ERROR',
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      method: 'GET',
    });
    expect((error as Error).message).toMatch(/^\[@sf\/query\] GET /);
  });

  it('an unknown field rejects with INVALID_FIELD, an unknown object with INVALID_TYPE', async () => {
    const field = await failure(query(org().conn, 'SELECT Id, Nope__c FROM Account'));
    expect(field).toMatchObject({ errorCode: 'INVALID_FIELD', status: 400 });
    const type = await failure(query(org().conn, 'SELECT Id FROM Nope__c'));
    expect(type).toMatchObject({ errorCode: 'INVALID_TYPE', status: 400 });
  });

  it('iteration rejects with the error too, and the error event fires', async () => {
    const errors: unknown[] = [];
    const q = query(org().conn, 'SELECT Id FROM Account WHERE').on('error', (e) => errors.push(e));
    const error = await (async () => {
      try {
        for await (const _ of q) {
          // nothing
        }
      } catch (e) {
        return e;
      }
    })();
    expect(isSalesforceError(error)).toBe(true);
    expect(errors).toEqual([error]);
  });

  it('an expired cursor rejects with INVALID_QUERY_LOCATOR', async () => {
    // The cursors' clock is the test's: it moves on when the test says, not when time passes.
    let now = Date.now();
    const emu = await startEmulator({ query: { ttlMs: 300, now: () => now } });
    try {
      seedAccounts(emu, 1000);
      const { conn, probe } = probedConnection(emu);
      const first = await query(conn, 'SELECT Id FROM Account', { batchSize: 200 });
      now += 1000; // first's cursor is idle past its 300 ms
      const q = query(conn, 'SELECT Id FROM Account', { batchSize: 200 });
      const iterator = q[Symbol.asyncIterator]();
      await iterator.next(); // page 1, page 2 requested right away
      await probe.quiet(); // page 2 has arrived
      now += 1000; // and page 3's cursor expires before it is asked for
      const error = await failure(
        (async () => {
          for (let i = 0; i < 1000; i++) await iterator.next();
        })(),
      );
      expect(error).toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR', status: 400 });
      const { queryMore } = await import('../src/index.js');
      const stale = await failure(queryMore(conn, first.nextRecordsUrl as string));
      expect(stale).toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
    } finally {
      await emu.close();
    }
  });

  it('explain answers query plans; bad SOQL there is MALFORMED_QUERY too', async () => {
    const { plans } = await explain(org().conn, "SELECT Id FROM Account WHERE Name = 'Account 00001'");
    expect(plans[0]).toMatchObject({ sobjectType: 'Account', leadingOperationType: expect.any(String) });
    expect(await failure(explain(org().conn, 'SELECT FROM'))).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('invalid options throw INVALID_ARGUMENT before anything is sent', () => {
    const { conn } = org();
    expect(() => query(conn, 'SELECT Id FROM Account', { batchSize: 10 })).toThrow(/batchSize/);
    expect(() => query(conn, '')).toThrow(SalesforceError);
    expect(() => query(conn, 'SELECT Id FROM Account', { maxFetch: -1 })).toThrow(/maxFetch/);
  });

  it('a query is consumed once', async () => {
    const q = query(org().conn, 'SELECT Id FROM Account LIMIT 1');
    await q;
    expect(() => q.stream()).toThrow(/already being consumed/);
    // Awaiting again gives the same result.
    expect((await q).records).toHaveLength(1);
  });
});

describe('abort', () => {
  it('an aborted signal rejects with its reason before anything is sent', async () => {
    const { conn, probe } = probedConnection(org().emu);
    const reason = new Error('stop');
    const error = await failure(query(conn, 'SELECT Id FROM Account', { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    await probe.quiet();
    expect(probe.started).toEqual([]);
  });

  it('aborting between pages stops the iteration with the reason and fetches nothing more', async () => {
    const { conn, probe } = probedConnection(org().emu);
    const controller = new AbortController();
    const reason = new Error('enough');
    let seen = 0;
    const error = await failure(
      (async () => {
        for await (const _ of query(conn, 'SELECT Id FROM Account', {
          batchSize: 200,
          signal: controller.signal,
        })) {
          seen++;
          if (seen === 200) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(seen).toBe(200);
    // Once the client is quiet: the first page, and at most the one prefetched (cancelled).
    await probe.quiet();
    expect(queryRequestsSent(probe)).toBeLessThanOrEqual(2);
  });

  it('aborting during a page request rejects with the reason at once', async () => {
    const { emu } = org();
    const { conn, probe } = probedConnection(emu);
    // The next pages would take a minute: only the abort can end this test within its timeout.
    emu.faults.latency(60_000, { path: /\/query\/01g/ });
    try {
      const controller = new AbortController();
      const reason = new Error('too slow');
      const q = query(conn, 'SELECT Id FROM Account', { batchSize: 200, signal: controller.signal });
      let seen = 0;
      const error = await failure(
        (async () => {
          for await (const _ of q) {
            // Page 1 read: abort once the request for page 2 is on its way and the loop waits for it.
            if (++seen === 200) {
              void probe.whenStarted(/\/query\/01g/).then(() => setImmediate(() => controller.abort(reason)));
            }
          }
        })(),
      );
      expect(error).toBe(reason);
      expect(seen).toBe(200);
    } finally {
      emu.faults.latency(0);
    }
  });

  it('aborting a stream destroys it with the reason', async () => {
    const { conn } = org();
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const stream = query(conn, 'SELECT Id FROM Account', {
      batchSize: 200,
      signal: controller.signal,
    }).stream();
    let seen = 0;
    const error = await failure(
      (async () => {
        for await (const _ of stream) if (++seen === 300) controller.abort(reason);
      })(),
    );
    expect(error).toBe(reason);
  });

  it('breaking out of for await stops fetching', async () => {
    // Its own connection: a page a previous test left in flight is not counted here.
    const { conn, probe } = probedConnection(org().emu);
    let seen = 0;
    for await (const _ of query(conn, 'SELECT Id FROM Account', { batchSize: 200 })) {
      if (++seen === 10) break;
    }
    // Once the client is quiet: the first page, and at most the one prefetched (cancelled when
    // the loop broke).
    await probe.quiet();
    expect(queryRequestsSent(probe)).toBeLessThanOrEqual(2);
  });
});
