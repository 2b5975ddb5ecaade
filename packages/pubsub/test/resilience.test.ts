import { describe, expect, it } from 'vitest';
import { publish, subscribe } from '../src/index.js';
import { harness, range } from './helpers.js';

const typed = { pubsub: { eventFields: { Order__e: { Seq__c: 'int' } } } } as const;
const fast = { initialMs: 2, maxMs: 20 };

describe('recovery', () => {
  it('delivers 1,000 events once each, in order, through 10 dropped streams and 2 token expiries', async () => {
    const { emu, client, refreshes, another } = await harness(typed);
    // A second connection publishes, so its renewals do not count as the subscriber's.
    const publisher = another().client;
    for (let i = 0; i < 600; i += 200) {
      await publish(
        publisher,
        '/event/Order__e',
        range(i, i + 200).map((Seq__c) => ({ Seq__c })),
      );
    }
    const sub = subscribe(client, '/event/Order__e', { replay: -2, batchSize: 50, reconnect: fast });
    const disconnects: string[] = [];
    sub.on('disconnect', (reason) => disconnects.push(reason));
    const seen: number[] = [];
    let live: Promise<unknown> | undefined;
    for await (const event of sub) {
      const n = seen.push(event.payload.Seq__c as number);
      // Faults land while events are in flight: 10 dropped streams (half as RST_STREAM), 2 expiries.
      if (n % 90 === 0 && n <= 900)
        emu.pubsub!.dropStreams({ status: n % 180 === 0 ? 'INTERNAL' : 'UNAVAILABLE' });
      if (n === 333 || n === 777) emu.pubsub!.expireSessions();
      if (n === 300) {
        live = (async () => {
          for (let i = 600; i < 1000; i += 100) {
            await publish(
              publisher,
              '/event/Order__e',
              range(i, i + 100).map((Seq__c) => ({ Seq__c })),
            );
          }
        })();
      }
      if (n === 1000) break;
    }
    await live;
    expect(seen).toEqual(range(0, 1000));
    expect(disconnects.length).toBe(10);
    expect(refreshes()).toBe(2);
  });

  it('renews an expired session once for however many subscriptions share the connection', async () => {
    const { emu, conn, client, refreshes } = await harness(typed);
    await publish(
      client,
      '/event/Order__e',
      range(0, 6).map((Seq__c) => ({ Seq__c })),
    );
    const subs = [1, 2, 3].map(() => subscribe(client, '/event/Order__e', { replay: -2, reconnect: fast }));
    await Promise.all(subs.map((s) => s.ready()));
    emu.pubsub!.expireSessions();
    await publish(
      client,
      '/event/Order__e',
      range(6, 8).map((Seq__c) => ({ Seq__c })),
    );
    for (const sub of subs) {
      const got: number[] = [];
      for await (const e of sub) if (got.push(e.payload.Seq__c as number) === 8) break;
      expect(got).toEqual(range(0, 8));
    }
    expect(refreshes()).toBe(1);
    expect(conn.instanceUrl).toBe(emu.instanceUrl);
  });

  it('reconnects a stream that went silent (no events, no keepalives) and goes on from the last event', async () => {
    const { emu, client } = await harness(typed);
    await publish(client, '/event/Order__e', [{ Seq__c: 0 }]);
    const sub = subscribe(client, '/event/Order__e', {
      replay: -2,
      keepaliveTimeoutMs: 400,
      reconnect: fast,
    });
    const reasons: string[] = [];
    sub.on('disconnect', (r) => reasons.push(r));
    const got: number[] = [];
    for await (const e of sub) {
      got.push(e.payload.Seq__c as number);
      if (got.length === 1) {
        emu.pubsub!.silenceStreams();
        await publish(client, '/event/Order__e', [{ Seq__c: 1 }]);
      }
      if (got.length === 2) break;
    }
    expect(got).toEqual([0, 1]);
    expect(reasons).toEqual([expect.stringMatching(/no event or keepalive for 400 ms/)]);
  });

  it('survives a dropped HTTP/2 connection (every stream on it dies at once)', async () => {
    const { emu, client } = await harness(typed);
    await publish(
      client,
      '/event/Order__e',
      range(0, 3).map((Seq__c) => ({ Seq__c })),
    );
    const got: number[] = [];
    for await (const e of subscribe(client, '/event/Order__e', {
      replay: -2,
      batchSize: 1,
      reconnect: fast,
    })) {
      if (got.push(e.payload.Seq__c as number) === 1) emu.pubsub!.dropConnections();
      if (got.length === 3) break;
    }
    expect(got).toEqual([0, 1, 2]);
  });
});
