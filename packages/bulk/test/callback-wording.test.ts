// A callback given to a bulk call that returns no awaitable (a RecordStream, a job handle, a
// client) is refused with what to write instead: "use await" would be wrong advice there.
import { describe, expect, it } from 'vitest';
import { bulkQuery, bulkQueryAll, createBulk1, createIngestJob, ingestJob } from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;
const callback = () => {};

const org = useOrg();

describe('a callback on a bulk call that returns no awaitable names what it returns', () => {
  it("bulkQuery, bulkQueryAll and a job's result streams say to iterate with for await; nothing is sent", async () => {
    const { conn, emu } = org();
    const job = await createIngestJob(conn, { object: 'Account', operation: 'insert' });
    emu.resetRequests();
    const cases: [string, () => unknown, RegExp][] = [
      [
        'bulkQuery',
        () => js(bulkQuery)(conn, 'SELECT Id FROM Account', callback),
        /RecordStream.*for await \(const r of bulkQuery\(/,
      ],
      [
        'bulkQueryAll',
        () => js(bulkQueryAll)(conn, 'SELECT Id FROM Account', fast, callback),
        /RecordStream.*bulkQueryAll\(/,
      ],
      [
        'successfulResults',
        () => js(job.successfulResults.bind(job))(callback),
        /RecordStream.*job\.successfulResults\(\)/,
      ],
      [
        'failedResults',
        () => js(job.failedResults.bind(job))(callback),
        /RecordStream.*job\.failedResults\(\)/,
      ],
      [
        'unprocessedRecords',
        () => js(job.unprocessedRecords.bind(job))(callback),
        /RecordStream.*job\.unprocessedRecords\(\)/,
      ],
    ];
    for (const [name, call, message] of cases) {
      const error = await thrown(call);
      expect(error, name).toMatchObject({ code: 'INVALID_ARGUMENT', message });
      expect(String((error as Error).message), name).not.toMatch(/awaitable|= await/);
    }
    expect(emu.requests).toHaveLength(0);
  });

  it('ingestJob, createBulk1 and bulk.job name the handle they return', async () => {
    const { conn, emu } = org();
    emu.resetRequests();
    expect(await thrown(() => js(ingestJob)(conn, '750000000000001AAA', callback))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/an IngestJob.*const job = ingestJob\(conn, id\)/),
    });
    expect(await thrown(() => js(createBulk1)(conn, callback))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/a Bulk1 client/),
    });
    const bulk = createBulk1(conn);
    expect(await thrown(() => js(bulk.job.bind(bulk))('750000000000001AAA', callback))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/a Job\. Write `const job = bulk\.job\(id\)`/),
    });
    expect(emu.requests).toHaveLength(0);
  });
});
