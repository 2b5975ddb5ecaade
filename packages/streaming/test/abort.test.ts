// Cancellation: an AbortSignal ends a subscription or a client as unsubscribe()/close() do, a
// pending `for await` and ready() reject with signal.reason unchanged, and no listener is left
// on the signal. Publishing passes its signal and timeout to each request.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isSalesforceError } from '@sf/core';
import {
  createChannel,
  createMemoryReplayStore,
  createStreamingClient,
  platformEvent,
  publishEvent,
  publishEvents,
  pushToChannel,
  type StreamingMessage,
  type Subscription,
  subscribe,
  topic,
} from '../src/index.js';
import { connect, emulatorPerTest, fast, until } from './helpers.js';

const emulator = emulatorPerTest();

const events = { streaming: { platformEvents: [{ name: 'Tick__e' }, { name: 'Tock__e' }] } };

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

/** Iterates `sub` into `seen` until the loop ends; resolves or rejects as the loop does. */
function drain(sub: Subscription, seen: unknown[]): Promise<void> {
  return (async () => {
    for await (const message of sub) seen.push(message.payload.N__c);
  })();
}

describe('subscribe(conn, channel, { signal })', () => {
  it('aborting ends the subscription: a pending for await rejects with signal.reason, the replay id is stored, the client disconnects', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const controller = new AbortController();
    const store = createMemoryReplayStore();
    const sub = subscribe(conn, platformEvent('Tick__e'), {
      ...fast,
      replayStore: store,
      signal: controller.signal,
    });
    await sub.ready();
    expect(listeners(controller.signal)).toBe(1);
    for (let n = 0; n < 3; n++) await publishEvent(conn, 'Tick__e', { N__c: n });

    const seen: unknown[] = [];
    const loop = drain(sub, seen);
    await until(() => seen.length === 3, 20_000, 'three events');
    const reason = new Error('shutting down');
    controller.abort(reason);

    await expect(loop).rejects.toBe(reason);
    expect(sub.closed).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    // unsubscribe() after an abort waits for the same ending: the store is written by then.
    await sub.unsubscribe();
    expect(store.values.get('/event/Tick__e')).toBe(3);
    expect(sub.replayId).toBe(3);
    await until(() => emu.streaming.clientCount === 0, 20_000, 'the client to disconnect');
    // The iterator stays rejected; nothing more is delivered.
    await expect(sub[Symbol.asyncIterator]().next()).rejects.toBe(reason);
  });

  it('messages received but not yet handed out are dropped on abort and not stored, so a restart receives them', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const store = createMemoryReplayStore();
    const controller = new AbortController();
    const sub = subscribe(conn, platformEvent('Tick__e'), {
      ...fast,
      replayStore: store,
      signal: controller.signal,
    });
    await sub.ready();
    // An iterator that does not ask yet: the four messages are queued for it.
    const iterator = sub[Symbol.asyncIterator]();
    let arrived = 0;
    sub.on('message', () => arrived++);
    for (let n = 0; n < 4; n++) await publishEvent(conn, 'Tick__e', { N__c: n });
    await until(() => arrived === 4, 20_000, 'all four to arrive');
    const first = await iterator.next();
    expect(first.value?.payload.N__c).toBe(0);
    controller.abort('stop');
    await expect(iterator.next()).rejects.toBe('stop');
    await sub.unsubscribe();
    // The message handed out counts as delivered (as on unsubscribe); the queued ones do not.
    expect(store.values.get('/event/Tick__e')).toBe(1);

    const again: unknown[] = [];
    const restarted = subscribe(conn, platformEvent('Tick__e'), { ...fast, replayStore: store });
    restarted.on('message', (m) => again.push(m.payload.N__c));
    await until(() => again.length === 3, 20_000, 'the dropped messages again');
    expect(again).toEqual([1, 2, 3]);
    await restarted.unsubscribe();
  });

  it('ready() rejects with signal.reason when aborted during the handshake', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    emu.faults.latency(60_000, { path: '/cometd/' });
    const controller = new AbortController();
    const sub = subscribe(conn, platformEvent('Tick__e'), { ...fast, signal: controller.signal });
    await until(
      () => emu.requests.some((r) => r.path.startsWith('/cometd/') && r.status === 0) === true,
      20_000,
      'a handshake in flight',
    );
    const reason = new DOMException('gave up', 'AbortError');
    controller.abort(reason);
    await expect(sub.ready()).rejects.toBe(reason);
    await sub.unsubscribe();
    expect(sub.closed).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    emu.faults.latency(0);
  });

  it('an already aborted signal: nothing is sent, ready() and the iterator reject with its reason', async () => {
    const emu = await emulator(events);
    const reason = new Error('too late');
    const signal = AbortSignal.abort(reason);
    const sub = subscribe(connect(emu), platformEvent('Tick__e'), { signal });
    expect(sub.closed).toBe(true);
    await expect(sub.ready()).rejects.toBe(reason);
    const seen: unknown[] = [];
    await expect(drain(sub, seen)).rejects.toBe(reason);
    await sub.unsubscribe();
    expect(listeners(signal)).toBe(0);
    expect(emu.requests.filter((r) => r.path.startsWith('/cometd/'))).toEqual([]);
  });

  it('a long-lived signal keeps no listener for subscriptions that ended (unsubscribe, fatal error)', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      const sub = subscribe(conn, platformEvent('Tick__e'), { ...fast, signal: controller.signal });
      await sub.ready();
      await sub.unsubscribe();
    }
    const failed = subscribe(conn, topic('NoSuchTopic'), { ...fast, signal: controller.signal });
    const error = await failed.ready().catch((e: unknown) => e);
    expect(isSalesforceError(error, 'SUBSCRIBE_FAILED')).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    expect(controller.signal.aborted).toBe(false);
  });
});

describe('createStreamingClient(conn, { signal })', () => {
  it('aborting closes the client: every pending for await rejects with signal.reason and close() waits for the same ending', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const controller = new AbortController();
    const client = createStreamingClient(conn, { ...fast, signal: controller.signal });
    const tickStore = createMemoryReplayStore();
    const tick = client.subscribe(platformEvent('Tick__e'), { replayStore: tickStore });
    const tock = client.subscribe(platformEvent('Tock__e'));
    await Promise.all([tick.ready(), tock.ready()]);
    await publishEvent(conn, 'Tick__e', { N__c: 1 });
    await publishEvent(conn, 'Tock__e', { N__c: 2 });
    const ticks: unknown[] = [];
    const tocks: unknown[] = [];
    const loops = [drain(tick, ticks), drain(tock, tocks)];
    await until(() => ticks.length === 1 && tocks.length === 1, 20_000, 'one event on each');

    const reason = new Error('client aborted');
    controller.abort(reason);
    for (const loop of loops) await expect(loop).rejects.toBe(reason);
    expect(tick.closed && tock.closed).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    await client.close();
    await tick.unsubscribe();
    expect(tickStore.values.get('/event/Tick__e')).toBe(1);
    expect(client.connected).toBe(false);
    await until(() => emu.streaming.clientCount === 0, 20_000, 'the client to disconnect');

    // The client stays closed: a later subscription is born aborted with the same reason.
    const late = client.subscribe(platformEvent('Tick__e'));
    await expect(late.ready()).rejects.toBe(reason);
  });

  it("a subscription's own signal ends only that subscription; the client's other subscriptions go on", async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const client = createStreamingClient(conn, fast);
    const controller = new AbortController();
    const tick = client.subscribe(platformEvent('Tick__e'), { signal: controller.signal });
    const tock = client.subscribe(platformEvent('Tock__e'));
    await Promise.all([tick.ready(), tock.ready()]);
    const ticks: unknown[] = [];
    const tickLoop = drain(tick, ticks);
    controller.abort('only tick');
    await expect(tickLoop).rejects.toBe('only tick');
    expect(listeners(controller.signal)).toBe(0);

    const got = new Promise<StreamingMessage>((resolve) => tock.once('message', resolve));
    await publishEvent(conn, 'Tock__e', { N__c: 7 });
    expect((await got).payload.N__c).toBe(7);
    expect(tock.closed).toBe(false);
    // The channel is free again on this client.
    const again = client.subscribe(platformEvent('Tick__e'));
    await again.ready();
    await client.close();
  });

  it("close() removes the listener of each subscription's signal", async () => {
    const emu = await emulator(events);
    const client = createStreamingClient(connect(emu), fast);
    const controller = new AbortController();
    const sub = client.subscribe(platformEvent('Tick__e'), { signal: controller.signal });
    await sub.ready();
    expect(listeners(controller.signal)).toBe(1);
    await client.close();
    expect(listeners(controller.signal)).toBe(0);
    const seen: unknown[] = [];
    await drain(sub, seen); // closed cleanly: the loop ends without an error
    expect(seen).toEqual([]);
  });

  it('an already aborted signal: the client is closed and its subscriptions reject with the reason', async () => {
    const emu = await emulator(events);
    const reason = new Error('never mind');
    const signal = AbortSignal.abort(reason);
    const client = createStreamingClient(connect(emu), { signal });
    const sub = client.subscribe(platformEvent('Tick__e'));
    await expect(sub.ready()).rejects.toBe(reason);
    await client.close();
    expect(listeners(signal)).toBe(0);
    expect(emu.requests.filter((r) => r.path.startsWith('/cometd/'))).toEqual([]);
  });
});

describe('publishing takes a signal and a timeout', () => {
  it('an aborted signal rejects each publishing call with signal.reason, before any request', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const reason = new Error('cancelled');
    const signal = AbortSignal.abort(reason);
    await expect(publishEvent(conn, 'Tick__e', { N__c: 1 }, { signal })).rejects.toBe(reason);
    await expect(publishEvents(conn, 'Tick__e', [{ N__c: 1 }], { signal })).rejects.toBe(reason);
    await expect(createChannel(conn, '/u/alerts', { signal })).rejects.toBe(reason);
    await expect(pushToChannel(conn, '0M6000000000001', 'x', { signal })).rejects.toBe(reason);
    expect(emu.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('aborting while a publish is in flight rejects with signal.reason', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    emu.faults.latency(60_000, { path: /\/composite\/sobjects$/ });
    const controller = new AbortController();
    const publishing = publishEvents(conn, 'Tick__e', [{ N__c: 1 }, { N__c: 2 }], {
      signal: controller.signal,
    });
    await until(
      () => emu.requests.some((r) => r.path.endsWith('/composite/sobjects') && r.status === 0) === true,
      20_000,
      'the publish in flight',
    );
    const reason = new Error('stop publishing');
    controller.abort(reason);
    await expect(publishing).rejects.toBe(reason);
    emu.faults.latency(0);
  });

  it('timeoutMs ends a publish that gets no answer with a TIMEOUT error', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    emu.faults.latency(60_000, { path: /\/sobjects\/(Tick__e|StreamingChannel)/ });
    const publishing = publishEvent(conn, 'Tick__e', { N__c: 1 }, { timeoutMs: 200 });
    const error = await publishing.catch((e: unknown) => e);
    expect(isSalesforceError(error, 'TIMEOUT')).toBe(true);
    const channel = await createChannel(conn, '/u/alerts', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(isSalesforceError(channel, 'TIMEOUT')).toBe(true);
    emu.faults.latency(0);
  });
});
