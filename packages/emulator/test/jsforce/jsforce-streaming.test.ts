// jsforce 3.10.16's Streaming API (its faye client) against the emulator's CometD endpoint:
// PushTopic, replay -2, platform events, change events and generic streaming channels.
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, oauthLogin, until, useEmulator } from './jsforce-setup.js';

type Message = Record<string, any>;
interface FayeClient {
  subscribe(channel: string, listener: (message: Message) => void): PromiseLike<unknown>;
  disconnect(): void;
}

const clients: FayeClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

/** A faye client from jsforce, subscribed (the subscription acknowledged) to `channel`. */
async function subscribe(conn: Connection, channel: string, extensions: unknown[] = []) {
  const client = conn.streaming.createClient(extensions as never) as unknown as FayeClient;
  clients.push(client);
  const messages: Message[] = [];
  await client.subscribe(channel, (m) => messages.push(m));
  return messages;
}

describe('jsforce: streaming', () => {
  const emu = useEmulator({
    streaming: { platformEvents: [{ name: 'Order__e', fields: ['OrderNumber__c', 'Amount__c'] }] },
  });
  let conn: Connection;

  it('a PushTopic created through jsforce notifies its subscriber of a created record', async () => {
    conn = await oauthLogin(emu());
    const topic = await conn.sobject('PushTopic').create({
      Name: 'AccountUpdates',
      Query: 'SELECT Id, Name, Industry FROM Account',
      ApiVersion: 64.0,
      NotifyForFields: 'Referenced',
    });
    expect(topic).toMatchObject({ success: true });
    const messages = await subscribe(conn, '/topic/AccountUpdates');
    const { id } = (await conn.sobject('Account').create({ Name: 'Streamed', Industry: 'Energy' })) as {
      id: string;
    };
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({
      event: { type: 'created', replayId: expect.any(Number), createdDate: expect.any(String) },
      sobject: { Id: id, Name: 'Streamed', Industry: 'Energy' },
    });
  });

  it('replay -2 (the Replay extension) delivers the retained events to a new subscriber', async () => {
    const replay = new StreamingExtension.Replay('/topic/AccountUpdates', -2);
    const messages = await subscribe(conn, '/topic/AccountUpdates', [replay]);
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({ event: { type: 'created' }, sobject: { Name: 'Streamed' } });
  });

  it('a platform event published through jsforce reaches /event/Order__e', async () => {
    const messages = await subscribe(conn, '/event/Order__e');
    const published = await conn.sobject('Order__e').create({ OrderNumber__c: 'ORD-1', Amount__c: 12.5 });
    expect(published).toMatchObject({ success: true, id: expect.any(String) });
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({
      payload: { OrderNumber__c: 'ORD-1', Amount__c: 12.5, CreatedDate: expect.any(String) },
      event: { replayId: expect.any(Number) },
    });
  });

  it('a change event on /data/AccountChangeEvent names the change and its fields', async () => {
    const messages = await subscribe(conn, '/data/AccountChangeEvent');
    const { id } = (await conn.sobject('Account').create({ Name: 'Changed' })) as { id: string };
    await conn.sobject('Account').update({ Id: id, Phone: '555-0111' });
    await until(() => messages.length >= 2);
    expect(messages[1]).toMatchObject({
      payload: {
        ChangeEventHeader: {
          changeType: 'UPDATE',
          entityName: 'Account',
          recordIds: [id],
          changedFields: expect.arrayContaining(['Phone']),
        },
        Phone: '555-0111',
      },
    });
  });

  it('a generic streaming channel: created, found by Channel.push() through a query, pushed to its subscriber', async () => {
    const created = await conn.sobject('StreamingChannel').create({ Name: '/u/notifications' });
    expect(created).toMatchObject({ success: true, id: expect.any(String) });
    const row = await conn.sobject('StreamingChannel').retrieve((created as { id: string }).id);
    expect(row).toMatchObject({ Name: '/u/notifications' });
    const d = await conn.sobject('StreamingChannel').describe();
    expect(d.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Id', 'Name', 'Description']));
    const messages = await subscribe(conn, '/u/notifications');
    const channel = conn.streaming.channel('/u/notifications');
    const result = await channel.push({ payload: 'hello world', userIds: [] });
    // Salesforce answers the push with an array of push results; jsforce hands back the first.
    expect(result).toMatchObject({ fanoutCount: expect.any(Number), userOnlineStatus: {} });
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({ payload: 'hello world', event: { createdDate: expect.any(String) } });
  });
});
