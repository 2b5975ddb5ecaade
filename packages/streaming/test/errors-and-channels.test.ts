// Typed errors, and the other kinds of channel: generic streaming and change data capture.
import { describe, expect, it } from 'vitest';
import { createConnection, isSalesforceError } from '@sf/core';
import {
  changeEvents,
  createChannel,
  createStreamingClient,
  genericChannel,
  publishEvent,
  pushToChannel,
  type StreamingMessage,
  subscribe,
  topic,
} from '../src/index.js';
import { connect, emulatorPerTest, until } from './helpers.js';

const emulator = emulatorPerTest();

describe('typed errors', () => {
  it('a topic that does not exist: SUBSCRIBE_FAILED', async () => {
    const emu = await emulator();
    const sub = subscribe(connect(emu), topic('NoSuchTopic'));
    const error = await sub.ready().catch((e: unknown) => e);
    expect(isSalesforceError(error, 'SUBSCRIBE_FAILED')).toBe(true);
    expect(String((error as Error).message)).toContain('/topic/NoSuchTopic');
  });

  it('subscribe() whose only subscription failed closes its own client (no long-poll left running)', async () => {
    const emu = await emulator();
    const sub = subscribe(connect(emu), topic('NoSuchTopic'));
    await sub.ready().catch(() => {});
    expect(sub.closed).toBe(true);
    // The client said goodbye: the server no longer knows it.
    await until(() => emu.streaming.clientCount === 0, 20_000, 'the client to disconnect');
  });

  it('a channel name that is not a streaming channel: INVALID_ARGUMENT', async () => {
    const emu = await emulator();
    const client = createStreamingClient(connect(emu));
    expect(() => client.subscribe('/meta/connect')).toThrow(/not a streaming channel/);
    try {
      client.subscribe('/nope');
    } catch (error) {
      expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
    await client.close();
  });

  it('a token that expired and cannot be renewed: AUTH_FAILED, and the token is not in the message', async () => {
    const emu = await emulator();
    const { accessToken } = emu.issueToken();
    const conn = createConnection({ instanceUrl: emu.url, auth: accessToken });
    emu.faults.expireAllTokens();
    const sub = subscribe(conn, genericChannel('alerts'), { backoff: { initialMs: 20, maxMs: 100 } });
    const error = await sub.ready().catch((e: unknown) => e);
    expect(isSalesforceError(error, 'AUTH_FAILED')).toBe(true);
    expect(JSON.stringify(error)).not.toContain(accessToken);
    expect(sub.closed).toBe(true);
  });

  it('platform event names are checked before any request', async () => {
    const emu = await emulator();
    await expect(publishEvent(connect(emu), 'Order__c', {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('channels', () => {
  it('generic streaming: pushes to a StreamingChannel reach /u/ subscribers', async () => {
    const emu = await emulator();
    const conn = connect(emu);
    const id = await createChannel(conn, '/u/alerts');
    const sub = subscribe(conn, genericChannel('alerts'));
    await sub.ready();
    const got = new Promise<StreamingMessage>((resolve) => sub.once('message', resolve));
    await pushToChannel(conn, id, 'cache invalidated');
    const message = await got;
    expect(message.payload).toBe('cache invalidated');
    expect(message.event.replayId).toBe(1);
    await sub.unsubscribe();
  });

  it('change data capture: a record change arrives with its ChangeEventHeader', async () => {
    const emu = await emulator();
    const conn = connect(emu);
    const sub = subscribe(conn, changeEvents('Account'));
    const seen: StreamingMessage[] = [];
    sub.on('message', (m) => seen.push(m));
    await sub.ready();
    const { id } = await conn.post<{ id: string }>('sobjects/Account', { Name: 'Acme' });
    await conn.patch(`sobjects/Account/${id}`, { Industry: 'Energy' });
    await until(() => seen.length === 2, 20_000, 'two change events');
    const [created, updated] = seen.map((m) => m.payload);
    expect(created.ChangeEventHeader).toMatchObject({
      entityName: 'Account',
      changeType: 'CREATE',
      recordIds: [id],
    });
    expect(created.Name).toBe('Acme');
    expect(updated.ChangeEventHeader.changeType).toBe('UPDATE');
    expect(updated.ChangeEventHeader.changedFields).toEqual(expect.arrayContaining(['Industry']));
    expect(updated.Industry).toBe('Energy');
    await sub.unsubscribe();
  });
});
