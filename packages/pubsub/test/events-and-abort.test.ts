import { describe, expect, it } from 'vitest';
import { type PubSubEvent, publish, subscribe } from '../src/index.js';
import { harness, range } from './helpers.js';

const typed = { pubsub: { eventFields: { Order__e: { Seq__c: 'int' } } } } as const;

describe('events, abort and renewal', () => {
  it("delivers through 'event' listeners too, in order, committing as each listener returns", async () => {
    const { client } = await harness(typed);
    await publish(
      client,
      '/event/Order__e',
      range(0, 5).map((Seq__c) => ({ Seq__c })),
    );
    const sub = subscribe(client, '/event/Order__e', { replay: -2 });
    const got = await new Promise<number[]>((resolve) => {
      const seen: number[] = [];
      sub.on('event', (e: PubSubEvent) => {
        if (seen.push(e.payload.Seq__c as number) === 5) resolve(seen);
      });
    });
    expect(got).toEqual(range(0, 5));
    await sub.close();
    expect(sub.closed).toBe(true);
  });

  it('an abort ends the subscription and the iterator rejects with signal.reason, unchanged', async () => {
    const { client } = await harness(typed);
    await publish(client, '/event/Order__e', [{ Seq__c: 0 }]);
    const controller = new AbortController();
    const reason = new Error('stop');
    const sub = subscribe(client, '/event/Order__e', { replay: -2, signal: controller.signal });
    const seen: number[] = [];
    const loop = (async () => {
      for await (const e of sub) {
        seen.push(e.payload.Seq__c as number);
        controller.abort(reason);
      }
    })();
    await expect(loop).rejects.toBe(reason);
    expect(seen).toEqual([0]);
    expect(sub.closed).toBe(true);
  });

  it('publish renews an expired session once and succeeds', async () => {
    const { emu, client, refreshes } = await harness(typed);
    await publish(client, '/event/Order__e', [{ Seq__c: 0 }]);
    emu.pubsub!.expireSessions();
    const results = await publish(client, '/event/Order__e', [{ Seq__c: 1 }]);
    expect(results[0]?.success).toBe(true);
    expect(refreshes()).toBe(1);
  });

  it('an insecure endpoint off the loopback interface is refused (a token must not cross a network in the clear)', async () => {
    const { conn } = await harness();
    const { PubSubClient } = await import('../src/index.js');
    expect(() => new PubSubClient(conn, { endpoint: 'http://example.com:7443' })).toThrow(/loopback/);
  });

  it('client.close() ends its subscriptions quietly: the iterator finishes, no error', async () => {
    const { client } = await harness(typed);
    await publish(client, '/event/Order__e', [{ Seq__c: 0 }]);
    const sub = subscribe(client, '/event/Order__e', { replay: -2, reconnect: { initialMs: 1, maxMs: 5 } });
    const errors: unknown[] = [];
    sub.on('error', (e) => errors.push(e));
    const seen: number[] = [];
    for await (const e of sub) {
      seen.push(e.payload.Seq__c as number);
      client.close();
    }
    expect(seen).toEqual([0]);
    expect(errors).toEqual([]);
    expect(sub.closed).toBe(true);
  });
});
