// Result downloads compressed on the wire (`Accept-Encoding: gzip`, which Salesforce honours for
// Bulk 2.0 results): the body is inflated here, as it arrives. A transport that already inflated
// it (fetch does, keeping the Content-Encoding header) is recognised by the missing gzip magic.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { bulkError } from './errors.js';

/** @internal Whether a Content-Encoding names gzip. */
export function isGzip(encoding: string | undefined): boolean {
  return encoding !== undefined && /(^|,)\s*(x-)?gzip\s*$/i.test(encoding);
}

/** @internal The body inflated, or as it is when it does not start with gzip's magic bytes. */
export async function* gunzipped(body: AsyncIterable<Uint8Array>, where: string): AsyncGenerator<Uint8Array> {
  const source = body[Symbol.asyncIterator]();
  const first = await source.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => source,
  };
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    yield* rest;
    return;
  }
  const input = Readable.from(
    (async function* () {
      yield head;
      yield* rest;
    })(),
    { objectMode: false },
  );
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('Z_')) {
      throw bulkError(
        `${where}: the gzip-compressed body does not inflate (${(error as Error).message}); none of its records was handed on`,
        {
          code: 'MALFORMED_RESPONSE',
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
