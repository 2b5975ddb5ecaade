// The one rule for an `error` event nobody listens to, for Batch, Job and LoadOperation, over
// HTTP against the emulator (an unknown object fails the job: Bulk 1.0 InvalidJob, Bulk 2.0
// INVALIDJOB):
// - an `error` listener gets the error, and the promise rejects too;
// - no listener, promise used: the promise alone carries it; no uncaught error, no crash
//   (vitest fails a test file on any uncaught error, so a crash would show);
// - neither: thrown as an emitter throws it (uncaught), never silent.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isSalesforceError } from '@sf/core';
import { query } from '@sf/query';
import { afterEach, describe, expect, it } from 'vitest';
import { createBulk1, load } from '../src/index.js';
import { fast, useOrg } from './helpers.js';

const org = useOrg();

const rejection = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => undefined,
    (e: unknown) => e,
  );

/** The next uncaught exception, with vitest's own handlers set aside until it arrives. */
let restore: (() => void) | undefined;
afterEach(() => restore?.());
function nextUncaught(): Promise<unknown> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  return new Promise((resolve) => {
    restore = () => {
      process.removeAllListeners('uncaughtException');
      for (const listener of saved) process.on('uncaughtException', listener);
      restore = undefined;
    };
    process.once('uncaughtException', (error) => {
      restore?.();
      resolve(error);
    });
  });
}

describe('Batch', () => {
  it('awaited with no error listener (execute): rejects, nothing thrown', async () => {
    const { conn } = org();
    const batch = createBulk1(conn)
      .createJob('Nope__c', 'insert')
      .createBatch()
      .execute([{ Name: 'x' }]);
    const error = await rejection(batch);
    expect(isSalesforceError(error)).toBe(true);
    expect((error as { errorCode?: string }).errorCode).toBe('InvalidJob');
  });

  it('awaited with no error listener (a query piped in): rejects, nothing thrown', async () => {
    const { conn, emu } = org();
    for (let i = 0; i < 3; i++) emu.store.insert('Account', { Name: `Policy ${i}` });
    const batch = createBulk1(conn).createJob('Nope__c', 'insert').createBatch();
    query(conn, "SELECT Name FROM Account WHERE Name LIKE 'Policy %'").pipe(batch);
    const error = await rejection(batch);
    expect((error as { errorCode?: string }).errorCode).toBe('InvalidJob');
  });

  it('pipeline() into a batch whose upload fails rejects (never resolves), and so does the batch', async () => {
    const { conn } = org();
    const batch = createBulk1(conn).createJob('Nope__c', 'insert').createBatch();
    const piped = await rejection(pipeline(Readable.from([{ Name: 'a' }, { Name: 'b' }]), batch));
    expect((piped as { errorCode?: string }).errorCode).toBe('InvalidJob');
    expect(await rejection(batch)).toBe(piped);
  });

  it('destroyed without an error while uploading: await rejects ABORTED, no error event', async () => {
    const { conn } = org();
    const batch = createBulk1(conn).createJob('Account', 'insert').createBatch();
    const heard: unknown[] = [];
    batch.on('error', (e) => heard.push(e));
    batch.write({ Name: 'Destroyed 1' });
    batch.destroy();
    const error = await rejection(batch);
    expect(isSalesforceError(error, 'ABORTED')).toBe(true);
    expect(heard).toEqual([]);
    // The upload was abandoned, never completed: the job holds no batch.
    expect(await batch.job.list()).toEqual([]);
  });

  it('with an error listener: the listener hears it once and the awaited batch rejects too', async () => {
    const { conn } = org();
    const heard: unknown[] = [];
    const batch = createBulk1(conn).createJob('Nope__c', 'insert').createBatch();
    batch.on('error', (e) => heard.push(e));
    batch.execute([{ Name: 'x' }]);
    const error = await rejection(batch);
    await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual([error]);
  });

  it('neither listened to nor awaited: the error is thrown, uncaught, as an emitter throws it', async () => {
    const { conn } = org();
    const uncaught = nextUncaught();
    createBulk1(conn)
      .createJob('Nope__c', 'insert')
      .createBatch()
      .execute([{ Name: 'x' }]);
    const error = await uncaught;
    expect((error as { errorCode?: string }).errorCode).toBe('InvalidJob');
  });
});

describe('Job', () => {
  it('no error listener: the call rejects, nothing thrown', async () => {
    const { conn } = org();
    const error = await rejection(createBulk1(conn).createJob('Nope__c', 'insert').open());
    expect((error as { errorCode?: string }).errorCode).toBe('InvalidJob');
  });

  it('with an error listener: the listener hears it once, the call rejects too', async () => {
    const { conn } = org();
    const job = createBulk1(conn).createJob('Nope__c', 'insert');
    const heard: unknown[] = [];
    job.on('error', (e) => heard.push(e));
    const [a, b] = await Promise.all([rejection(job.open()), rejection(job.open())]);
    expect(a).toBe(b);
    expect(heard).toEqual([a]);
    expect(job).toBeInstanceOf(EventEmitter);
  });
});

describe('LoadOperation', () => {
  it('awaited with no error listener: rejects, nothing thrown', async () => {
    const { conn } = org();
    const error = await rejection(load(conn, 'Nope__c', 'insert', [{ Name: 'x' }], fast));
    expect((error as { errorCode?: string }).errorCode).toBe('INVALIDJOB');
  });

  it('with an error listener: the listener hears it and the promise rejects too', async () => {
    const { conn } = org();
    const op = load(conn, 'Nope__c', 'insert', [{ Name: 'x' }], fast);
    const heard = new Promise((resolve) => op.on('error', resolve));
    const error = await rejection(op.finally(() => {}));
    expect(await heard).toBe(error);
  });

  it('neither listened to nor awaited: the error is thrown, uncaught', async () => {
    const { conn } = org();
    const uncaught = nextUncaught();
    load(conn, 'Nope__c', 'insert', [{ Name: 'x' }], fast);
    const error = await uncaught;
    expect((error as { errorCode?: string }).errorCode).toBe('INVALIDJOB');
  });
});
