// Replay ids: stores, restarts, and what happens when the server no longer retains an id.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSalesforceError, type SalesforceError } from '@sf/core';
import {
  createFileReplayStore,
  createMemoryReplayStore,
  platformEvent,
  publishEvent,
  type ReplayGap,
  subscribe,
} from '../src/index.js';
import { connect, emulatorPerTest, fast, until } from './helpers.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});
// Registered after the hook above, so it runs before it: the emulator closes, then dir goes.
const emulator = emulatorPerTest();

describe('replay', () => {
  it('a subscriber restarted with a file replay store receives everything published while it was away', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    const conn = connect(emu);
    dir = await mkdtemp(join(tmpdir(), 'sf-streaming-'));
    const path = join(dir, 'state', 'replay.json');

    const first: number[] = [];
    const sub1 = subscribe(conn, platformEvent('Tick__e'), {
      ...fast,
      replayStore: createFileReplayStore(path),
    });
    await sub1.ready();
    for (let n = 0; n < 5; n++) await publishEvent(conn, 'Tick__e', { N__c: n });
    for await (const m of sub1) {
      first.push(m.payload.N__c);
      if (first.length === 5) break; // ends the subscription, storing the last replay id
    }
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ '/event/Tick__e': 5 });

    for (let n = 5; n < 12; n++) await publishEvent(conn, 'Tick__e', { N__c: n });

    const second: number[] = [];
    const sub2 = subscribe(conn, platformEvent('Tick__e'), {
      ...fast,
      replayStore: createFileReplayStore(path),
    });
    sub2.on('message', (m) => second.push(m.payload.N__c));
    await until(() => second.length === 7, 20_000, 'missed events');
    expect(second).toEqual([5, 6, 7, 8, 9, 10, 11]);
    await sub2.unsubscribe();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ '/event/Tick__e': 12 });
  });

  it('replay -2 delivers everything retained; a memory store is updated as messages are delivered', async () => {
    const emu = await emulator({ streaming: { platformEvents: [{ name: 'Tick__e' }] } });
    const conn = connect(emu);
    for (let n = 0; n < 3; n++) await publishEvent(conn, 'Tick__e', { N__c: n });
    const store = createMemoryReplayStore();
    const sub = subscribe(conn, platformEvent('Tick__e'), { ...fast, replay: -2, replayStore: store });
    const seen: number[] = [];
    sub.on('message', (m) => seen.push(m.payload.N__c));
    await until(() => seen.length === 3, 20_000, 'retained events');
    expect(seen).toEqual([0, 1, 2]);
    expect(store.values.get('/event/Tick__e')).toBe(3);
    expect(sub.replayId).toBe(3);
    await sub.unsubscribe();
  });

  describe('when the replay id is no longer retained', () => {
    const setup = async () => {
      const emu = await emulator({
        streaming: { retention: { maxEvents: 3 }, platformEvents: [{ name: 'Tick__e' }] },
      });
      const conn = connect(emu);
      for (let n = 0; n < 6; n++) await publishEvent(conn, 'Tick__e', { N__c: n });
      // Replay id 1 was evicted: only 4, 5 and 6 are retained.
      return { conn, replayStore: createMemoryReplayStore({ '/event/Tick__e': 1 }) };
    };

    it("'fail' ends the subscription with REPLAY_ID_UNAVAILABLE", async () => {
      const { conn, replayStore } = await setup();
      const sub = subscribe(conn, platformEvent('Tick__e'), { ...fast, replayStore });
      const error = await sub.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSalesforceError(error, 'REPLAY_ID_UNAVAILABLE')).toBe(true);
      expect((error as SalesforceError).message).toMatch(/^\[@sf\/streaming\] replay id 1 /);
      expect(sub.closed).toBe(true);
      await expect(sub[Symbol.asyncIterator]().next()).rejects.toBe(error);
    });

    it("'fromEarliest' resumes with -2 and reports the gap", async () => {
      const { conn, replayStore } = await setup();
      const sub = subscribe(conn, platformEvent('Tick__e'), {
        ...fast,
        replayStore,
        onReplayUnavailable: 'fromEarliest',
      });
      const gaps: ReplayGap[] = [];
      const seen: number[] = [];
      sub.on('gap', (gap) => gaps.push(gap));
      sub.on('message', (m) => seen.push(m.payload.N__c));
      await until(() => seen.length === 3, 20_000, 'retained events');
      expect(seen).toEqual([3, 4, 5]);
      expect(gaps).toEqual([
        { channel: '/event/Tick__e', requestedReplayId: 1, resumedFrom: -2, nextReplayId: 4 },
      ]);
      await sub.unsubscribe();
    });

    it("'fromNew' resumes with -1", async () => {
      const { conn, replayStore } = await setup();
      const sub = subscribe(conn, platformEvent('Tick__e'), {
        ...fast,
        replayStore,
        onReplayUnavailable: 'fromNew',
      });
      const gaps: ReplayGap[] = [];
      sub.on('gap', (gap) => gaps.push(gap));
      await sub.ready();
      const got = new Promise<number>((resolve) => sub.once('message', (m) => resolve(m.payload.N__c)));
      await publishEvent(conn, 'Tick__e', { N__c: 99 });
      expect(await got).toBe(99);
      expect(gaps).toEqual([
        { channel: '/event/Tick__e', requestedReplayId: 1, resumedFrom: -1, nextReplayId: 7 },
      ]);
      await sub.unsubscribe();
    });
  });
});
