// Each fault kind alone, with the client's default options and Salesforce's 110 s long-poll
// hold: the stream recovers on its own, and every event published around the fault arrives
// once, in order. Recovery is proven by the events arriving (within 15 s of the last one
// published: 10 s plus slack); the time each took is printed, never compared.
import { describe, expect, it } from 'vitest';
import type { Emulator } from '@sf/emulator';
import { platformEvent, publishEvent, subscribe } from '../src/index.js';
import { connect, emulatorPerTest, refreshingStrategy, until } from './helpers.js';

const emulator = emulatorPerTest();
const COMETD = { path: '/cometd/' };
const EVENTS = 20;

/**
 * Subscribes, receives event 0 (so the subscription has a position), injects the fault, then
 * publishes events 1..20 over about a second and waits for all of them.
 */
async function survives(
  name: string,
  inject: (emu: Emulator) => void | Promise<void>,
  options: { timeoutSeconds?: number; after?: (emu: Emulator) => void; reason?: RegExp } = {},
): Promise<void> {
  const emu = await emulator({
    streaming: { timeoutSeconds: options.timeoutSeconds ?? 110, platformEvents: [{ name: 'Tick__e' }] },
  });
  const publisher = connect(emu);
  const strategy = refreshingStrategy(emu);
  const sub = subscribe(connect(emu, strategy), platformEvent('Tick__e'));
  const received: number[] = [];
  const reasons: string[] = [];
  sub.on('message', (m) => received.push(m.payload.N__c as number));
  sub.on('disconnect', (reason) => reasons.push(reason));
  await sub.ready();
  await publishEvent(publisher, 'Tick__e', { N__c: 0 });
  await until(() => received.length === 1, 20_000, 'the first event');

  const faultAt = Date.now();
  await inject(emu);
  for (let n = 1; n <= EVENTS; n++) {
    await publishEvent(publisher, 'Tick__e', { N__c: n });
    await new Promise((r) => setTimeout(r, 50));
  }
  options.after?.(emu);
  // Recovered within about 10 s of the last event published (with slack for a loaded machine).
  await until(() => received.length >= EVENTS + 1, 15_000, `all events after ${name}`);
  console.log(
    `[faults] ${name}: all ${EVENTS} events ${Date.now() - faultAt} ms after the fault (${reasons.join('; ') || 'no disconnect'})`,
  );
  // One more event last: a duplicate, if one were coming, would arrive before it.
  await publishEvent(publisher, 'Tick__e', { N__c: EVENTS + 1 });
  await until(() => received.length >= EVENTS + 2, 45_000, 'the sentinel event');
  expect(received).toEqual(Array.from({ length: EVENTS + 2 }, (_, i) => i));
  // The fault did happen, and broke the session as it should.
  expect(emu.faults.pending).toBe(0);
  if (options.reason) expect(reasons.join('; ')).toMatch(options.reason);
  await sub.unsubscribe();
}

describe('each fault alone: the stream recovers and nothing is lost', () => {
  it('a connection reset before any response', async () => {
    await survives('reset', (emu) => emu.faults.failNext(1, 'reset', COMETD), { reason: /network failure/ });
  }, 60_000);

  it('a reset in the middle of a response body', async () => {
    await survives('reset-mid-body', (emu) => emu.faults.failNext(1, 'reset-mid-body', COMETD), {
      reason: /network failure/,
    });
  }, 60_000);

  it('HTTP 503 with a JSON error body (which is not a Bayeux answer)', async () => {
    await survives('503 JSON', (emu) => emu.faults.failNext(1, { status: 503 }, COMETD), {
      reason: /HTTP 503/,
    });
  }, 60_000);

  it('HTTP 503 with a JSON body shaped like Bayeux replies', async () => {
    await survives(
      '503 Bayeux-shaped JSON',
      (emu) =>
        emu.faults.failNext(
          1,
          { status: 503, body: [{ channel: '/meta/connect', successful: false, error: '503::unavailable' }] },
          COMETD,
        ),
      { reason: /HTTP 503/ },
    );
  }, 60_000);

  it('HTTP 503 with an HTML maintenance page', async () => {
    await survives('503 HTML', (emu) => emu.faults.failNext(1, 'html', COMETD), { reason: /HTTP 503/ });
  }, 60_000);

  it('HTTP 500 with a body that is no Bayeux message, and a 200 whose JSON is cut off', async () => {
    await survives(
      '500 empty + truncated JSON',
      (emu) => {
        emu.faults.failNext(1, { status: 500, body: '' }, COMETD);
        emu.faults.failNext(1, 'truncated-json', COMETD);
      },
      { reason: /HTTP 500/ },
    );
  }, 60_000);

  it('403::Unknown client (the server forgot every client)', async () => {
    await survives('403::Unknown client', (emu) => emu.streaming.dropAllClients(), {
      reason: /unknown client/,
    });
  }, 60_000);

  it('the long-poll the server is holding is cut', async () => {
    await survives(
      'long-poll cut while held',
      async (emu) => {
        await until(() => emu.streaming.cutLongPolls() > 0, 20_000, 'a held long-poll to cut');
      },
      { reason: /network failure/ },
    );
  }, 60_000);

  it('a long-poll is cut while it carries events: they are replayed, not lost', async () => {
    await survives('long-poll cut mid-delivery', (emu) => emu.streaming.cutNextDeliveries(1), {
      reason: /network failure/,
    });
  }, 60_000);

  it('every access token expires', async () => {
    await survives('token expiry', (emu) => emu.faults.expireAllTokens(), {
      reason: /authentication invalid/,
    });
  }, 60_000);

  it('a latency spike of 3 s on every CometD request', async () => {
    await survives('latency spike', (emu) => emu.faults.latency(3_000, COMETD), {
      after: (emu) => emu.faults.latency(0),
    });
  }, 60_000);

  it('a spike longer than the stall margin: the long-poll counts as stalled, then recovers', async () => {
    await survives('latency spike past the margin', (emu) => emu.faults.latency(7_000, COMETD), {
      after: (emu) => emu.faults.latency(0),
      // Long-polls held 2 s: a 7 s delay is past hold + the 5 s margin.
      timeoutSeconds: 2,
      reason: /stalled long-poll/,
    });
  }, 60_000);
});
