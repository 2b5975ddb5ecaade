// Where a subscriber keeps the last replay id it handed to the application, per channel or
// topic, so a restarted process resumes where it stopped. One interface for every streaming
// package: CometD's ids are numbers, the Pub/Sub API's are opaque bytes (kept as base64
// strings), hence the type parameter. This module stays free of node: imports (edge runtimes);
// the file-backed store lives at `@sf/core/file-replay-store`.

/**
 * Keeps the last delivered replay id per channel or topic. `set` is called as events are
 * handed to the application; implementations may coalesce writes but must keep the newest.
 *
 * @example
 * // CometD (@sf/streaming): ReplayStore<number>; Pub/Sub API (@sf/pubsub): ReplayStore<string>
 * const store: ReplayStore<string> = createMemoryReplayStore();
 */
export interface ReplayStore<Id = number> {
  get(key: string): Promise<Id | undefined> | Id | undefined;
  set(key: string, replayId: Id): Promise<void> | void;
  /** Waits for pending writes (subscriptions call it when they end). */
  flush?(): Promise<void>;
}

/**
 * A replay store in memory: survives reconnects, not restarts.
 *
 * @example
 * const replayStore = createMemoryReplayStore<string>();
 * // ... after some events: replayStore.values.get('/event/Order__e')
 */
export function createMemoryReplayStore<Id = number>(
  initial: Record<string, Id> = {},
): ReplayStore<Id> & { readonly values: ReadonlyMap<string, Id> } {
  const values = new Map<string, Id>(Object.entries(initial));
  return {
    values,
    get: (key) => values.get(key),
    set: (key, replayId) => {
      values.set(key, replayId);
    },
  };
}
