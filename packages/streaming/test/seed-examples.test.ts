// The seeds' streaming examples, in today's API, against the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '@sf/core';
import { createStreamingClient, type StreamingMessage, subscribe, topic } from '../src/index.js';
import { connect, type emulator as start, emulator, until } from './helpers.js';

type Emulator = Awaited<ReturnType<typeof start>>;

describe('seed examples', () => {
  let emu: Emulator;
  let conn: Connection;
  beforeEach(async () => {
    emu = await emulator({
      customObjects: [{ name: 'Invoice_Statement__c', fields: [{ name: 'Status__c', type: 'string' }] }],
    });
    conn = connect(emu);
  });
  afterEach(async () => {
    await emu.close();
  });

  it('node-salesforce: conn.topic("InvoiceStatementUpdates").subscribe(fn)', async () => {
    // "Before the subscription, you should insert appropriate PushTopic record"
    await conn.post('sobjects/PushTopic', {
      Name: 'InvoiceStatementUpdates',
      Query: 'SELECT Id, Name, Status__c FROM Invoice_Statement__c',
      ApiVersion: 64.0,
      NotifyForFields: 'Referenced',
    });
    const sub = subscribe(conn, topic('InvoiceStatementUpdates'));
    const seen: StreamingMessage[] = [];
    sub.on('message', (message) => {
      seen.push(message);
      // console.log('Event Type : ' + message.event.type) ...
    });
    await sub.ready();
    const { id } = await conn.post<{ id: string }>('sobjects/Invoice_Statement__c', { Status__c: 'Open' });
    await conn.patch(`sobjects/Invoice_Statement__c/${id}`, { Status__c: 'Closed' });
    await until(() => seen.length === 2, 20_000, 'two messages');
    expect(seen.map((m) => m.event.type)).toEqual(['created', 'updated']);
    expect(typeof seen[0]?.event.createdDate).toBe('string');
    expect(seen[0]?.sobject?.Id).toBe(id);
    expect(seen[1]?.sobject?.Status__c).toBe('Closed');
    await sub.unsubscribe();
    expect(sub.closed).toBe(true);
  });

  it("nforce: org.stream('AllAccounts') with connect, error and data events", async () => {
    await conn.post('sobjects/PushTopic', {
      Name: 'AllAccounts',
      Query: 'SELECT Id, Name FROM Account',
      ApiVersion: 64.0,
    });
    const client = createStreamingClient(conn);
    const str = client.subscribe(topic('AllAccounts'));
    const events: string[] = [];
    str.on('connect', () => events.push('connect'));
    str.on('error', (error) => events.push(`error: ${error.message}`));
    const received: StreamingMessage[] = [];
    const consumer = (async () => {
      for await (const data of str) {
        received.push(data);
        if (received.length === 1) break;
      }
    })();
    await str.ready();
    await conn.post('sobjects/Account', { Name: 'Spiffy Cleaners' });
    await consumer;
    expect(events).toEqual(['connect']);
    expect(received[0]?.sobject?.Name).toBe('Spiffy Cleaners');
    await client.close();
  });
});
