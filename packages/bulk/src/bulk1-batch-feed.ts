// What is written to a Bulk 1.0 batch (a Writable), queued for its upload, which reads it as a
// body while writes go on. Its numbers: the writer is held back while 64 chunks wait (records of
// any size, or CSV chunks of at most a stream's highWaterMark, 64 KB for a file), so the queue
// is bounded by count; it is let go once the upload has drained it to 16, so that writes and
// the upload overlap rather than take turns chunk by chunk.

import { toCsvBytes } from './input.js';

/**
 * @internal What is written to a batch, read by its upload as it goes: records (written as CSV) or CSV
 * bytes, whichever the first chunk is. The writer waits while 64 chunks are ahead of the upload.
 */
export class Feed {
  readonly kind: 'records' | 'csv';
  readonly #queue: unknown[] = [];
  #wake: (() => void) | undefined;
  #held: (() => void) | undefined;
  #ended = false;
  #failure: { error: unknown } | undefined;

  constructor(kind: 'records' | 'csv') {
    this.kind = kind;
  }

  push(chunk: unknown, callback: () => void): void {
    this.#queue.push(chunk);
    this.#wake?.();
    if (this.#queue.length < 64) callback();
    else this.#held = callback;
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Stops the upload: its body throws `error`, so the request is abandoned, never completed. */
  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#wake?.();
    this.#release();
  }

  #release(): void {
    const held = this.#held;
    this.#held = undefined;
    held?.();
  }

  async *chunks(): AsyncGenerator<unknown> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (this.#queue.length > 0) {
        const next = this.#queue.shift();
        if (this.#queue.length < 16) this.#release();
        yield next;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  /** The upload's body. */
  body(): AsyncIterable<Uint8Array> {
    const chunks = this.chunks();
    if (this.kind === 'records') return toCsvBytes(chunks as AsyncIterable<Record<string, unknown>>);
    return (async function* () {
      for await (const chunk of chunks) {
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
      }
    })();
  }
}
