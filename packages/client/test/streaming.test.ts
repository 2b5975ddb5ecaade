// Streaming (CometD) and Pub/Sub (gRPC) through the client: made only when first used.

import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg({
  pubsub: true,
  streaming: { platformEvents: [{ name: 'Order__e', fields: [{ name: 'Amount__c', type: 'currency' }] }] },
});

describe('sf.topic(name).subscribe and sf.subscribe (@sf/streaming)', () => {
  it("node-salesforce's conn.topic(name).subscribe(fn): the listener hears the PushTopic's events", async () => {
    const { emu, sf } = org();
    // Nothing streams until asked: making the client sent no CometD request.
    expect(emu.requests.filter((r) => r.path.includes('/cometd/'))).toHaveLength(0);
    const { id: topicId } = await sf.sobject('PushTopic').create({
      Name: 'ClientAccounts',
      Query: 'SELECT Id, Name FROM Account',
      ApiVersion: 64,
    });
    const messages: Array<{ sobject?: Record<string, unknown> }> = [];
    let heard!: () => void;
    const first = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const sub = sf.topic('ClientAccounts').subscribe((message) => {
      messages.push(message);
      heard();
    });
    await sub.ready();
    const { id } = await sf.sobject('Account').create({ Name: 'Streamed Account' });
    await first;
    expect(messages[0]?.sobject?.Id).toBe(id);
    await sub.unsubscribe();
    await sf.sobject('PushTopic').destroy(topicId);
  });

  it('sf.subscribe(channel) and the shared sf.streaming client deliver platform events', async () => {
    const { sf } = org();
    const sub = sf.subscribe<{ payload: { Amount__c: number } }>('/event/Order__e');
    await sub.ready();
    const shared = sf.streaming.subscribe<{ payload: { Amount__c: number } }>('/event/Order__e');
    await shared.ready();
    await sf.sobject('Order__e').create({ Amount__c: 42 });
    for await (const m of sub) {
      expect(m.payload.Amount__c).toBe(42);
      break;
    }
    for await (const m of shared) {
      expect(m.payload.Amount__c).toBe(42);
      break;
    }
    expect(sf.streaming).toBe(sf.streaming); // one shared client, closed by sf.close()
  });

  it('sf.close({ signal }) passes the signal to the streaming goodbye: an abort rejects with its reason', async () => {
    const { emu, sf } = org();
    await sf.subscribe('/event/Order__e').ready();
    const controller = new AbortController();
    const reason = new Error('shutting down now');
    controller.abort(reason);
    await expect(sf.close({ signal: controller.signal })).rejects.toBe(reason);
    // Closed all the same: a later close has nothing left to do.
    const before = emu.requests.length;
    await sf.close();
    expect(emu.requests.length).toBe(before);
  });
});

describe('sf.pubsub (@sf/pubsub)', () => {
  it('publishes and subscribes on one client made on first use', async () => {
    const { emu } = org();
    const { accessToken, id } = emu.issueToken();
    // The Pub/Sub endpoint is the client's `pubsub` option (Salesforce's by default).
    const local = createClient({
      instanceUrl: emu.instanceUrl,
      auth: { accessToken, id },
      pubsub: { endpoint: emu.pubsubUrl as string },
    });
    const sub = local.pubsub.subscribe('/event/Order__e', { replay: -1 });
    await sub.ready();
    const [result] = await local.pubsub.publish('/event/Order__e', [{ Amount__c: 7 }]);
    expect(result?.success).toBe(true);
    for await (const event of sub) {
      expect(event.payload.Amount__c).toBe(7);
      break;
    }
    expect(local.pubsub.client).toBe(local.pubsub.client);
    await local.close();
  });
});
