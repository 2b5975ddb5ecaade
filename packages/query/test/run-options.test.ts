// CONVENTIONS.md rule 2: every call that goes over the network takes `signal` and `timeoutMs`
// in its last options object. `run()` and `execute()` start the requests, so they take them too
// (overriding the query's own), and an abort rejects with `signal.reason`, unchanged.
import { describe, expect, it } from 'vitest';
import { query } from '../src/index.js';
import { queryRequests, seedAccounts, useOrg } from './helpers.js';

const org = useOrg();

describe('run() and execute() take { signal, timeoutMs }', () => {
  it('execute({ signal }) with an aborted signal rejects with its reason and sends nothing', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    const reason = new Error('stop');
    const error = await query(conn, 'SELECT Id FROM Account')
      .execute({ signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(queryRequests(emu)).toBe(0);
  });

  it('run({ signal }) aborted before the second page: error event and awaiter get the reason', async () => {
    const { conn, emu } = org();
    seedAccounts(emu, 450, 'Run');
    const controller = new AbortController();
    const reason = new Error('enough');
    const errors: unknown[] = [];
    const q = query(conn, "SELECT Id FROM Account WHERE Name LIKE 'Run%'", { batchSize: 200 })
      .on('fetch', () => controller.abort(reason))
      .on('error', (e) => errors.push(e))
      .run({ autoFetch: true, signal: controller.signal, timeoutMs: 10_000 });
    await expect(q).rejects.toBe(reason);
    expect(errors).toEqual([reason]);
    expect(q.totalFetched).toBe(200);
  });
});
