// The file replay store (fast-check): any channel names and replay ids survive a restart, and a
// write cut short (the process dying while the temporary file is written, or after it is written
// but before the rename) leaves the old file, never a corrupt one; the next process goes on.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createFileReplayStore } from '../src/replay-store.js';

// Where the next write "dies": the process stops for good at that point (a promise that never
// settles), as a crash or a kill would stop it.
type CrashPoint = { at: 'write'; bytes: number } | { at: 'rename' };
const crash = vi.hoisted(() => ({ point: undefined as CrashPoint | undefined, died: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const dead = () => {
    crash.point = undefined;
    crash.died++;
    return new Promise<never>(() => {});
  };
  return {
    ...actual,
    writeFile: async (...args: Parameters<typeof actual.writeFile>) => {
      const point = crash.point;
      if (point?.at === 'write') {
        await actual.writeFile(args[0], String(args[1]).slice(0, point.bytes));
        return dead();
      }
      return actual.writeFile(...args);
    },
    rename: async (...args: Parameters<typeof actual.rename>) => {
      if (crash.point?.at === 'rename') return dead();
      return actual.rename(...args);
    },
  };
});

const channelName = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', '/topic/Invoice', '/data/ChangeEvents'),
);
const replayId = fc.integer({ min: -2, max: Number.MAX_SAFE_INTEGER });
const writes = fc.array(fc.tuple(channelName, replayId), { minLength: 1, maxLength: 20 });

/** The values a sequence of `set` calls leaves: the last id set for each channel. */
function lastValues(pairs: Array<[string, number]>): Map<string, number> {
  const values = new Map<string, number>();
  for (const [channel, id] of pairs) values.set(channel, id);
  return values;
}

async function withDir(run: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-replay-store-'));
  try {
    await run(join(dir, 'state', 'replay.json'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function write(path: string, pairs: Array<[string, number]>): Promise<void> {
  const store = createFileReplayStore(path);
  for (const [channel, id] of pairs) await store.set(channel, id);
  await store.flush?.();
}

async function expectStored(path: string, expected: Map<string, number>, absent: string[]) {
  // The file itself is whole JSON holding exactly these values.
  const onDisk = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
  expect(new Map(Object.entries(onDisk))).toEqual(expected);
  const store = createFileReplayStore(path);
  for (const [channel, id] of expected) expect(await store.get(channel)).toBe(id);
  for (const channel of absent) {
    if (!expected.has(channel)) expect(await store.get(channel)).toBeUndefined();
  }
}

describe('file replay store (fast-check)', () => {
  it('round-trips any channel names and replay ids through a restart', async () => {
    await fc.assert(
      fc.asyncProperty(writes, fc.array(channelName, { maxLength: 5 }), async (pairs, others) => {
        await withDir(async (path) => {
          await write(path, pairs);
          await expectStored(path, lastValues(pairs), others);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a write interrupted between the temporary file and the rename leaves the old file; the next process writes the new', async () => {
    const crashPoint = fc.oneof(
      fc.nat({ max: 400 }).map<CrashPoint>((bytes) => ({ at: 'write', bytes })),
      fc.constant<CrashPoint>({ at: 'rename' }),
    );
    await fc.assert(
      fc.asyncProperty(writes, writes, crashPoint, async (before, update, point) => {
        await withDir(async (path) => {
          await write(path, before);
          const old = lastValues(before);

          const dying = createFileReplayStore(path);
          await dying.get('anything'); // loaded, as a running subscriber's store is
          const died = crash.died;
          crash.point = point;
          for (const [channel, id] of update) await dying.set(channel, id);
          while (crash.died === died) await new Promise((resolve) => setImmediate(resolve));

          // After the "restart": the old values, whole.
          await expectStored(
            path,
            old,
            update.map(([channel]) => channel),
          );
          // And the restarted process writes the new ones over whatever the dead one left.
          await write(path, update);
          await expectStored(path, lastValues([...before, ...update]), []);
        });
      }),
      { numRuns: 40 },
    );
  });
});
