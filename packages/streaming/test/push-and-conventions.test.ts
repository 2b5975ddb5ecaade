// Salesforce answers a generic streaming push with an array of push results, one per push event
// (Streaming API Developer Guide, "Streaming Channel Push REST API"; jsforce's PushEventResult):
// pushToChannel resolves with that array, typed so. And the shared pieces are core's: the
// ReplayStore interface, the backoff options.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BackoffOptions,
  type ReplayStore as CoreReplayStore,
  createConnection,
  createMemoryReplayStore as coreMemoryStore,
  isSalesforceError,
} from '@sf/core';
import {
  createChannel,
  createStreamingClient,
  genericChannel,
  type PushResult,
  pushToChannel,
  type ReplayStore,
  type StreamingClientOptions,
  type StreamingMessage,
  subscribe,
} from '../src/index.js';
import { connect, emulatorPerTest } from './helpers.js';

const emulator = emulatorPerTest();
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

/** A server on 127.0.0.1 that answers every request with `body` (JSON). */
async function answering(body: unknown): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('pushToChannel', () => {
  it('resolves with the array of push results Salesforce answers, typed PushResult[]', async () => {
    const emu = await emulator();
    const conn = connect(emu);
    const id = await createChannel(conn, '/u/alerts');
    const sub = subscribe(conn, genericChannel('alerts'));
    await sub.ready();
    const got = new Promise<StreamingMessage>((resolve) => sub.once('message', resolve));
    const results = await pushToChannel(conn, id, 'cache invalidated');
    expectTypeOf(results).toEqualTypeOf<PushResult[]>();
    expect(results).toEqual([{ fanoutCount: -1, userOnlineStatus: {} }]);
    expect((await got).payload).toBe('cache invalidated');
    await sub.unsubscribe();
  });

  it('a server answering one result object (not the documented array) still gives a one-entry array', async () => {
    const url = await answering({ fanoutCount: 1, userOnlineStatus: { '005000000000001AAA': true } });
    const conn = createConnection({ instanceUrl: url, auth: 'token' });
    const results = await pushToChannel(conn, '0M6000000000001', 'x', { userIds: ['005000000000001AAA'] });
    expect(results).toEqual([{ fanoutCount: 1, userOnlineStatus: { '005000000000001AAA': true } }]);
  });

  it('an answer that is not push results is MALFORMED_RESPONSE', async () => {
    const url = await answering({ id: '0M6', success: true });
    const conn = createConnection({ instanceUrl: url, auth: 'token' });
    const error = await pushToChannel(conn, '0M6000000000001', 'x').catch((e: unknown) => e);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
    expect((error as Error).message).toMatch(/^\[@sf\/streaming\]/);
  });
});

describe("core's shared pieces", () => {
  it("ReplayStore is core's ReplayStore<number>, and core's memory store serves a subscription", () => {
    expectTypeOf<ReplayStore>().toEqualTypeOf<CoreReplayStore<number>>();
    const store: ReplayStore = coreMemoryStore<number>({ '/u/alerts': 3 });
    expect(store.get('/u/alerts')).toBe(3);
  });

  it("the backoff option is core's BackoffOptions (factor, jitter too)", () => {
    expectTypeOf<NonNullable<StreamingClientOptions['backoff']>>().toEqualTypeOf<BackoffOptions>();
  });

  it('a client has on, off and once, each returning the client (CONVENTIONS.md rule 5)', async () => {
    const emu = await emulator();
    const client = createStreamingClient(connect(emu));
    let connects = 0;
    expect(client.once('connect', () => connects++)).toBe(client);
    const sub = client.subscribe(genericChannel('alerts'));
    await sub.ready();
    emu.streaming.dropAllClients();
    // It reconnects (a second 'connect' the once-listener must not hear).
    await new Promise<void>((resolve) => client.on('connect', resolve));
    expect(connects).toBe(1);
    await client.close();
  });
});
