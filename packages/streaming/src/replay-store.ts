// Where the last delivered replay id of each channel is kept, so a restarted process resumes
// where it stopped. One small interface; an in-memory and a file store are built in.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SalesforceError } from '@sf/core';

/**
 * Keeps the last delivered replay id per channel. `set` is called as messages are delivered;
 * implementations may coalesce writes but must keep the newest value.
 */
export interface ReplayStore {
  get(channel: string): Promise<number | undefined> | number | undefined;
  set(channel: string, replayId: number): Promise<void> | void;
  /** Waits for pending writes (called by `close()`). */
  flush?(): Promise<void>;
}

/** A replay store in memory: survives reconnects, not restarts. */
export function createMemoryReplayStore(initial: Record<string, number> = {}): ReplayStore & {
  readonly values: ReadonlyMap<string, number>;
} {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (channel) => values.get(channel),
    set: (channel, replayId) => {
      values.set(channel, replayId);
    },
  };
}

let tmpCounter = 0;

/**
 * A replay store in a JSON file (`{ "/topic/X": 42 }`). Writes go to a temporary file that is
 * then renamed over the old one, so a crash leaves either the old or the new file, never half
 * of one. Writes are coalesced: at most one in flight, the newest values written next.
 *
 * @example
 * const replayStore = createFileReplayStore('./state/replay.json');
 * const sub = subscribe(conn, topic('AllAccounts'), { replayStore, replay: -2 });
 */
export function createFileReplayStore(path: string): ReplayStore {
  // Without a prototype, channels named like `__proto__` or `constructor` are plain keys.
  let values: Record<string, number> | undefined;
  // Unique per store, so two stores on one path never rename each other's half-written file.
  const tmp = `${path}.${process.pid}.${(tmpCounter++).toString(36)}.tmp`;
  let writing: Promise<void> | undefined;
  let dirty = false;
  let failure: unknown;

  const load = async (): Promise<Record<string, number>> => {
    if (values) return values;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
      values = Object.create(null) as Record<string, number>;
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [channel, id] of Object.entries(parsed)) {
          if (typeof id === 'number') values[channel] = id;
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new SalesforceError(`cannot read the replay store ${path}`, {
          code: 'REPLAY_STORE_FAILED',
          source: '@sf/streaming',
          cause: error,
        });
      }
      values = Object.create(null) as Record<string, number>;
    }
    return values;
  };

  const writeLoop = async () => {
    while (dirty) {
      dirty = false;
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(tmp, JSON.stringify(values ?? {}));
        await rename(tmp, path);
      } catch (error) {
        failure = error;
      }
    }
    writing = undefined;
  };

  return {
    async get(channel) {
      const current = await load();
      return Object.hasOwn(current, channel) ? current[channel] : undefined;
    },
    async set(channel, replayId) {
      const current = await load();
      current[channel] = replayId;
      dirty = true;
      writing ??= writeLoop();
    },
    async flush() {
      while (writing) await writing;
      if (failure !== undefined) {
        const cause = failure;
        failure = undefined;
        throw new SalesforceError(`cannot write the replay store ${path}`, {
          code: 'REPLAY_STORE_FAILED',
          source: '@sf/streaming',
          cause,
        });
      }
    },
  };
}
