import { describe, expect, it } from 'vitest';
import { publish, publishStream, subscribe } from '../src/index.js';
import { harness } from './helpers.js';

const typed = {
  pubsub: { eventFields: { Order__e: { Seq__c: 'int', Big__c: 'long', Amount__c: 'double' } } },
} as const;

describe('publish', () => {
  it('answers one result per event, in order, a refused event among them (success: false), the others published', async () => {
    const { emu, client } = await harness(typed);
    emu.pubsub!.failNextEvents(1);
    const results = await publish(client, '/event/Order__e', [
      { payload: { Seq__c: 0 }, id: 'first' },
      { Seq__c: 1 },
      { Seq__c: 2 },
    ]);
    expect(results.map((r) => [r.index, r.success])).toEqual([
      [0, false],
      [1, true],
      [2, true],
    ]);
    expect(results[0]).toMatchObject({ id: 'first', errors: [{ errorCode: 'PUBLISH', fields: [] }] });
    expect(results[1]?.replayId).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const got: unknown[] = [];
    for await (const e of subscribe(client, '/event/Order__e', { replay: -2 })) {
      got.push(e.payload.Seq__c);
      if (got.length === 2) break;
    }
    expect(got).toEqual([1, 2]);
  });

  it('refuses a payload that does not fit the schema before sending (INVALID_ARGUMENT)', async () => {
    const { client } = await harness(typed);
    await expect(publish(client, '/event/Order__e', [{ Seq__c: 'not a number' }])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('keeps longs beyond 2^53 exact end to end (bigint), numbers while safe', async () => {
    const { client } = await harness(typed);
    const big = 2n ** 60n + 7n;
    await publish(client, '/event/Order__e', [
      { Big__c: big, Seq__c: 1 },
      { Big__c: 42, Seq__c: 2 },
    ]);
    const got: unknown[] = [];
    for await (const e of subscribe(client, '/event/Order__e', { replay: -2 })) {
      got.push(e.payload.Big__c);
      if (got.length === 2) break;
    }
    expect(got).toEqual([big, 42]);
  });

  it('publishStream sends several requests on one stream, each answered with its own results', async () => {
    const { client, emu } = await harness(typed);
    const stream = publishStream(client, '/event/Order__e');
    const [a, b] = await Promise.all([
      stream.publish([{ Seq__c: 1 }, { Seq__c: 2 }]),
      stream.publish([{ Seq__c: 3 }]),
    ]);
    await stream.close();
    expect(a.map((r) => r.success)).toEqual([true, true]);
    expect(b.map((r) => [r.index, r.success])).toEqual([[0, true]]);
    expect(emu.streaming.buffer.since('/event/Order__e', -2)).toMatchObject({ ok: true });
  });
});
