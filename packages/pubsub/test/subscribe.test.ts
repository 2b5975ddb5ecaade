import { describe, expect, it } from 'vitest';
import { subscribe } from '../src/index.js';
import { harness, publishRest } from './helpers.js';

describe('subscribe', () => {
  it('replays retained platform events (-2) over gRPC, decoded, in order', async () => {
    const { conn, client } = await harness({
      pubsub: { eventFields: { Order__e: { Seq__c: 'int', Amount__c: 'double' } } },
    });
    await publishRest(conn, 3);
    const seen: unknown[] = [];
    for await (const event of subscribe(client, '/event/Order__e', { replay: -2 })) {
      seen.push(event.payload.OrderNumber__c);
      expect(event.payload.Seq__c).toBe(seen.length - 1);
      expect(typeof event.payload.CreatedDate).toBe('number');
      expect(event.replayId).toMatch(/^[A-Za-z0-9+/=]+$/);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['N-0', 'N-1', 'N-2']);
  });
});
