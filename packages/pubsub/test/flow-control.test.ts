import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { publish, subscribe } from '../src/index.js';
import { harness, range } from './helpers.js';

describe('flow control', () => {
  it('a slow consumer never lets the server owe more than batchSize, nor the client hold more', async () => {
    const { emu, client } = await harness({ pubsub: { eventFields: { Order__e: { Seq__c: 'int' } } } });
    await publish(
      client,
      '/event/Order__e',
      range(0, 200).map((Seq__c) => ({ Seq__c })),
    );
    const sub = subscribe(client, '/event/Order__e', { replay: -2, batchSize: 10 });
    const got: number[] = [];
    let maxPending = 0;
    let maxBuffered = 0;
    for await (const e of sub) {
      got.push(e.payload.Seq__c as number);
      for (const s of emu.pubsub!.streams) maxPending = Math.max(maxPending, s.maxPending);
      maxBuffered = Math.max(maxBuffered, sub.buffered);
      // Slow: the server has far more to send than the consumer takes.
      if (got.length % 20 === 0) await sleep(10);
      if (got.length === 200) break;
    }
    expect(got).toEqual(range(0, 200));
    expect(maxPending).toBeGreaterThan(0);
    expect(maxPending).toBeLessThanOrEqual(10);
    expect(maxBuffered).toBeLessThanOrEqual(10);
  });

  it('asks for batchSize at first and again only once the consumer drained half of it', async () => {
    const { emu, client } = await harness({ pubsub: { eventFields: { Order__e: { Seq__c: 'int' } } } });
    await publish(
      client,
      '/event/Order__e',
      range(0, 30).map((Seq__c) => ({ Seq__c })),
    );
    const sub = subscribe(client, '/event/Order__e', { replay: -2, batchSize: 10 });
    const it = sub[Symbol.asyncIterator]();
    await it.next();
    // Let the server's answers arrive: nothing further is asked while the batch is mostly unread.
    await sleep(50);
    expect(emu.pubsub!.streams[0]?.sent).toBe(10);
    for (let i = 0; i < 3; i++) await it.next();
    await sleep(50);
    // Four taken: still more than half the batch unread, nothing asked.
    expect(emu.pubsub!.streams[0]?.sent).toBe(10);
    await it.next();
    await sleep(50);
    // Five taken (half drained): five more asked for, so requested + buffered is batchSize again.
    expect(emu.pubsub!.streams[0]?.sent).toBe(15);
    await it.return?.();
  });

  it('refuses a batchSize above the API limit of 100 (INVALID_ARGUMENT)', async () => {
    const { client } = await harness();
    expect(() => subscribe(client, '/event/Order__e', { batchSize: 101 })).toThrow(/batchSize/);
  });
});
