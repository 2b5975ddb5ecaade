// unsubscribe() and close() go over the network (/meta/unsubscribe, /meta/disconnect), so they
// take { signal, timeoutMs } last, as every such call does (CONVENTIONS.md rule 2): an abort
// cuts the goodbye short and rejects with signal.reason at once, and the subscription still ends
// with its replay id stored.
import { describe, expect, it } from 'vitest';
import { isSalesforceError } from '@sf/core';
import {
  createMemoryReplayStore,
  createStreamingClient,
  platformEvent,
  publishEvent,
  type StreamingMessage,
  subscribe,
} from '../src/index.js';
import { connect, emulatorPerTest, fast, until } from './helpers.js';

const emulator = emulatorPerTest();
const events = { streaming: { platformEvents: [{ name: 'Tick__e' }] } };

describe('unsubscribe({ signal, timeoutMs }) and close({ signal, timeoutMs })', () => {
  it('aborting an unsubscribe whose goodbye gets no answer rejects with signal.reason; the subscription ends and its replay id is stored', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const store = createMemoryReplayStore();
    const sub = subscribe(conn, platformEvent('Tick__e'), { ...fast, replayStore: store });
    const seen: StreamingMessage[] = [];
    sub.on('message', (m) => seen.push(m));
    await sub.ready();
    await publishEvent(conn, 'Tick__e', { N__c: 1 });
    await until(() => seen.length === 1, 20_000, 'the event');
    // From now on the server answers no CometD request within the test's life.
    emu.faults.latency(120_000, { path: '/cometd/' });
    const controller = new AbortController();
    const reason = new Error('give up on the goodbye');
    // A deadline longer than the test: only the abort can end this goodbye.
    const ending = sub.unsubscribe({ signal: controller.signal, timeoutMs: 100_000 });
    controller.abort(reason);
    await expect(ending).rejects.toBe(reason);
    // A second unsubscribe waits for the same ending, which the abort cut short (else it would
    // wait for the 100 s deadline and the test would time out).
    await sub.unsubscribe();
    expect(sub.closed).toBe(true);
    expect(store.values.get('/event/Tick__e')).toBe(1);
  });

  it('close({ signal }) already aborted: nothing waits on the server, the client closes and the call rejects with the reason', async () => {
    const emu = await emulator(events);
    const conn = connect(emu);
    const client = createStreamingClient(conn, fast);
    const sub = client.subscribe(platformEvent('Tick__e'));
    await sub.ready();
    emu.faults.latency(120_000, { path: '/cometd/' });
    const reason = new Error('shutting down now');
    await expect(client.close({ signal: AbortSignal.abort(reason), timeoutMs: 100_000 })).rejects.toBe(
      reason,
    );
    await client.close(); // the same ending, not waiting on the server
    expect(sub.closed).toBe(true);
    expect(client.connected).toBe(false);
  });

  it('a timeoutMs that is not a finite number of milliseconds is INVALID_ARGUMENT, thrown before anything ends', async () => {
    const emu = await emulator(events);
    const client = createStreamingClient(connect(emu), fast);
    const sub = client.subscribe(platformEvent('Tick__e'));
    await sub.ready();
    for (const timeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown;
      try {
        void sub.unsubscribe({ timeoutMs });
      } catch (e) {
        error = e;
      }
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect(() => client.close({ timeoutMs })).toThrow(/timeoutMs must be a finite number/);
    }
    expect(sub.closed).toBe(false);
    await client.close({ timeoutMs: 5_000 });
    expect(sub.closed).toBe(true);
  });
});
