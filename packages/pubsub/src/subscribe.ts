// `subscribe()`: the Subscribe RPC with replay presets, a stored replay id, the replay store
// written as the consumer takes events, and the policy for a replay id the server refuses.

import { type Connection, type ReplayStore, refuseOldArguments } from '@sf/core';
import { type PubSubClient, clientOf } from './client.js';
import { pubsubError } from './errors.js';
import { type ReplayId, replayIdFromBytes, replayIdToBytes } from './replay-id.js';
import {
  type PubSubEvent,
  type ReplayPolicy,
  type StreamOptions,
  type StreamProtocol,
  Subscription,
} from './subscription.js';

export interface SubscribeOptions extends StreamOptions {
  /**
   * Where to start when the replay store has nothing for the topic: `-1` new events only (the
   * default, Salesforce's LATEST), `-2` everything retained (EARLIEST), or a replay id to start
   * after. A stored id always wins.
   */
  replay?: -1 | -2 | ReplayId;
  /** Keeps the last replay id the consumer took, per topic (`@sf/core`'s interface, base64 ids). */
  replayStore?: ReplayStore<string>;
  /**
   * A replay id the server refuses (corrupted, or past the 72-hour retention): `'fail'` (the
   * default) ends the subscription with `REPLAY_ID_INVALID`; `'fromEarliest'` and `'fromNew'`
   * go on from EARLIEST or LATEST and emit `gap` first.
   */
  onReplayUnavailable?: ReplayPolicy;
}

type Start = { preset: 'LATEST' | 'EARLIEST' } | { preset: 'CUSTOM'; replayId: Buffer };

function startOf(replay: SubscribeOptions['replay']): Start {
  if (replay === undefined || replay === -1) return { preset: 'LATEST' };
  if (replay === -2) return { preset: 'EARLIEST' };
  if (typeof replay === 'string' && replay.length > 0)
    return { preset: 'CUSTOM', replayId: replayIdToBytes(replay) };
  throw pubsubError(
    'INVALID_ARGUMENT',
    `replay must be -1, -2 or a replay id (base64), got ${String(replay)}`,
  );
}

/**
 * Subscribes to a topic (`/event/Order__e`, `/data/AccountChangeEvent`, `/data/ChangeEvents`):
 * an async iterable of decoded events that also emits `event`. It asks the server for
 * `batchSize` events and for more only as the consumer drains them, so memory stays bounded
 * whatever the event rate; it reconnects after `UNAVAILABLE`, `RST_STREAM` and keepalive
 * silence from the last event received (none delivered twice, none lost within retention),
 * and renews an expired session through the connection.
 *
 * @example
 * for await (const event of subscribe(conn, '/event/Order__e', { replay: -2 })) {
 *   console.log(event.replayId, event.payload);
 * }
 */
export function subscribe(
  target: Connection | PubSubClient,
  topic: string,
  options: SubscribeOptions = {},
): Subscription {
  // biome-ignore lint/complexity/noArguments: nforce's oauth object, as the options or past them, is refused
  refuseOldArguments('@sf/pubsub', 'subscribe()', arguments, {
    instead:
      "it returns a Subscription. Write `for await (const event of subscribe(conn, topic))` or `subscribe(conn, topic).on('event', fn)`",
  });
  if (typeof topic !== 'string' || !topic.startsWith('/')) {
    throw pubsubError(
      'INVALID_ARGUMENT',
      `topic must look like /event/Name__e or /data/AccountChangeEvent, got ${String(topic)}`,
    );
  }
  const client = clientOf(target);
  let start = startOf(options.replay);
  const policy = options.onReplayUnavailable ?? 'fail';
  if (!['fail', 'fromEarliest', 'fromNew'].includes(policy)) {
    throw pubsubError('INVALID_ARGUMENT', `onReplayUnavailable must be 'fail', 'fromEarliest' or 'fromNew'`);
  }
  const store = options.replayStore;
  let consultStore = store !== undefined;
  let requested: Buffer | undefined;
  let writes: Promise<void> = Promise.resolve();
  let pendingId: string | undefined;
  let writeFailure: unknown;

  const protocol: StreamProtocol = {
    method: 'Subscribe',
    name: topic,
    async first(room, resumeAfter) {
      let from: Start = start;
      if (resumeAfter) from = { preset: 'CUSTOM', replayId: resumeAfter };
      else if (consultStore && store) {
        consultStore = false;
        const stored = await store.get(topic);
        if (typeof stored === 'string' && stored.length > 0) {
          start = { preset: 'CUSTOM', replayId: replayIdToBytes(stored) };
          from = start;
        }
      }
      requested = from.preset === 'CUSTOM' ? from.replayId : undefined;
      return {
        topicName: topic,
        replayPreset: from.preset,
        ...(from.preset === 'CUSTOM' ? { replayId: from.replayId } : {}),
        numRequested: room,
      };
    },
    more: (count) => ({ topicName: topic, numRequested: count }),
    onReplayRefused() {
      const refused = replayIdFromBytes(requested) ?? '';
      if (policy === 'fail') {
        return pubsubError(
          'REPLAY_ID_INVALID',
          `the server refused the replay id ${refused} for ${topic} (corrupted, or no longer retained); ` +
            `onReplayUnavailable: 'fromEarliest' or 'fromNew' goes on with a reported gap`,
        );
      }
      const resumedFrom = policy === 'fromEarliest' ? 'EARLIEST' : 'LATEST';
      start = { preset: resumedFrom };
      return { gap: { topic, requestedReplayId: refused, resumedFrom } };
    },
    onTaken(event: PubSubEvent) {
      if (!store) return;
      // Coalesced: one write in flight, the newest id written next.
      const idle = pendingId === undefined;
      pendingId = event.replayId;
      if (!idle) return;
      writes = writes.then(async () => {
        while (pendingId !== undefined) {
          const id = pendingId;
          try {
            await store.set(topic, id);
          } catch (error) {
            writeFailure = error;
          }
          if (pendingId === id) pendingId = undefined;
        }
      });
    },
    async flush() {
      await writes;
      await store?.flush?.();
      if (writeFailure !== undefined) {
        const cause = writeFailure;
        writeFailure = undefined;
        throw pubsubError('REPLAY_STORE_FAILED', `cannot write the replay id of ${topic}`, { cause });
      }
    },
  };
  return new Subscription(client, topic, protocol, options);
}
