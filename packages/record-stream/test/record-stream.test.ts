import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { SalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { batch, createRecordStream, createRecordWritable, filter, map, RecordStream } from '../src/index.js';

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await tick();
    yield item;
  }
}

describe('RecordStream.from', () => {
  it('is an object-mode Readable and an async iterable', async () => {
    const stream = RecordStream.from([{ Id: '1' }, { Id: '2' }]);
    expect(stream).toBeInstanceOf(Readable);
    expect(stream.readableObjectMode).toBe(true);
    const seen: string[] = [];
    for await (const record of stream) seen.push(record.Id);
    expect(seen).toEqual(['1', '2']);
  });

  it('accepts async generators, Readables and other record streams', async () => {
    expect(await RecordStream.from(slowly([1, 2, 3])).toArray()).toEqual([1, 2, 3]);
    expect(await RecordStream.from(Readable.from([4, 5])).toArray()).toEqual([4, 5]);
    expect(await RecordStream.from(RecordStream.from([6])).toArray()).toEqual([6]);
  });

  it('rejects what is not an iterable', () => {
    expect(() => RecordStream.from(42 as never)).toThrow(SalesforceError);
    expect(() => RecordStream.from('text' as never)).toThrow(/iterable/);
  });

  it('destroys itself with the source error', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('source broke');
    }
    await expect(RecordStream.from(failing()).toArray()).rejects.toThrow('source broke');
  });

  it('stops the source when the consumer breaks out early', async () => {
    let cleanedUp = false;
    function* endless(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
      }
    }
    for await (const n of RecordStream.from(endless())) if (n === 3) break;
    await tick();
    expect(cleanedUp).toBe(true);
  });

  it('destroys a source stream when the consumer stops', async () => {
    const source = new PassThrough({ objectMode: true });
    source.write({ Id: '1' });
    const stream = RecordStream.from<{ Id: string }>(source);
    for await (const _ of stream) break;
    await tick();
    expect(source.destroyed).toBe(true);
  });

  it('aborts with signal.reason unchanged', async () => {
    const controller = new AbortController();
    const stream = RecordStream.from(slowly([1, 2, 3, 4, 5]), { signal: controller.signal });
    const reason = new Error('stop now');
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) {
          seen.push(n);
          if (n === 2) controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual([1, 2]);
  });

  it('is destroyed at once by an already aborted signal', async () => {
    const reason = new Error('too late');
    const stream = RecordStream.from([1], { signal: AbortSignal.abort(reason) });
    await expect(stream.toArray()).rejects.toBe(reason);
  });

  it('rejects null records', async () => {
    const error = await RecordStream.from([1, null, 2])
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect((error as SalesforceError).code).toBe('INVALID_RECORD');
  });
});

describe('createRecordStream (pull producer)', () => {
  it('pulls pages until null and passes the stream and a signal', async () => {
    const pages = [[1, 2], [], [3], null];
    const calls: unknown[] = [];
    const stream = createRecordStream<number>(async (s, signal) => {
      calls.push([s, signal instanceof AbortSignal]);
      return pages.shift() ?? null;
    });
    expect(await stream.toArray()).toEqual([1, 2, 3]);
    expect(calls).toHaveLength(4);
    expect(calls[0]).toEqual([stream, true]);
  });

  it('never calls pull again before the previous call settles', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let n = 0;
    const stream = createRecordStream<number>(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight--;
        return n < 50 ? [n++, n++] : null;
      },
      { highWaterMark: 4 },
    );
    expect(await stream.toArray()).toHaveLength(50);
    expect(maxInFlight).toBe(1);
  });

  it('pulls only as fast as the consumer reads', async () => {
    let pulls = 0;
    const stream = createRecordStream<number>(
      () => {
        pulls++;
        return pulls <= 100 ? Array.from({ length: 10 }, (_, i) => i) : null;
      },
      { highWaterMark: 10 },
    );
    let read = 0;
    for await (const _ of stream) {
      read++;
      // One page being consumed, one buffered, one just pulled.
      expect(pulls * 10 - read).toBeLessThanOrEqual(3 * 10);
      if (read % 7 === 0) await tick();
    }
    expect(read).toBe(1000);
  });

  it('destroys the stream with the error pull rejects with', async () => {
    const error = new Error('page fetch failed');
    const stream = createRecordStream<number>(async () => {
      throw error;
    });
    await expect(stream.toArray()).rejects.toBe(error);
  });

  it('aborts the pull signal and calls onClose when the consumer stops early', async () => {
    let signal: AbortSignal | undefined;
    let closedWith: unknown = 'not closed';
    const stream = createRecordStream<number>(
      async (_s, s) => {
        signal = s;
        return [1, 2, 3];
      },
      { onClose: (error) => (closedWith = error) },
    );
    for await (const _ of stream) break;
    await tick();
    expect(signal?.aborted).toBe(true);
    // Node destroys a stream left by `break` with an AbortError (or null, for an ended stream).
    expect(closedWith).not.toBe('not closed');
  });

  it('rejects a pull that returns something other than an array', async () => {
    const stream = createRecordStream<number>(async () => 5 as never);
    await expect(stream.toArray()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('validates its arguments', () => {
    expect(() => createRecordStream(null as never)).toThrow(SalesforceError);
    expect(() => createRecordStream(() => null, { highWaterMark: 0 })).toThrow(/highWaterMark/);
  });
});

describe('map, filter, batch', () => {
  it('chains, with async functions, in order', async () => {
    const out = await RecordStream.from(slowly([1, 2, 3, 4, 5, 6, 7]))
      .map(async (n) => {
        await tick();
        return n * 10;
      })
      .filter(async (n) => n !== 30)
      .batch(2)
      .toArray();
    expect(out).toEqual([
      [10, 20],
      [40, 50],
      [60, 70],
    ]);
  });

  it('has standalone forms that take any iterable', async () => {
    expect(await map([1, 2], (n) => n + 1).toArray()).toEqual([2, 3]);
    expect(await filter(slowly([1, 2, 3]), (n) => n % 2 === 1).toArray()).toEqual([1, 3]);
    expect(await batch(Readable.from([1, 2, 3]), 2).toArray()).toEqual([[1, 2], [3]]);
    expect(await batch([], 2).toArray()).toEqual([]);
  });

  it('narrows types with a type-guard filter', async () => {
    const mixed = RecordStream.from<string | number>(['a', 1, 'b']);
    const strings: RecordStream<string> = mixed.filter((v): v is string => typeof v === 'string');
    expect(await strings.toArray()).toEqual(['a', 'b']);
  });

  it('batches pages larger than the batch size', async () => {
    let sent = false;
    const pages = createRecordStream<number>(() => {
      if (sent) return null;
      sent = true;
      return [1, 2, 3, 4, 5, 6, 7];
    });
    expect(await pages.batch(3).toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('validates arguments', () => {
    const stream = RecordStream.from([1]);
    expect(() => stream.batch(0)).toThrow(SalesforceError);
    expect(() => stream.batch(1.5)).toThrow(/positive integer/);
    expect(() => stream.map(undefined as never)).toThrow(/function/);
    expect(() => filter([1], 'x' as never)).toThrow(SalesforceError);
  });

  it('rejects for await with an error thrown in map, and destroys the source', async () => {
    const source = RecordStream.from(slowly([1, 2, 3, 4]));
    const error = new Error('bad record');
    const chain = source
      .map((n) => {
        if (n === 3) throw error;
        return n;
      })
      .filter(() => true);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of chain) seen.push(n);
      })(),
    ).rejects.toBe(error);
    expect(seen).toEqual([1, 2]);
    await tick();
    expect(source.destroyed).toBe(true);
  });

  it('rejects with an error thrown asynchronously in filter', async () => {
    const error = new Error('filter failed');
    const chain = map([1, 2, 3], (n) => n).filter(async (n) => {
      if (n === 2) throw error;
      return true;
    });
    await expect(chain.toArray()).rejects.toBe(error);
  });

  it('passes a source error down the whole chain', async () => {
    const error = new Error('upstream failed');
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      await tick();
      throw error;
    }
    await expect(
      RecordStream.from(failing())
        .map((n) => n)
        .batch(10)
        .toArray(),
    ).rejects.toBe(error);
  });

  it('rejects a map function that returns null', async () => {
    await expect(
      RecordStream.from([1])
        .map(() => null)
        .toArray(),
    ).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    });
  });
});

describe('toArray', () => {
  it('rejects with signal.reason when aborted', async () => {
    const controller = new AbortController();
    const stream = RecordStream.from(slowly([1, 2, 3]));
    const promise = stream.toArray({ signal: controller.signal });
    controller.abort('enough');
    await expect(promise).rejects.toBe('enough');
    expect(stream.destroyed).toBe(true);
  });
});

describe('piping into writable record streams', () => {
  it('.pipe() works with any object-mode Writable', async () => {
    const received: unknown[] = [];
    const sink = new Writable({
      objectMode: true,
      write(record, _encoding, callback) {
        received.push(record);
        callback();
      },
    });
    await new Promise<void>((resolve, reject) => {
      RecordStream.from([{ Id: '1' }, { Id: '2' }])
        .pipe(sink)
        .on('finish', resolve)
        .on('error', reject);
    });
    expect(received).toEqual([{ Id: '1' }, { Id: '2' }]);
  });

  it('createRecordWritable writes one record at a time and runs final', async () => {
    const events: string[] = [];
    let active = 0;
    const sink = createRecordWritable<{ Id: string }>(
      async (record) => {
        active++;
        expect(active).toBe(1);
        await tick();
        events.push(record.Id);
        active--;
      },
      { final: () => void events.push('final') },
    );
    await pipeline(RecordStream.from([{ Id: 'a' }, { Id: 'b' }]), sink);
    expect(events).toEqual(['a', 'b', 'final']);
  });

  it('a failing writable fails the pipeline and stops the source', async () => {
    let cleanedUp = false;
    async function* source(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
      }
    }
    const stream = RecordStream.from(source());
    const sink = createRecordWritable<number>(async (n) => {
      if (n === 5) throw new Error('insert failed');
    });
    await expect(pipeline(stream, sink)).rejects.toThrow('insert failed');
    await tick();
    expect(stream.destroyed).toBe(true);
    expect(cleanedUp).toBe(true);
  });

  it('createRecordWritable is destroyed with signal.reason', async () => {
    const controller = new AbortController();
    const sink = createRecordWritable<number>(() => controller.abort('halt'), { signal: controller.signal });
    await expect(pipeline(RecordStream.from(slowly([1, 2, 3])), sink)).rejects.toBe('halt');
  });
});
