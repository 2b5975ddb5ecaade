// What silently did nothing for someone coming from nforce or node-salesforce (their READMEs in
// shared/seeds/) now says so: nforce's `data` event is `message` here, and a callback where a
// promise is returned is refused at once, naming the promise form.
import { afterEach, describe, expect, it } from 'vitest';
import { isSalesforceError } from '@sf/core';
import {
  createChannel,
  createStreamingClient,
  platformEvent,
  publishEvent,
  publishEvents,
  pushToChannel,
  type StreamingMessage,
  subscribe,
  topic,
} from '../src/index.js';
import { connect, emulatorPerTest, until } from './helpers.js';

const emulator = emulatorPerTest();
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});

/** What `run` throws synchronously (so before any request goes out), or undefined. */
function thrownBy(run: () => unknown): unknown {
  try {
    const result = run();
    (result as Promise<unknown> | undefined)?.catch?.(() => {});
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("nforce's data event", () => {
  it("a 'data' listener on a subscription warns once, naming 'message'; messages still reach 'message'", async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    const client = createStreamingClient(conn);
    const str = client.subscribe(platformEvent('Order__e'));
    const other = client.subscribe(topic('AllAccounts'));
    other.on('error', () => {});
    const data: unknown[] = [];
    // As nforce's README writes it: str.on('data', fn). Not in the types, so JS code only.
    (str as unknown as { on(event: string, fn: (m: unknown) => void): void }).on('data', (m) => data.push(m));
    (other as unknown as { on(event: string, fn: () => void): void }).on('data', () => {});
    const messages: StreamingMessage[] = [];
    str.on('message', (m) => messages.push(m));
    await str.ready();
    await publishEvent(conn, 'Order__e', { OrderId__c: '42' });
    await until(() => messages.length === 1, 20_000, 'the message');
    await until(() => warnings.length > 0, 5_000, 'the warning');
    const unknown = warnings.filter((w) => (w as { code?: string }).code === 'SF_UNKNOWN_EVENT');
    // Once, however many subscriptions get a 'data' listener.
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.message).toBe(
      "[@sf/streaming] no 'data' event is ever emitted here: listen to 'message' instead " +
        "(the events are 'message', 'connect', 'disconnect', 'error', 'gap')",
    );
    expect(data).toEqual([]);
    await client.close();
  });

  it('a listener for an event the client never emits warns, listing the events it has', async () => {
    const emu = await emulator();
    const client = createStreamingClient(connect(emu));
    (client as unknown as { on(event: string, fn: () => void): void }).on('end', () => {});
    await until(() => warnings.length > 0, 5_000, 'the warning');
    expect(warnings[0]?.message).toBe(
      "[@sf/streaming] no 'end' event is ever emitted here: the events are 'connect', 'disconnect', 'error'",
    );
    await client.close();
  });

  it("known events ('connect', 'message', 'error', 'disconnect', 'gap') warn nothing", async () => {
    const emu = await emulator();
    const client = createStreamingClient(connect(emu));
    const sub = client.subscribe(topic('AllAccounts'));
    for (const event of ['connect', 'message', 'error', 'disconnect', 'gap'] as const)
      sub.on(event, () => {});
    client.on('connect', () => {}).on('disconnect', () => {});
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual([]);
    await client.close();
  });
});

describe('callbacks where a promise is returned', () => {
  it('every publishing call refuses a callback at once with INVALID_ARGUMENT naming its promise form, before sending anything', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    const cb = () => {};
    const calls: Array<[string, () => unknown]> = [
      ['await publishEvent(conn, name, fields)', () => (publishEvent as any)(conn, 'Order__e', {}, cb)],
      ['await publishEvent(conn, name, fields)', () => (publishEvent as any)(conn, 'Order__e', {}, {}, cb)],
      ['await publishEvents(conn, name, events)', () => (publishEvents as any)(conn, 'Order__e', [{}], cb)],
      ['await pushToChannel(conn, channelId, payload)', () => (pushToChannel as any)(conn, '0M6', 'x', cb)],
      ['await createChannel(conn, name)', () => (createChannel as any)(conn, '/u/alerts', cb)],
    ];
    for (const [usage, call] of calls) {
      const error = thrownBy(call);
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain('takes no callback: it returns a promise');
      expect((error as Error).message).toContain(usage);
      expect((error as Error).message.startsWith('[@sf/streaming]')).toBe(true);
    }
  });

  it('ready(), unsubscribe() and close() refuse a callback the same way', async () => {
    const emu = await emulator();
    const client = createStreamingClient(connect(emu));
    const sub = client.subscribe(topic('AllAccounts'));
    sub.on('error', () => {});
    for (const [usage, call] of [
      ['await sub.ready()', () => (sub.ready as any)(() => {})],
      ['await sub.unsubscribe()', () => (sub.unsubscribe as any)(() => {})],
      ['await client.close()', () => (client.close as any)(() => {})],
    ] as const) {
      const error = thrownBy(call);
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain(usage);
    }
    // Refused before doing anything: the subscription is still live.
    expect(sub.closed).toBe(false);
    await client.close();
  });

  it("node-salesforce's conn.topic(name).subscribe(fn): a listener passed to subscribe() is refused, naming .on('message', fn)", async () => {
    const emu = await emulator();
    const conn = connect(emu);
    const error = thrownBy(() => (subscribe as any)(conn, topic('InvoiceStatementUpdates'), () => {}));
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain("subscribe(conn, topic(name)).on('message', fn)");
    const client = createStreamingClient(conn);
    const onClient = thrownBy(() => (client.subscribe as any)(topic('X'), () => {}));
    expect((onClient as Error).message).toContain("client.subscribe(topic(name)).on('message', fn)");
    await client.close();
    // Nothing was started: no CometD client reached the server.
    expect(emu.streaming.clientCount).toBe(0);
  });
});

describe('timeoutMs, the call option of every other package', () => {
  it('is refused by subscribe and createStreamingClient, naming requestTimeoutMs; nothing is sent', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Order__e' }] } });
    const conn = connect(emu);
    emu.resetRequests();
    const options = { timeoutMs: 5_000 } as never;
    for (const run of [
      () => subscribe(conn, platformEvent('Order__e'), options),
      () => createStreamingClient(conn, options),
    ]) {
      const error = thrownBy(run);
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toMatch(/requestTimeoutMs.*not timeoutMs/);
    }
    expect(emu.requests).toHaveLength(0);
  });
});
