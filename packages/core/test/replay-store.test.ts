import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryReplayStore, isSalesforceError, type ReplayStore } from '../src/index.js';
import { createFileReplayStore } from '../src/node/file-replay-store.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});
const tmp = async () => (dir = await mkdtemp(join(tmpdir(), 'replay-store-')));

describe('ReplayStore', () => {
  it('one interface fits CometD numbers and Pub/Sub base64 ids (memory store)', () => {
    const cometd: ReplayStore<number> = createMemoryReplayStore({ '/topic/A': 7 });
    const pubsub = createMemoryReplayStore<string>();
    pubsub.set('/event/Order__e', 'AAAAAAAAAAE=');
    expect(cometd.get('/topic/A')).toBe(7);
    expect(pubsub.values.get('/event/Order__e')).toBe('AAAAAAAAAAE=');
  });

  it('the file store survives a restart (a new store on the same file), with number and string ids', async () => {
    const path = join(await tmp(), 'state', 'replay.json');
    const first = createFileReplayStore<number | string>(path);
    await first.set('/topic/A', 41);
    await first.set('/event/Order__e', 'AAAAAAAAAAE=');
    await first.set('__proto__', 1);
    await first.flush?.();
    const second = createFileReplayStore<number | string>(path);
    expect(await second.get('/topic/A')).toBe(41);
    expect(await second.get('/event/Order__e')).toBe('AAAAAAAAAAE=');
    expect(await second.get('__proto__')).toBe(1);
    expect(await second.get('missing')).toBeUndefined();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ '/topic/A': 41 });
  });

  it('a file that is not JSON fails REPLAY_STORE_FAILED, naming the package given', async () => {
    const path = join(await tmp(), 'replay.json');
    await writeFile(path, '{ not json');
    const store = createFileReplayStore(path, { source: '@sf/pubsub' });
    const error = await Promise.resolve(store.get('x')).catch((e: unknown) => e);
    expect(isSalesforceError(error, 'REPLAY_STORE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/^\[@sf\/pubsub\] cannot read the replay store/);
  });

  it("core's main entry stays free of node: imports (the file store has its own entry)", async () => {
    const source = await readFile(new URL('../src/replay-store.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from 'node:/);
    const index = await readFile(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(index).not.toMatch(/file-replay-store/);
  });
});
