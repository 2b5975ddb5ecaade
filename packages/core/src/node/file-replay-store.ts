// The file-backed replay store, behind its own entry point (`@sf/core/file-replay-store`)
// because it needs node:fs, which core's main entry must not load (edge runtimes).

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { salesforceError } from '../errors.js';
import type { ReplayStore } from '../replay-store.js';

export interface FileReplayStoreOptions {
  /** Package named in error messages; `@sf/core` by default. */
  source?: string;
}

let tmpCounter = 0;

/**
 * A replay store in a JSON file (`{ "/event/Order__e": "AAAAAAAAAAE=" }`). Values are numbers
 * (CometD) or strings (the Pub/Sub API's base64 replay ids); anything else in the file is
 * ignored. Writes go to a temporary file renamed over the old one, so a crash leaves either
 * the old or the new file, never half of one. Writes are coalesced: at most one in flight, the
 * newest values written next. Failures surface from `flush()` as `REPLAY_STORE_FAILED`.
 *
 * @example
 * import { createFileReplayStore } from '@sf/core/file-replay-store';
 * const replayStore = createFileReplayStore<string>('./state/replay.json');
 */
export function createFileReplayStore<Id extends number | string = number>(
  path: string,
  options: FileReplayStoreOptions = {},
): ReplayStore<Id> {
  const source = options.source ?? '@sf/core';
  // Without a prototype, keys named like `__proto__` or `constructor` are plain keys.
  let values: Record<string, Id> | undefined;
  // Unique per store, so two stores on one path never rename each other's half-written file.
  const tmp = `${path}.${process.pid}.${(tmpCounter++).toString(36)}.tmp`;
  let writing: Promise<void> | undefined;
  let dirty = false;
  let failure: unknown;

  const load = async (): Promise<Record<string, Id>> => {
    if (values) return values;
    const loaded = Object.create(null) as Record<string, Id>;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [key, id] of Object.entries(parsed)) {
          if (typeof id === 'number' || typeof id === 'string') loaded[key] = id as Id;
        }
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') {
        throw salesforceError(source, 'REPLAY_STORE_FAILED', `cannot read the replay store ${path}`, {
          cause: error,
        });
      }
    }
    values ??= loaded;
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
    async get(key) {
      const current = await load();
      return Object.hasOwn(current, key) ? current[key] : undefined;
    },
    async set(key, replayId) {
      const current = await load();
      current[key] = replayId;
      dirty = true;
      writing ??= writeLoop();
    },
    async flush() {
      while (writing) await writing;
      if (failure !== undefined) {
        const cause = failure;
        failure = undefined;
        throw salesforceError(source, 'REPLAY_STORE_FAILED', `cannot write the replay store ${path}`, {
          cause,
        });
      }
    },
  };
}
