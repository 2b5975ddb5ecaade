// Where the last delivered replay id of each channel is kept, so a restarted process resumes
// where it stopped. The interface and both stores are core's, shared with @sf/pubsub
// (CONVENTIONS.md rule 8): CometD replay ids are numbers, so here a store is ReplayStore<number>.

import type { ReplayStore as CoreReplayStore } from '@sf/core';
import { createFileReplayStore as coreFileReplayStore } from '@sf/core/file-replay-store';

export { createMemoryReplayStore } from '@sf/core';

/**
 * Keeps the last delivered replay id per channel (core's `ReplayStore`, with CometD's numeric
 * ids). `set` is called as messages are delivered; implementations may coalesce writes but must
 * keep the newest value; `flush()`, if there is one, is awaited when a subscription ends.
 */
export type ReplayStore = CoreReplayStore<number>;

/**
 * A replay store in a JSON file (`{ "/topic/X": 42 }`): core's file store, with errors from
 * `@sf/streaming` and only numeric ids read back (a Pub/Sub API id in a shared file is not a
 * CometD position). Writes go to a temporary file renamed over the old one, so a crash leaves
 * either the old or the new file, never half of one; writes are coalesced.
 *
 * @example
 * const replayStore = createFileReplayStore('./state/replay.json');
 * const sub = subscribe(conn, topic('AllAccounts'), { replayStore, replay: -2 });
 */
export function createFileReplayStore(path: string): ReplayStore {
  const store = coreFileReplayStore<number | string>(path, { source: '@sf/streaming' });
  return {
    async get(channel) {
      const id = await store.get(channel);
      return typeof id === 'number' ? id : undefined;
    },
    set: (channel, replayId) => store.set(channel, replayId),
    flush: () => store.flush?.() ?? Promise.resolve(),
  };
}
