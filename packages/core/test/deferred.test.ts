// core's deferred(): one promise settled from outside, used by streaming's and pubsub's
// subscriptions and Bulk 1.0's batch (instead of three copies).
import { describe, expect, it } from 'vitest';
import { deferred } from '../src/index.js';

describe('deferred', () => {
  it('resolves and rejects from outside; a rejection nobody awaits is no unhandled rejection', async () => {
    const ok = deferred<number>();
    ok.resolve(42);
    expect(await ok.promise).toBe(42);
    const failed = deferred();
    const reason = new Error('no');
    failed.reject(reason);
    // vitest reports unhandled rejections as failures: this one must be marked handled.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(failed.promise).rejects.toBe(reason);
  });
});
