import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createRecordStream, createRecordWritable, RecordStream } from '../src/index.js';

// No timing assertions: "slow" means the consumer yields to the event loop on every write, and
// the test asserts how far the producer gets ahead of it, counted in records.
const TOTAL = 100_000;
const HWM = 16; // the default highWaterMark of every record stream stage
const BATCH = 50;

interface Row {
  Id: number;
  Name: string;
  Account: { Name: string };
}

function tracker() {
  const state = { produced: 0, consumed: 0, maxAhead: 0 };
  function* records(): Generator<Row> {
    for (let i = 0; i < TOTAL; i++) {
      state.produced++;
      state.maxAhead = Math.max(state.maxAhead, state.produced - state.consumed);
      yield { Id: i, Name: `Name ${i}`, Account: { Name: 'Acme' } };
    }
  }
  return { state, records };
}

describe('backpressure end to end', () => {
  it('map → filter → batch into a slow writable stays a bounded distance ahead', async () => {
    const { state, records } = tracker();
    const chain = RecordStream.from(records())
      .map((r) => ({ ...r, Name: r.Name.toUpperCase() }))
      .filter((r) => {
        if (r.Id % 10 === 0) {
          state.consumed++; // dropped records count as consumed
          return false;
        }
        return true;
      })
      .batch(BATCH);
    const sink = createRecordWritable<Row[]>(
      async (rows) => {
        await tick();
        state.consumed += rows.length;
      },
      { highWaterMark: 1 },
    );
    await pipeline(chain, sink);
    expect(state.produced).toBe(TOTAL);
    expect(state.consumed).toBe(TOTAL);
    // Per stage: from, map and filter each buffer HWM records plus one in flight; batch holds
    // one batch being built and one finished; the sink one buffered and one being written.
    const bound = 3 * (HWM + 1) + 4 * BATCH;
    expect(state.maxAhead).toBeLessThanOrEqual(bound);
  });

  it('map → filter → toCSV into a slow byte writable stays a bounded distance ahead', async () => {
    const { state, records } = tracker();
    const BYTES = 64;
    let headerSeen = false;
    const csv = RecordStream.from(records())
      .map((r) => ({ ...r, Extra: 'x' }))
      .filter((r) => {
        if (r.Id % 10 === 0) {
          state.consumed++;
          return false;
        }
        return true;
      })
      .toCSV({ highWaterMark: BYTES });
    let bytes = 0;
    const sink = new Writable({
      highWaterMark: BYTES,
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        let rows = chunk.toString('utf8').split('\n').length - 1;
        if (!headerSeen && rows > 0) {
          headerSeen = true;
          rows--;
        }
        setImmediate(() => {
          state.consumed += rows;
          callback();
        });
      },
    });
    await pipeline(csv, sink);
    expect(state.consumed).toBe(TOTAL);
    expect(bytes).toBeGreaterThan(TOTAL * 10);
    // Record stages as above; rows: one buffered, one being made, one in csv-stringify's
    // writable side; bytes: at most BYTES plus one row in its readable side and in the sink.
    // A row is at least 16 bytes here ('1,Name 1,Acme,x\n').
    const bound = 3 * (HWM + 1) + 3 + 2 * (Math.ceil(BYTES / 16) + 1) + 2;
    expect(state.maxAhead).toBeLessThanOrEqual(bound);
  });

  it('a pull producer of large pages fetches a page only when the previous one is nearly read', async () => {
    const PAGE = 2000;
    let pulled = 0;
    let consumed = 0;
    let maxAhead = 0;
    const pages = createRecordStream<number>(async () => {
      if (pulled >= 20 * PAGE) return null;
      pulled += PAGE;
      maxAhead = Math.max(maxAhead, pulled - consumed);
      return Array.from({ length: PAGE }, (_, i) => i);
    });
    await pipeline(
      pages.batch(200),
      createRecordWritable<number[]>(
        async (rows) => {
          await tick();
          consumed += rows.length;
        },
        { highWaterMark: 1 },
      ),
    );
    expect(consumed).toBe(20 * PAGE);
    // The page being read, the next one just fetched, and the batches in between.
    expect(maxAhead).toBeLessThanOrEqual(2 * PAGE + 4 * 200);
  });
});
