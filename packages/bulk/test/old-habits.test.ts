// Old habits that would be silently wrong on a Bulk 2.0 load: jsforce's loadAndWaitForResults
// gives `{ successfulResults: [], failedResults: [], unprocessedRecords: [] }` arrays, ours are
// methods (reading `.length` or `[0]` must fail loudly, naming the call to use); and a listener
// for an event a LoadOperation never emits must warn once, naming the events it has.
import { isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { load } from '../src/index.js';
import { fast, thrown, useOrg } from './helpers.js';

const org = useOrg();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LoadResult result methods are not arrays', () => {
  it('reading .length or [0] of successfulResults, failedResults, unprocessedRecords throws INVALID_ARGUMENT', async () => {
    const { conn } = org();
    const result = await load(conn, 'Account', 'insert', [{ Name: 'Habit 1' }, { Name: '' }], fast);
    for (const [name, count] of [
      ['successfulResults', 'numberRecordsSucceeded'],
      ['failedResults', 'numberRecordsFailed'],
      ['unprocessedRecords', 'numberRecordsUnprocessed'],
    ] as const) {
      const method = result[name] as unknown as { length: number; 0: unknown };
      for (const read of [() => method.length, () => method[0]]) {
        const error = await thrown(read);
        expect(isSalesforceError(error, 'INVALID_ARGUMENT')).toBe(true);
        expect((error as Error).message).toMatch(/^\[@sf\/bulk\] /);
        expect((error as Error).message).toContain(`result.${name}().toArray()`);
        expect((error as Error).message).toContain(count);
      }
    }
    // The methods still work, and counting them the documented way is right.
    expect((await result.successfulResults().toArray()).length).toBe(1);
    expect((await result.failedResults().toArray()).length).toBe(1);
    expect((await result.unprocessedRecords().toArray()).length).toBe(0);
    expect(result.successfulResults.name).toBe('successfulResults');
  });
});

describe('LoadOperation listeners for unknown events', () => {
  it('warns once per unknown name through core (naming ours, or the one to use for jsforce names)', async () => {
    const { conn } = org();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const op = load(conn, 'Account', 'insert', [{ Name: 'Habit 2' }], fast);
    op.on('complete', () => {});
    op.on('progress', () => {});
    op.once('error', () => {});
    expect(warn).not.toHaveBeenCalled();
    const anyOp = op as unknown as {
      on(e: string, l: () => void): void;
      once(e: string, l: () => void): void;
    };
    anyOp.on('finished-h2', () => {});
    anyOp.once('finished-h2', () => {});
    op.prependListener('finished-h2' as 'job', () => {});
    anyOp.on('jobComplete', () => {});
    await op;
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages.filter((m) => m.includes("'finished-h2'"))).toHaveLength(1);
    expect(messages.find((m) => m.includes("'finished-h2'"))).toMatch(
      /^\[@sf\/bulk\] .*'job', 'upload', 'progress', 'complete', 'error'/,
    );
    expect(messages.find((m) => m.includes("'jobComplete'"))).toMatch(/listen to 'complete' instead/);
    expect(warn.mock.calls[0]?.[1]).toEqual({ code: 'SF_UNKNOWN_EVENT' });
  });
});
