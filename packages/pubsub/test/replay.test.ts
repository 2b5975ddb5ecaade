import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryReplayStore, isSalesforceError } from '@sf/core';
import { createFileReplayStore } from '@sf/core/file-replay-store';
import { describe, expect, it } from 'vitest';
import { publish, type ReplayGap, subscribe } from '../src/index.js';
import { harness, range } from './helpers.js';

const typed = { pubsub: { eventFields: { Order__e: { Seq__c: 'int' } } } } as const;
const fast = { initialMs: 2, maxMs: 20 };

describe('replay', () => {
  it('restarting from a file replay store loses nothing and repeats nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pubsub-replay-'));
    try {
      const path = join(dir, 'replay.json');
      const { client } = await harness(typed);
      await publish(
        client,
        '/event/Order__e',
        range(0, 100).map((Seq__c) => ({ Seq__c })),
      );
      const seen: number[] = [];
      // First run: takes 40 events, then the process "stops".
      const first = subscribe(client, '/event/Order__e', {
        replay: -2,
        batchSize: 25,
        replayStore: createFileReplayStore<string>(path),
      });
      for await (const e of first) if (seen.push(e.payload.Seq__c as number) === 40) break;
      await first.close();
      expect(JSON.parse(await readFile(path, 'utf8'))['/event/Order__e']).toBe(first.replayId);
      // Second run: a new store on the same file; `replay: -2` is ignored because an id is stored.
      const second = subscribe(client, '/event/Order__e', {
        replay: -2,
        replayStore: createFileReplayStore<string>(path),
      });
      for await (const e of second) if (seen.push(e.payload.Seq__c as number) === 100) break;
      await second.close();
      expect(seen).toEqual(range(0, 100));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('commits an id only once the consumer took the event: the one being handled is not stored yet', async () => {
    const { client } = await harness(typed);
    await publish(
      client,
      '/event/Order__e',
      range(0, 3).map((Seq__c) => ({ Seq__c })),
    );
    const store = createMemoryReplayStore<string>();
    const sub = subscribe(client, '/event/Order__e', { replay: -2, replayStore: store });
    const ids: string[] = [];
    for await (const e of sub) {
      // While the loop body runs, the store still holds the previous event's id.
      expect(store.values.get('/event/Order__e')).toBe(ids.at(-1));
      if (ids.push(e.replayId) === 3) break;
    }
    expect(store.values.get('/event/Order__e')).toBe(ids[2]);
  });

  it('a corrupted stored replay id fails with REPLAY_ID_INVALID by default; the awaited iterator rejects, nothing crashes', async () => {
    const { client } = await harness(typed);
    const store = createMemoryReplayStore<string>({
      '/event/Order__e': Buffer.from('not a replay id').toString('base64'),
    });
    const sub = subscribe(client, '/event/Order__e', { replayStore: store });
    let caught: unknown;
    try {
      for await (const _ of sub) break;
    } catch (error) {
      caught = error;
    }
    expect(isSalesforceError(caught, 'REPLAY_ID_INVALID')).toBe(true);
    expect(String((caught as Error).message)).toMatch(/^\[@sf\/pubsub\]/);
    expect(sub.closed).toBe(true);
  });

  it('with an error listener, the listener gets the fatal error', async () => {
    const { client } = await harness(typed);
    const sub = subscribe(client, '/event/Order__e', { replay: Buffer.from('bad').toString('base64') });
    const error = await new Promise((resolve) => sub.on('error', resolve));
    expect(isSalesforceError(error, 'REPLAY_ID_INVALID')).toBe(true);
  });

  it("onReplayUnavailable: 'fromEarliest' reports the gap and goes on with everything retained", async () => {
    const { client } = await harness(typed);
    await publish(
      client,
      '/event/Order__e',
      range(0, 3).map((Seq__c) => ({ Seq__c })),
    );
    const bad = Buffer.from('garbage').toString('base64');
    const sub = subscribe(client, '/event/Order__e', { replay: bad, onReplayUnavailable: 'fromEarliest' });
    const gaps: ReplayGap[] = [];
    sub.on('gap', (g) => gaps.push(g));
    const got: number[] = [];
    for await (const e of sub) if (got.push(e.payload.Seq__c as number) === 3) break;
    expect(got).toEqual([0, 1, 2]);
    expect(gaps).toEqual([{ topic: '/event/Order__e', requestedReplayId: bad, resumedFrom: 'EARLIEST' }]);
  });

  it("a replay id refused on reconnect with 'fromNew' resumes at LATEST and reports the gap", async () => {
    const { emu, client } = await harness(typed);
    await publish(client, '/event/Order__e', [{ Seq__c: 0 }]);
    const sub = subscribe(client, '/event/Order__e', {
      replay: -2,
      onReplayUnavailable: 'fromNew',
      reconnect: fast,
    });
    const gaps: ReplayGap[] = [];
    sub.on('gap', (g) => gaps.push(g));
    const got: number[] = [];
    for await (const e of sub) {
      got.push(e.payload.Seq__c as number);
      if (got.length === 1) {
        emu.pubsub!.corruptNextReplayIds(1);
        emu.pubsub!.dropStreams();
        await new Promise<void>((resolve) => sub.once('gap', () => resolve()));
        await sub.ready();
        // Published after the gap: LATEST sees it.
        await new Promise((r) => setTimeout(r, 50));
        await publish(client, '/event/Order__e', [{ Seq__c: 1 }]);
      }
      if (got.length === 2) break;
    }
    expect(got).toEqual([0, 1]);
    expect(gaps).toMatchObject([{ resumedFrom: 'LATEST', requestedReplayId: expect.any(String) }]);
  });
});
