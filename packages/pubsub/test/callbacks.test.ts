// nforce and jsforce pass a callback last (`client.subscribe(topic, fn)`, `publish(..., cb)`).
// Here a function there would be dropped and never called: each entry call refuses it with
// INVALID_ARGUMENT saying what the call returns and what to write, before a stream opens.
import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { managedSubscribe, PubSubClient, publish, publishStream, pubsub, subscribe } from '../src/index.js';
import { harness } from './helpers.js';

type AnyCall = (...args: unknown[]) => unknown;
const js = (fn: unknown) => fn as AnyCall;
const callback = () => {};

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function expectRefused(error: unknown, call: string, says: string): void {
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
  const { message } = error as Error;
  expect(message).toContain(`[@sf/pubsub] ${call} takes no callback`);
  expect(message).toContain(says);
}

describe('a callback given to a Pub/Sub call is refused, not dropped', () => {
  it('subscribe, managedSubscribe, publish, publishStream, pubsub() and new PubSubClient(); nothing sent', async () => {
    const { emu, conn, client } = await harness();
    const subscribes = emu.pubsub!.subscribeCalls;
    emu.resetRequests();
    expectRefused(
      await failure(() => js(subscribe)(client, '/event/Order__e', callback)),
      'subscribe()',
      'it returns a Subscription',
    );
    expectRefused(
      await failure(() => js(subscribe)(conn, '/event/Order__e', { replay: -1 }, callback)),
      'subscribe()',
      "subscribe(conn, topic).on('event', fn)",
    );
    expectRefused(
      await failure(() => js(managedSubscribe)(client, { developerName: 'Orders' }, callback)),
      'managedSubscribe()',
      'it returns a ManagedSubscription',
    );
    expectRefused(
      await failure(() => js(publish)(client, '/event/Order__e', [{ OrderNumber__c: 'A-1' }], {}, callback)),
      'publish()',
      'it returns a promise',
    );
    expectRefused(
      await failure(() => js(publishStream)(client, '/event/Order__e', callback)),
      'publishStream()',
      'it returns a PublishStream',
    );
    expectRefused(
      await failure(() => js(pubsub)(conn, {}, callback)),
      'pubsub()',
      'it returns a PubSubClient',
    );
    expectRefused(
      await failure(
        () => new (PubSubClient as unknown as new (...a: unknown[]) => unknown)(conn, {}, callback),
      ),
      'new PubSubClient()',
      'it is a constructor',
    );
    expect(emu.pubsub!.subscribeCalls).toBe(subscribes);
    expect(emu.requests).toHaveLength(0);
  });
});
