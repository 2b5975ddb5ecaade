import { describe, expect, it } from 'vitest';
import { managedSubscribe, publish } from '../src/index.js';
import { harness, range } from './helpers.js';

describe('managedSubscribe', () => {
  it('resumes after the last commit the server stored; uncommitted events come again', async () => {
    const { emu, client } = await harness({
      pubsub: {
        eventFields: { Order__e: { Seq__c: 'int' } },
        managedSubscriptions: [
          { developerName: 'Orders', topicName: '/event/Order__e', defaultReplay: 'EARLIEST' },
        ],
      },
    });
    await publish(
      client,
      '/event/Order__e',
      range(0, 10).map((Seq__c) => ({ Seq__c })),
    );
    const first = managedSubscribe(client, { developerName: 'Orders', batchSize: 5 });
    const got: number[] = [];
    for await (const e of first) {
      got.push(e.payload.Seq__c as number);
      if (got.length === 3) await first.commit(e.replayId);
      if (got.length === 5) break;
    }
    expect(emu.pubsub!.committedReplayId('Orders')).toBeDefined();
    const again: number[] = [];
    const second = managedSubscribe(client, { developerName: 'Orders' });
    for await (const e of second) if (again.push(e.payload.Seq__c as number) === 7) break;
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(again).toEqual(range(3, 10));
  });

  it('an unknown managed subscription fails NOT_FOUND', async () => {
    const { client } = await harness();
    const sub = managedSubscribe(client, { developerName: 'Nope' });
    await expect(sub.ready()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
