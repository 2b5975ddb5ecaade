// The error-event policy (issue 11, item 3) for Query, over HTTP against the emulator:
// - an `error` listener gets the error (and an awaiter's promise rejects too);
// - no listener, but the promise side used: only the promise rejects, never a crash;
// - neither: an uncaught exception, as an EventEmitter does, since a failure nobody sees must not be silent.
// Streams made by a query (`stream()`, `pipe(dest)`) are destroyed with the error. Vitest reports
// uncaught errors as failures, so a crash shows.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { isSalesforceError } from '@sf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { find, query } from '../src/index.js';
import { seedAccounts, useOrg } from './helpers.js';

const org = useOrg();
const BAD = 'SELECT Bogus__c FROM Account';

const isInvalidField = (error: unknown) => isSalesforceError(error) && error.errorCode === 'INVALID_FIELD';

/** The next uncaught exception, taken from the process's listeners for the time it takes. */
function nextUncaught(): Promise<unknown> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  return new Promise((resolve) => {
    process.once('uncaughtException', (error) => {
      for (const listener of saved) process.on('uncaughtException', listener);
      resolve(error);
    });
  });
}

/** An object-mode writable that keeps what it gets, optionally failing on the nth record. */
function sink(failAt?: number): Writable & { records: unknown[] } {
  const records: unknown[] = [];
  const w = new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(record, _encoding, done) {
      records.push(record);
      done(records.length === failAt ? new Error('disk full') : null);
    },
  });
  return Object.assign(w, { records });
}

describe('Query: an error nobody listens to', () => {
  beforeAll(() => {
    seedAccounts(org().emu, 450, 'Policy');
  });

  it('an awaited query with no error listener rejects, and nothing crashes', async () => {
    const { conn } = org();
    await expect(query(conn, BAD)).rejects.toSatisfy(isInvalidField);
    await expect(query(conn, BAD, { autoFetch: true })).rejects.toSatisfy(isInvalidField);
    await expect(find(conn, 'Account', { Bogus__c: 1 })).rejects.toSatisfy(isInvalidField);
  });

  it('run() with no error listener but awaited: only the promise rejects', async () => {
    const { conn } = org();
    const records: unknown[] = [];
    const q = query(conn, BAD).on('record', (r) => records.push(r));
    q.run({ autoFetch: true });
    await expect(q).rejects.toSatisfy(isInvalidField);
    expect(records).toEqual([]);
  });

  it('with an error listener, the listener gets it and the awaiter rejects too', async () => {
    const { conn } = org();
    const q = query(conn, BAD);
    const heard = new Promise((resolve) => q.on('error', resolve));
    q.run();
    await expect(q).rejects.toSatisfy(isInvalidField);
    expect(isInvalidField(await heard)).toBe(true);
  });

  it('run() with neither an error listener nor an awaiter surfaces the error as uncaught', async () => {
    const { conn } = org();
    const uncaught = nextUncaught();
    query(conn, BAD).run();
    expect(isInvalidField(await uncaught)).toBe(true);
  });

  it('stream() is destroyed with the error', async () => {
    const { conn } = org();
    const stream = query(conn, BAD).stream();
    await expect(stream.toArray()).rejects.toSatisfy(isInvalidField);
    expect(stream.destroyed).toBe(true);
    expect(isInvalidField(stream.errored)).toBe(true);
  });

  it('q.stream() read with no error listener anywhere and no awaiter surfaces the error as uncaught', async () => {
    const { conn } = org();
    const uncaught = nextUncaught();
    query(conn, BAD).stream().resume();
    expect(isInvalidField(await uncaught)).toBe(true);
  });

  it('q.stream() piped with Node pipe and no error listener, while q is awaited: q rejects, no crash', async () => {
    const { conn } = org();
    const q = query(conn, BAD);
    const stream = q.stream();
    stream.pipe(sink());
    await expect(q).rejects.toSatisfy(isInvalidField);
    expect(stream.destroyed).toBe(true);
  });

  it('query(...).pipe(dest) destroys dest with the error (no unhandled error on the query side)', async () => {
    const { conn } = org();
    const dest = sink();
    const q = query(conn, BAD);
    q.pipe(dest);
    const [error] = await once(dest, 'error');
    expect(isInvalidField(error)).toBe(true);
    expect(dest.destroyed).toBe(true);
    await expect(q).rejects.toSatisfy(isInvalidField);
  });

  it('query(...).pipe(dest) with dest awaited through finished(): it rejects with the query error', async () => {
    const { conn } = org();
    const dest = sink();
    query(conn, BAD).pipe(dest);
    await expect(finished(dest)).rejects.toSatisfy(isInvalidField);
  });

  it('a destination that fails stops the query: the prefetch is cancelled and q rejects with its error', async () => {
    const { conn } = org();
    const dest = sink(3);
    dest.on('error', () => {});
    const q = query(conn, "SELECT Id, Name FROM Account WHERE Name LIKE 'Policy%'", { batchSize: 200 });
    q.pipe(dest);
    await expect(q).rejects.toThrow('disk full');
    expect(dest.records).toHaveLength(3);
  });

  it('a good query piped into a destination delivers every record and ends it', async () => {
    const { conn } = org();
    const dest = sink();
    const q = query(conn, "SELECT Id FROM Account WHERE Name LIKE 'Policy%'", { batchSize: 200 });
    q.pipe(dest);
    await finished(dest);
    expect(dest.records).toHaveLength(450);
    await expect(q).resolves.toMatchObject({ records: [] });
  });
});
