// Replay bookkeeping, pure: for any stream of increasing replay ids cut by reconnects that
// replay overlaps and duplicates, every id is delivered exactly once and in order, and the id to
// resume from (and the one stored) is always the last delivered. Then the gap each policy reports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fallBack,
  type ReplayCursor,
  type ReplayPolicy,
  receive,
  resumeFrom,
  startCursor,
} from '../src/replay-cursor.js';
import { createMemoryReplayStore } from '../src/replay-store.js';
import { type StreamingMessage, SubscriptionImpl } from '../src/subscription.js';

/** What the server does next: send the next event, send the last one again, or reconnect. */
type Op = { kind: 'send' } | { kind: 'duplicate' } | { kind: 'reconnect'; overlap: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Op>({ kind: 'send' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'duplicate' }) },
  {
    weight: 2,
    arbitrary: fc.nat({ max: 6 }).map<Op>((overlap) => ({ kind: 'reconnect', overlap })),
  },
);

/** A resume position, then the channel's events after it: strictly increasing replay ids. */
const scenario = fc.record({
  start: fc.integer({ min: 0, max: 1_000_000 }),
  gaps: fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 60 }),
  ops: fc.array(op, { maxLength: 150 }),
});

function replayIds(start: number, gaps: number[]): number[] {
  const ids: number[] = [];
  let id = start;
  for (const gap of gaps) ids.push((id += gap));
  return ids;
}

/**
 * A server that honours the replay id it is given, except that a reconnect may replay up to
 * `overlap` events the client already has (as a resubscribe racing a delivery does), and that
 * it sometimes sends an event twice. Yields each step's message (undefined: none); whatever
 * the ops left unsent follows at the end.
 */
function* server(ids: number[], ops: Op[], resumeId: () => number): Generator<number | undefined> {
  let next = 0;
  for (const step of ops) {
    if (step.kind === 'send' && next < ids.length) yield ids[next++];
    else if (step.kind === 'duplicate' && next > 0) yield ids[next - 1];
    else {
      if (step.kind === 'reconnect') {
        const after = resumeId();
        const first = ids.findIndex((id) => id > after);
        next = Math.max(0, (first === -1 ? ids.length : first) - step.overlap);
      }
      yield undefined;
    }
  }
  while (next < ids.length) yield ids[next++];
}

describe('replay cursor (fast-check)', () => {
  it('delivers every id exactly once, in order, and always resumes from the last delivered', () => {
    fc.assert(
      fc.property(scenario, ({ start, gaps, ops }) => {
        const ids = replayIds(start, gaps);
        let cursor: ReplayCursor = startCursor(start, -1);
        const delivered: number[] = [];
        for (const id of server(ids, ops, () => resumeFrom(cursor))) {
          if (id !== undefined) {
            const step = receive(cursor, id);
            cursor = step.cursor;
            expect(step.gap).toBeUndefined();
            if (step.accept) delivered.push(id);
          }
          expect(resumeFrom(cursor)).toBe(delivered.at(-1) ?? start);
        }
        expect(delivered).toEqual(ids);
      }),
    );
  });

  it('starts from the stored id, else the replay option, else -1', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.integer({ min: -2, max: 1_000_000 }), { nil: undefined }),
        (stored, replay) => {
          expect(resumeFrom(startCursor(stored, replay))).toBe(stored ?? replay ?? -1);
        },
      ),
    );
  });

  it('a message without a replay id is always accepted and moves nothing', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(undefined, null, '42', {}), (received, missing) => {
        const cursor = receive(startCursor(undefined, -1), received).cursor;
        const step = receive(cursor, missing);
        expect(step.accept).toBe(true);
        expect(resumeFrom(step.cursor)).toBe(received);
      }),
    );
  });

  it("reports the gap each policy leaves, once, with the first id after it; 'fail' has no way on", () => {
    const policy = fc.constantFrom<ReplayPolicy>('fail', 'fromEarliest', 'fromNew');
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000 }),
        fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 5 }),
        policy,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 10 }),
        (stored, before, policy, twice, after) => {
          let cursor = startCursor(stored, undefined);
          for (const id of before) cursor = receive(cursor, id).cursor;
          const requested = resumeFrom(cursor);
          const next = fallBack(cursor, policy);
          if (policy === 'fail') {
            expect(next).toBeUndefined();
            return;
          }
          const resumedFrom = policy === 'fromEarliest' ? -2 : -1;
          expect(next).toBeDefined();
          cursor = next as ReplayCursor;
          // The fallback subscribe can itself be refused before anything arrives.
          if (twice) cursor = fallBack(cursor, policy) as ReplayCursor;
          expect(resumeFrom(cursor)).toBe(resumedFrom);
          // After the fallback the server's ids are the truth, even ones below the old position.
          const ids = replayIds(0, after);
          const gaps = ids.map((id) => {
            const step = receive(cursor, id);
            cursor = step.cursor;
            expect(step.accept).toBe(true);
            return step.gap;
          });
          expect(gaps[0]).toEqual({ requestedReplayId: requested, resumedFrom, nextReplayId: ids[0] });
          expect(gaps.slice(1).every((gap) => gap === undefined)).toBe(true);
          expect(resumeFrom(cursor)).toBe(ids.at(-1));
        },
      ),
    );
  });
});

describe('subscription bookkeeping with a replay store (fast-check)', () => {
  const channel = '/event/Tick__e';
  const message = (replayId: number): StreamingMessage => ({ event: { replayId }, payload: {} });
  // Store writes are chained promises; every pending one has run by the next macrotask.
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** A subscription resumed from `start`, storing its replay ids in a memory store. */
  const resumed = async (start: number) => {
    const store = createMemoryReplayStore({ [channel]: start });
    const sub = new SubscriptionImpl(channel, { store }, async (s) => {
      s.end();
      await s.flush();
    });
    await sub.init(-1);
    return { store, sub };
  };

  it('with message listeners: the stored id is always the last delivered, every id once and in order', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ start, gaps, ops }) => {
        const ids = replayIds(start, gaps);
        const { store, sub } = await resumed(start);
        const delivered: number[] = [];
        sub.on('message', (m) => delivered.push(m.event.replayId));
        for (const id of server(ids, ops, () => sub.replayFrom())) {
          if (id !== undefined) sub.deliver(message(id));
          const last = delivered.at(-1) ?? start;
          expect(sub.replayFrom()).toBe(last);
          await settled();
          expect(store.values.get(channel)).toBe(last);
          expect(sub.replayId).toBe(delivered.at(-1));
        }
        expect(delivered).toEqual(ids);
        await sub.unsubscribe();
        expect(store.values.get(channel)).toBe(ids.at(-1) ?? start);
      }),
      { numRuns: 50 },
    );
  });

  it('with an iterator: an id is stored once the loop asks for the next message, and break stores the last', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async ({ start, gaps, ops }, cut) => {
        const ids = replayIds(start, gaps);
        const { store, sub } = await resumed(start);
        for (const id of server(ids, ops, () => sub.replayFrom())) {
          if (id !== undefined) sub.deliver(message(id));
        }
        const take = cut % (ids.length + 1);
        const seen: number[] = [];
        if (take === 0) await sub.unsubscribe();
        else {
          for await (const m of sub) {
            await settled();
            // The one before was processed; this one is still in the loop's hands.
            expect(store.values.get(channel)).toBe(seen.at(-1) ?? start);
            seen.push(m.event.replayId);
            if (seen.length === take) break;
          }
        }
        expect(seen).toEqual(ids.slice(0, take));
        // `break` unsubscribes, and the message the loop was on counts as delivered.
        expect(store.values.get(channel)).toBe(seen.at(-1) ?? start);
      }),
      { numRuns: 50 },
    );
  });
});
