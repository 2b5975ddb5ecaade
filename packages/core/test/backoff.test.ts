// CONVENTIONS.md rule 8: one backoff, in core, used by the retry middleware and exported for the
// streaming reconnects, Pub/Sub and Bulk's polling.
import { backoff, computeBackoff, createConnection, isReplayableBody } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

describe('computeBackoff', () => {
  const top = () => 0.999999;

  it('grows from initialMs by factor up to maxMs, each wait at most its ceiling (full jitter)', () => {
    const waits = [0, 1, 2, 3, 4, 10].map((n) =>
      Math.round(computeBackoff(n, { initialMs: 500, maxMs: 4000, random: top })),
    );
    expect(waits).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(computeBackoff(3, { initialMs: 500, maxMs: 4000, random: () => 0 })).toBe(0);
  });

  it("'equal' jitter never waits less than half the ceiling; 'none' waits the ceiling", () => {
    expect(computeBackoff(1, { initialMs: 500, jitter: 'equal', random: () => 0 })).toBe(500);
    expect(computeBackoff(1, { initialMs: 500, jitter: 'none' })).toBe(1000);
    expect(computeBackoff(2, { initialMs: 1000, factor: 1.5, jitter: 'none' })).toBe(2250);
  });

  it('honours a Retry-After: seconds, an HTTP date, or milliseconds, over the computed wait', () => {
    expect(computeBackoff(0, { maxMs: 10 }, '3')).toBe(3000);
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(computeBackoff(0, {}, inTwoSeconds)).toBeGreaterThan(0);
    expect(computeBackoff(0, {}, 1234)).toBe(1234);
    // An unreadable header falls back to the backoff.
    expect(computeBackoff(0, { initialMs: 100, jitter: 'none' }, 'soon')).toBe(100);
  });

  it('stays finite however many attempts pass', () => {
    expect(computeBackoff(10_000, { initialMs: 250, maxMs: 20_000, jitter: 'none' })).toBe(20_000);
  });

  it('backoff() counts its own attempts and starts over on reset()', () => {
    const delays = backoff({ initialMs: 100, jitter: 'none' });
    expect([delays.next(), delays.next(), delays.next()]).toEqual([100, 200, 400]);
    expect(delays.attempts).toBe(3);
    delays.reset();
    expect(delays.next()).toBe(100);
  });
});

describe('isReplayableBody', () => {
  it('is true for no body, strings and bytes; false for a stream', async () => {
    async function* stream() {
      yield new Uint8Array([1]);
    }
    expect([undefined, 'x', new Uint8Array(1)].map(isReplayableBody)).toEqual([true, true, true]);
    expect(isReplayableBody(stream())).toBe(false);
  });
});

describe('the retry middleware uses it', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator();
  });
  afterAll(() => emu.close());

  it('retries a 503 with the backoff given as retry.backoff', async () => {
    emu.resetRequests();
    emu.faults.failNext(2, { status: 503 });
    const conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: { retries: 2, backoff: { initialMs: 1, maxMs: 2 } },
    });
    await conn.fetchLimits();
    expect(emu.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(3);
  });
});
