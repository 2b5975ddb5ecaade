// A LoadResult's result methods throw on a direct `.length` / `[0]` read (old-habits.test.ts),
// but ordinary function plumbing must still work on them: `bind` (which reads the target's
// `length`), `call`, `apply`, `vi.spyOn` (which copies the spied function's `length`),
// `util.inspect` and `util.promisify`. A function made from one by `bind` keeps the guard.
import { inspect, promisify } from 'node:util';
import { isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LoadResult, load } from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

const org = useOrg();

afterEach(() => {
  vi.restoreAllMocks();
});

const NAMES = ['successfulResults', 'failedResults', 'unprocessedRecords'] as const;

async function twoRows(): Promise<LoadResult> {
  const { conn } = org();
  // One row succeeds, one fails (an Account needs a Name).
  return load(conn, 'Account', 'insert', [{ Name: 'Wrapped 1' }, { Name: '' }], fast);
}

async function rows(stream: { toArray(): Promise<unknown[]> }): Promise<number> {
  return (await stream.toArray()).length;
}

async function expectGuarded(read: () => unknown): Promise<void> {
  const error = await thrown(read);
  expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
}

describe('LoadResult result methods work with function plumbing', () => {
  it('bind, call and apply work, and a bound method still refuses .length and [0]', async () => {
    const result = await twoRows();
    // bind must not throw (Function.prototype.bind reads the target's length).
    const bound = result.failedResults.bind(result);
    expect(await rows(bound())).toBe(1);
    expect(bound.name).toContain('failedResults');
    await expectGuarded(() => (bound as unknown as unknown[]).length);
    await expectGuarded(() => (bound as unknown as unknown[])[0]);
    // Binding a bound method again works too.
    expect(await rows(bound.bind(undefined)())).toBe(1);
    // The native bind, called on a method, works as well.
    expect(await rows(Function.prototype.bind.call(result.successfulResults, result)())).toBe(1);
    expect(await rows(result.successfulResults.call(result))).toBe(1);
    expect(await rows(result.successfulResults.apply(result, [{}]))).toBe(1);
    expect(await rows(Reflect.apply(result.unprocessedRecords, result, []))).toBe(0);
    // A direct read still throws.
    for (const name of NAMES) {
      await expectGuarded(() => (result[name] as unknown as unknown[]).length);
      await expectGuarded(() => (result[name] as unknown as unknown[])[0]);
    }
  });

  it('vi.spyOn spies on each result method, and the spied methods still stream', async () => {
    const result = await twoRows();
    for (const name of NAMES) {
      const spy = vi.spyOn(result, name);
      const count = await rows(result[name]());
      expect(count).toBe(name === 'successfulResults' || name === 'failedResults' ? 1 : 0);
      expect(spy).toHaveBeenCalledTimes(1);
      // Binding the spy still goes through the spy.
      await rows(result[name].bind(result)());
      expect(spy).toHaveBeenCalledTimes(2);
    }
    vi.restoreAllMocks();
    await expectGuarded(() => (result.failedResults as unknown as unknown[]).length);
    expect(await rows(result.failedResults())).toBe(1);
  });

  it('util.inspect shows the result and its methods; util.promisify accepts a method', async () => {
    const result = await twoRows();
    for (const name of NAMES) {
      expect(inspect(result[name])).toContain(name);
      expect(inspect(result[name], { showHidden: true })).toContain(name);
    }
    const shown = inspect(result, { showHidden: true, depth: 4 });
    expect(shown).toContain('numberRecordsFailed');
    expect(shown).toContain('successfulResults');
    expect(typeof promisify(result.failedResults)).toBe('function');
    // A library's matcher reading the result works; the user's `result.length` still throws.
    expect(result).toMatchObject({ numberRecordsSucceeded: 1, numberRecordsFailed: 1 });
    await expectGuarded(() => (result as unknown as unknown[]).length);
  });
});
