// The streaming multipart parser returns every part's bytes exactly, however the body is cut
// into network chunks.

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMultipart } from '../src/routes/blobs.js';

function request(chunks: Buffer[], boundary: string): IncomingMessage {
  return Object.assign(Readable.from(chunks), {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }) as unknown as IncomingMessage;
}

function split(body: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, body.length]) {
    if (p > at) out.push(body.subarray(at, p));
    at = p;
  }
  return out;
}

describe('readMultipart', () => {
  it('recovers the entity and binary parts byte for byte', async () => {
    const boundary = 'b0undary';
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
        fc.array(fc.nat(400), { maxLength: 20 }),
        async (bytes, entity, cuts) => {
          const binary = Buffer.from(bytes);
          fc.pre(!binary.includes(`\r\n--${boundary}`));
          const body = Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(entity)}\r\n` +
                `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
            ),
            binary,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          const parts = await readMultipart(request(split(body, cuts), boundary));
          expect(parts.map((p) => p.name)).toEqual(['entity_content', 'VersionData']);
          expect(JSON.parse(Buffer.concat(parts[0]?.chunks ?? []).toString('utf8'))).toEqual(entity);
          expect(Buffer.concat(parts[1]?.chunks ?? []).equals(binary)).toBe(true);
          expect(parts[1]?.filename).toBe('f.bin');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a body without its closing boundary is refused', async () => {
    const body = Buffer.from('--x\r\nContent-Disposition: form-data; name="Body"\r\n\r\nabc');
    await expect(readMultipart(request([body], 'x'))).rejects.toMatchObject({ status: 400 });
  });
});
