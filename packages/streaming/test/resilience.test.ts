// Every event exactly once, in order, while the server drops clients, tokens expire, the
// Bayeux server restarts and long-polls stall.
import { describe, expect, it } from 'vitest';
import {
  createStreamingClient,
  platformEvent,
  publishEvent,
  publishEvents,
  type StreamingMessage,
  subscribe,
} from '../src/index.js';
import { connect, emulatorPerTest, fast, refreshingStrategy, until } from './helpers.js';

const emulator = emulatorPerTest();

describe('recovery', () => {
  it('delivers 1,000 events exactly once in order through ten client drops and two token expiries', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e', fields: ['N__c'] }] } });
    const strategy = refreshingStrategy(emu);
    const conn = connect(emu, strategy);
    const sub = subscribe(conn, platformEvent('Tick__e'), fast);
    const received: number[] = [];
    const disconnects: string[] = [];
    sub.on('disconnect', (reason) => disconnects.push(reason));
    sub.on('message', (m) => received.push(m.payload.N__c as number));
    await sub.ready();

    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 50 }, (_, i) => ({ N__c: batch * 50 + i }));
      const results = await publishEvents(conn, 'Tick__e', events);
      expect(results.every((r) => r.success)).toBe(true);
      if (batch % 2 === 1) emu.streaming.dropAllClients();
      if (batch === 6 || batch === 13) emu.faults.expireAllTokens();
    }
    await until(() => received.length >= 1000, 60_000, '1,000 events');
    // Give a duplicate, if any were to come, the chance to arrive: one more event goes last.
    await publishEvent(conn, 'Tick__e', { N__c: 1000 });
    await until(() => received.length >= 1001, 20_000, 'the sentinel event');
    expect(received).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    expect(disconnects.filter((r) => r === 'unknown client').length).toBeGreaterThanOrEqual(1);
    expect(strategy.renewals).toBeGreaterThanOrEqual(2);
    await sub.unsubscribe();
  }, 120_000);

  it('renews the token when the handshake is refused with 401::Authentication invalid', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    const strategy = refreshingStrategy(emu);
    const conn = connect(emu, strategy);
    await conn.credentials();
    emu.faults.expireAllTokens();
    const sub = subscribe(conn, platformEvent('Tick__e'), fast);
    await sub.ready();
    expect(strategy.renewals).toBe(1);
    const got = new Promise<StreamingMessage>((resolve) => sub.once('message', resolve));
    await publishEvent(conn, 'Tick__e', { Note__c: 'x' });
    expect((await got).payload.Note__c).toBe('x');
    await sub.unsubscribe();
  });

  it('resubscribes after the Bayeux server restarts and after a stalled long-poll', async () => {
    const emu = await emulator({ streaming: { timeoutSeconds: 1, platformEvents: [{ name: 'Tick__e' }] } });
    const conn = connect(emu);
    const client = createStreamingClient(conn, { ...fast, stallMarginMs: 100 });
    const reasons: string[] = [];
    client.on('disconnect', (reason) => reasons.push(reason));
    const sub = client.subscribe(platformEvent('Tick__e'));
    const seen: number[] = [];
    sub.on('message', (m) => seen.push(m.payload.N__c as number));
    await sub.ready();
    // Replay resumes after the newest message received, so one arrives before the faults.
    await publishEvent(conn, 'Tick__e', { N__c: 0 });
    await until(() => seen.length === 1, 20_000, 'first event');

    emu.streaming.restartServer();
    await publishEvent(conn, 'Tick__e', { N__c: 1 });
    await until(() => seen.length === 2, 20_000, 'event after restart');

    emu.streaming.stallNextConnects(1);
    await until(() => reasons.includes('stalled long-poll'), 20_000, 'stall detection');
    await publishEvent(conn, 'Tick__e', { N__c: 2 });
    await until(() => seen.length === 3, 20_000, 'event after stall');
    expect(seen).toEqual([0, 1, 2]);
    await client.close();
    expect(sub.closed).toBe(true);
  });

  it('reconnects with backoff when the network is lost', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    const conn = connect(emu);
    const client = createStreamingClient(conn, fast);
    const reasons: string[] = [];
    client.on('disconnect', (reason) => reasons.push(reason));
    const sub = client.subscribe(platformEvent('Tick__e'));
    let acks = 0;
    sub.on('connect', () => acks++);
    await sub.ready();
    // Every CometD request fails at the socket for a while, then the network comes back.
    emu.faults.failNext(3, 'reset', { path: '/cometd/' });
    emu.streaming.dropAllClients();
    await until(
      () => reasons.includes('network failure') && acks === 2,
      20_000,
      'network failure and resubscribe',
    );
    const got = new Promise<StreamingMessage>((resolve) => sub.once('message', resolve));
    await publishEvent(conn, 'Tick__e', { N__c: 7 });
    expect((await got).payload.N__c).toBe(7);
    await client.close();
  });
});
