// Core's one callback refusal, used by every package for node-salesforce's and nforce's
// callback-last calls (their READMEs in shared/seeds/).
import { describe, expect, it } from 'vitest';
import { callbackRefused, isSalesforceError, promiseForm, refuseCallback, USE_AWAIT } from '../src/index.js';

describe('refuseCallback', () => {
  it('throws INVALID_ARGUMENT from the named package when the last argument is a function', () => {
    let error: unknown;
    try {
      refuseCallback('@sf/demo', 'describe()', ['Account', () => {}]);
    } catch (e) {
      error = e;
    }
    // It must be a typed SalesforceError, prefixed by the package, naming the call and what to write.
    expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(
      /^\[@sf\/demo\] describe\(\) takes no callback: it returns a promise/,
    );
    expect((error as Error).message).toContain(USE_AWAIT);
  });

  it('lets a call without a trailing function through, and names a promise form when asked', () => {
    // A function that is not last (a mapper) is no callback.
    expect(() => refuseCallback('@sf/demo', 'map()', [() => {}, {}])).not.toThrow();
    expect(() => refuseCallback('@sf/demo', 'x()', [])).not.toThrow();
    expect(callbackRefused('@sf/demo', 'ready()', promiseForm('await sub.ready()')).message).toContain(
      'Write `await sub.ready()`',
    );
  });
});
