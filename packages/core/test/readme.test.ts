// The README's examples for limits and redaction, run as written against the emulator
// (process.env replaced by the emulator's URL and a token it issued).
import { createConnection, isSalesforceError, redact } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
  for (let i = 0; i < 50; i++) emu.store.insert('Contact', { LastName: `Contact ${i}` });
});
afterAll(() => emu.close());

describe('README examples', () => {
  it('Limits on buffered bodies: per connection, per request, and streamed', async () => {
    const env = { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.issueToken().accessToken };
    const logged: unknown[] = [];
    const console = { log: (value: unknown) => logged.push(value) };

    // --- README: limits ---
    const conn = createConnection({
      instanceUrl: env.SF_INSTANCE_URL,
      auth: env.SF_ACCESS_TOKEN,
      timeoutMs: 30_000, // each step: connecting, the headers, each chunk of a body
      bodyTimeoutMs: 120_000, // a whole body read into memory
      maxBodyBytes: 64 * 1024 * 1024,
    });

    try {
      const page = await conn.get<{ totalSize: number }>('query', {
        query: { q: 'SELECT Id, Name FROM Account' },
        bodyTimeoutMs: 60_000,
      });
      console.log(page.totalSize);
    } catch (e) {
      if (isSalesforceError(e, 'TIMEOUT') || isSalesforceError(e, 'MALFORMED_RESPONSE'))
        console.log(e.message);
      else throw e;
    }

    // Streamed, with no overall deadline or size limit: cancel() stops it at once.
    const res = await conn.requestRaw({ path: 'query', query: { q: 'SELECT Id FROM Contact' } });
    let bytes = 0;
    for await (const chunk of res.body()) {
      bytes += chunk.length;
      if (bytes > 1024 * 1024) {
        await res.cancel();
        break;
      }
    }
    console.log(bytes);
    // --- end ---

    expect(typeof logged[0]).toBe('number');
    expect(logged[1]).toBeGreaterThan(1000);
  });

  it('Redaction: values go, words stay', () => {
    expect(redact('GET /x?token=abc: 404 NOT_FOUND: no such row')).toBe(
      'GET /x?token=[REDACTED]: 404 NOT_FOUND: no such row',
    );
    expect(redact('the OAuth endpoint refused Bearer 00D5g000004ABCDE!AQ4AQFnJhc.Xyz_abcdefghij')).toBe(
      'the OAuth endpoint refused Bearer [REDACTED]',
    );
  });
});
