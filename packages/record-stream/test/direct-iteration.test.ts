// `for await` over a record stream nobody has read yet takes its producer's batches directly
// (no per-record Readable buffering). What must hold on that path is what Node's iterator gives.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createRecordStream, RecordStream } from '../src/index.js';

function pages(count: number, size: number) {
  let pulls = 0;
  const stream = createRecordStream<number>(() => {
    if (pulls === count) return null;
    const base = pulls++ * size;
    return Array.from({ length: size }, (_, i) => base + i);
  });
  return { stream, pulls: () => pulls };
}

describe('for await over an untouched record stream', () => {
  it('yields every record in order, then ends the stream as Node does (end, close, onClose(null))', async () => {
    let closedWith: unknown = 'not closed';
    let ended = false;
    let pulls = 0;
    const stream = createRecordStream<number>(() => (pulls++ < 3 ? [pulls * 10, pulls * 10 + 1] : null), {
      onClose: (error) => (closedWith = error),
    });
    stream.on('end', () => (ended = true));
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([10, 11, 20, 21, 30, 31]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(true);
    expect(stream.readableEnded).toBe(true);
    expect(stream.destroyed).toBe(true);
    expect(closedWith).toBeNull();
  });

  it('pulls one batch at a time, only as records are taken', async () => {
    const { stream, pulls } = pages(100, 10);
    let read = 0;
    for await (const _ of stream) {
      read++;
      expect(pulls()).toBe(Math.ceil(read / 10));
    }
    expect(read).toBe(1000);
  });

  it('ends when the stream is destroyed while a pull that ignores its signal is pending', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    const stream = createRecordStream<number>(() => {
      calls++;
      if (calls === 1) return [1];
      // Never settles on its own, and ignores the signal.
      return new Promise<number[]>((resolve) => {
        release = () => resolve([2]);
      });
    });
    const seen: number[] = [];
    const done = (async () => {
      for await (const n of stream) {
        seen.push(n);
        setImmediate(() => stream.destroy(new Error('stopped')));
      }
    })();
    await expect(done).rejects.toThrow('stopped');
    expect(seen).toEqual([1]);
    release?.();
  });

  it('rejects with signal.reason, unchanged, when the signal aborts mid-iteration', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const stream = createRecordStream<number>(
      async (_s, signal) => {
        await new Promise((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
        return [1, 2];
      },
      { signal: controller.signal },
    );
    const done = (async () => {
      for await (const _ of stream) controller.abort(reason);
    })();
    await expect(done).rejects.toBe(reason);
  });

  it("uses Node's iterator once the stream was read or piped, with the same records", async () => {
    const read = pages(3, 2).stream;
    expect(read.read()).toBe(null); // starts the Readable's own pulling
    const rest: number[] = [];
    for await (const n of read) rest.push(n);
    expect(rest).toEqual([0, 1, 2, 3, 4, 5]);

    const piped: number[] = [];
    await pipeline(
      pages(2, 3).stream,
      new Writable({
        objectMode: true,
        write(n: number, _e, cb) {
          piped.push(n);
          cb();
        },
      }),
    );
    expect(piped).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('chains (map, filter) over it read every record', async () => {
    const out = await RecordStream.from(pages(5, 4).stream)
      .map((n) => n * 2)
      .filter((n) => n % 4 === 0)
      .toArray();
    expect(out).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  });
});

describe("for await over an untouched record stream keeps what Node's iterator guarantees", () => {
  it('never runs two pulls at once, even when next() is called again before the last settles', async () => {
    let inFlight = 0;
    let most = 0;
    let page = 0;
    const stream = createRecordStream<string>(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      page++;
      return page <= 3 ? [`page${page}`] : null;
    });
    const it = stream[Symbol.asyncIterator]();
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    expect(results.map((r) => r.value ?? 'done')).toEqual(['page1', 'page2', 'page3', 'done']);
    expect(most).toBe(1);
  });

  it('destroy() without an error ends it with a premature close, and destroy(error) mid-batch at once', async () => {
    const whole = createRecordStream<number>(() => [1, 2, 3, 4, 5]);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of whole) {
          seen.push(n);
          if (n === 2) whole.destroy();
        }
      })(),
    ).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(seen).toEqual([1, 2]);

    const failing = createRecordStream<number>(() => [1, 2, 3, 4, 5]);
    const before: number[] = [];
    const stop = new Error('stop now');
    await expect(
      (async () => {
        for await (const n of failing) {
          before.push(n);
          if (n === 2) failing.destroy(stop);
        }
      })(),
    ).rejects.toBe(stop);
    expect(before).toEqual([1, 2]);
  });

  it('a pull that resolves undefined, or a batch holding null, fails the stream (onClose told) and yields none of it', async () => {
    let closed: unknown = 'not closed';
    let calls = 0;
    const forgot = createRecordStream<number>(() => (calls++ === 0 ? [1] : (undefined as never)), {
      onClose: (error) => (closed = error),
    });
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const n of forgot) got.push(n);
      })(),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(got).toEqual([1]);
    expect(closed).toMatchObject({ code: 'INVALID_ARGUMENT' });

    const holes = createRecordStream<number>(() => [1, 2, null as never, 4]);
    const none: number[] = [];
    await expect(
      (async () => {
        for await (const n of holes) none.push(n);
      })(),
    ).rejects.toMatchObject({ code: 'INVALID_RECORD' });
    expect(none).toEqual([]);
  });

  it('an onClose that throws at the end rejects the iteration', async () => {
    let calls = 0;
    const stream = createRecordStream<number>(() => (calls++ === 0 ? [1] : null), {
      onClose: () => {
        throw new Error('close failed');
      },
    });
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toThrow('close failed');
  });

  it('hands the rest to another consumer: a peek with next(), then toArray()', async () => {
    const { stream } = pages(3, 2);
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    expect(await stream.toArray()).toEqual([1, 2, 3, 4, 5]);
  });
});
