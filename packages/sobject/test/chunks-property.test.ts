// Chunking logic: whatever the sizes, parallelism, order of answers and failures, there is one
// result per input record, in input order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inChunks } from '../src/collections.js';

describe('inChunks', () => {
  it('one result per record, in input order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 5 }),
        fc.array(fc.nat(3), { maxLength: 10 }),
        async (n, chunkSize, parallel, badRecords, delays) => {
          const items = Array.from({ length: n }, (_, i) => i);
          let call = 0;
          const results = await inChunks(
            items,
            { chunkSize, parallel },
            async (chunk) => {
              const mine = call++;
              // Answers arrive out of order: later chunks may settle first.
              for (let i = 0; i < (delays[mine % Math.max(1, delays.length)] ?? 0); i++)
                await Promise.resolve();
              if (mine === 1) throw new Error('chunk lost');
              return chunk.map((i) =>
                badRecords.includes(i)
                  ? { id: null, success: false, errors: [{ statusCode: 'BAD', message: `${i}`, fields: [] }] }
                  : { id: `id-${i}`, success: true, errors: [] },
              );
            },
            () => null,
          );
          expect(results).toHaveLength(n);
          results.forEach((r, i) => {
            const lost = Math.floor(i / chunkSize) === 1;
            if (lost) expect(r.errors[0]?.message).toContain('chunk lost');
            else if (badRecords.includes(i))
              expect(r.errors[0]).toEqual({ errorCode: 'BAD', message: `${i}`, fields: [] });
            else expect(r.id).toBe(`id-${i}`);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
