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
  platformEvent,
  publishEvent,
  publishEvents,
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

describe('publish results: one per-record shape (CONVENTIONS.md rule 3)', () => {
  it("sObject Collections' statusCode errors become { errorCode, message, fields }, each result with its input index", async () => {
    // As the sObject Collections documentation shows a partly failed create.
    const url = await answering([
      { id: 'e00000000000001AAA', success: true, errors: [] },
      {
        success: false,
        errors: [{ statusCode: 'INVALID_FIELD', message: 'No such column Bad__c', fields: ['Bad__c'] }],
      },
    ]);
    const conn = createConnection({ instanceUrl: url, auth: 'token' });
    const results = await publishEvents(conn, 'Order__e', [{ OrderId__c: '1' }, { Bad__c: 'x' }]);
    expect(results).toEqual([
      { id: 'e00000000000001AAA', success: true, errors: [], index: 0 },
      {
        id: null,
        success: false,
        errors: [{ errorCode: 'INVALID_FIELD', message: 'No such column Bad__c', fields: ['Bad__c'] }],
        index: 1,
      },
    ]);
  });

  it('a collections answer with fewer results than events is MALFORMED_RESPONSE', async () => {
    const url = await answering([{ id: 'e00000000000001AAA', success: true, errors: [] }]);
    const conn = createConnection({ instanceUrl: url, auth: 'token' });
    const error = await publishEvents(conn, 'Order__e', [{}, {}]).catch((e: unknown) => e);
    expect(isSalesforceError(error, 'MALFORMED_RESPONSE')).toBe(true);
  });

  it('against the emulator: publishEvent and publishEvents give ids, indexes, and the events arrive', async () => {
    const emu = await emulator({
      streaming: { platformEvents: [{ name: 'Order__e', fields: ['OrderId__c'] }] },
    });
    const conn = connect(emu);
    const sub = subscribe(conn, platformEvent('Order__e'));
    await sub.ready();
    const one = await publishEvent(conn, 'Order__e', { OrderId__c: '1' });
    expect(one).toMatchObject({ success: true, errors: [] });
    expect(typeof one.id).toBe('string');
    const many = await publishEvents(conn, 'Order__e', [{ OrderId__c: '2' }, { OrderId__c: '3' }]);
    expect(many.map((r) => [r.success, r.index])).toEqual([
      [true, 0],
      [true, 1],
    ]);
    const seen: string[] = [];
    for await (const message of sub) {
      seen.push(message.payload.OrderId__c);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['1', '2', '3']);
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
