// Arrays of records through sObject Collections: chunking, per-record failures, allOrNone.

import { isSalesforceError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { sobject } from '../src/index.js';
import { requestsTo, useOrg } from './helpers.js';

describe('sObject Collections from the client', () => {
  const org = useOrg();

  it('450 records go as 3 requests of at most 200, results in input order', async () => {
    const { emu, conn } = org();
    const records = Array.from({ length: 450 }, (_, i) => ({ Name: `Bulkish ${i}` }));
    emu.resetRequests();
    const results = await sobject(conn, 'Account').create(records, { parallel: 3 });
    expect(requestsTo(emu, '/composite/sobjects')).toBe(3);
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success)).toBe(true);
    const names = results.map((r) => emu.store.get('Account', r.id as string)?.Name);
    expect(names).toEqual(records.map((r) => r.Name));
  });

  it('partial failure: each bad record reports its own error, the others are saved', async () => {
    const { emu, conn } = org();
    const results = await sobject(conn, 'Account').create([
      { Name: 'Good 1' },
      { Name: null },
      { Name: 'Good 2', NoSuchField__c: 1 },
      { Name: 'x'.repeat(300) },
      { Name: 'Good 3' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, false, false, true]);
    expect(results[1]?.errors[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] });
    expect(results[2]?.errors[0]?.errorCode).toBe('INVALID_FIELD');
    expect(results[3]?.errors[0]?.errorCode).toBe('STRING_TOO_LONG');
    expect(results[1]?.id).toBeNull();
    expect(emu.store.get('Account', results[4]?.id as string)?.Name).toBe('Good 3');
  });

  it('allOrNone: one failure rolls the whole request back', async () => {
    const { emu, conn } = org();
    const before = [...emu.store.rows('Account')].length;
    const results = await sobject(conn, 'Account').create(
      [{ Name: 'AON 1' }, { Name: null }, { Name: 'AON 2' }],
      {
        allOrNone: true,
      },
    );
    expect(results.map((r) => r.success)).toEqual([false, false, false]);
    expect(results[0]?.errors[0]?.errorCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(results[1]?.errors[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect([...emu.store.rows('Account')].length).toBe(before);
  });

  it('allOrNone update rolls back values already written in the request', async () => {
    const { emu, conn } = org();
    const a = emu.store.insert('Account', { Name: 'Keep A' });
    const b = emu.store.insert('Account', { Name: 'Keep B' });
    const results = await sobject(conn, 'Account').update(
      [
        { Id: a, Name: 'Changed A' },
        { Id: b, Name: null },
      ],
      { allOrNone: true },
    );
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(emu.store.get('Account', a)?.Name).toBe('Keep A');
  });

  it('a chunk that fails whole gives each of its records the error; other chunks are kept', async () => {
    const { emu, conn } = org();
    const records = Array.from({ length: 250 }, (_, i) => ({ Name: `Chunky ${i}` }));
    emu.faults.failNext(1, { status: 500 }, { path: /\/composite\/sobjects$/ });
    const results = await sobject(conn, 'Account').create(records);
    expect(results).toHaveLength(250);
    expect(results.slice(0, 200).every((r) => !r.success && r.errors[0]?.errorCode)).toBe(true);
    expect(results.slice(200).every((r) => r.success)).toBe(true);
  });

  it('allOrNone across chunks: chunks after a failed one are not sent', async () => {
    const { emu, conn } = org();
    const records = Array.from({ length: 401 }, (_, i) => ({ Name: i === 250 ? null : `Halt ${i}` }));
    emu.resetRequests();
    const results = await sobject(conn, 'Account').create(records, { allOrNone: true });
    expect(requestsTo(emu, '/composite/sobjects')).toBe(2);
    expect(results.slice(0, 200).every((r) => r.success)).toBe(true);
    expect(results[250]?.errors[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(results[201]?.errors[0]?.errorCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(results[400]?.errors[0]?.errorCode).toBe('PROCESSING_HALTED');
  });

  it('delete of deleted ids reports per id; a malformed id rejects the call before anything is sent', async () => {
    const { emu, conn } = org();
    const gone = emu.store.insert('Account', { Name: 'Gone' });
    emu.store.delete('Account', gone);
    const live = emu.store.insert('Account', { Name: 'Live' });
    const before = emu.requests.length;
    await expect(sobject(conn, 'Account').destroy([gone, 'not-an-id', live])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(emu.requests.length).toBe(before);
    const results = await sobject(conn, 'Account').destroy([gone, live]);
    expect(results.map((r) => r.success)).toEqual([false, true]);
    expect(results[0]).toMatchObject({ id: gone, errors: [{ errorCode: 'ENTITY_IS_DELETED' }] });
  });

  it('upsert with several matches: one record rejects naming the matches', async () => {
    const { emu, conn } = org();
    const ids = [
      emu.store.insert('UpsertTable__c', { Name: 'Dup 1', ExtId__c: 'DUP-1' }),
      emu.store.insert('UpsertTable__c', { Name: 'Dup 2', ExtId__c: 'DUP-1' }),
    ];
    const error = await sobject(conn, 'UpsertTable__c')
      .upsert({ Name: 'X', ExtId__c: 'DUP-1' }, 'ExtId__c')
      .catch((e: unknown) => e);
    expect(isSalesforceError(error, 'MULTIPLE_MATCHES')).toBe(true);
    if (!isSalesforceError(error)) throw error;
    expect(error.status).toBe(300);
    expect(error.details.map((d) => d.id)).toEqual(ids);
    for (const id of ids) expect(error.message).toContain(id);
  });

  it('upsert with five matches names every one of them', async () => {
    const { emu, conn } = org();
    const ids = Array.from({ length: 5 }, (_, i) =>
      emu.store.insert('UpsertTable__c', { Name: `M${i}`, ExtId__c: 'FIVE' }),
    );
    const error = await sobject(conn, 'UpsertTable__c')
      .upsert({ Name: 'X', ExtId__c: 'FIVE' }, 'ExtId__c')
      .catch((e: unknown) => e);
    if (!isSalesforceError(error, 'MULTIPLE_MATCHES')) throw error;
    expect(error.details.map((d) => d.id).sort()).toEqual([...ids].sort());
  });

  it('upsert of many: several matches and duplicates in the request fail per record', async () => {
    const { emu, conn } = org();
    emu.store.insert('UpsertTable__c', { Name: 'M1', ExtId__c: 'MANY-1' });
    emu.store.insert('UpsertTable__c', { Name: 'M2', ExtId__c: 'MANY-1' });
    const results = await sobject(conn, 'UpsertTable__c').upsert(
      [
        { Name: 'a', ExtId__c: 'MANY-1' },
        { Name: 'b', ExtId__c: 'SAME' },
        { Name: 'c', ExtId__c: 'SAME' },
        { Name: 'd', ExtId__c: 'NEW-1' },
      ],
      'ExtId__c',
    );
    expect(results.map((r) => r.errors[0]?.errorCode ?? 'ok')).toEqual([
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID',
      'ok',
    ]);
    expect(results[3]).toMatchObject({ success: true, created: true });
  });

  it('a single failed create rejects with Salesforce error code', async () => {
    const { conn } = org();
    const error = await sobject(conn, 'Account')
      .create({ Name: 'x', Bogus__c: 1 })
      .catch((e: unknown) => e);
    expect(isSalesforceError(error) && error.errorCode).toBe('INVALID_FIELD');
  });

  it('arguments are checked before sending', async () => {
    const { conn } = org();
    expect(() => sobject(conn, 'Bad Name')).toThrow(/not an sObject type/);
    await expect(sobject(conn, 'Account').create([{ Name: 'a' }], { chunkSize: 201 })).rejects.toThrow(
      /chunkSize/,
    );
    await expect(sobject(conn, 'Account').update({ Name: 'no id' })).rejects.toThrow(/Id/);
  });

  it('an abort rejects with the signal reason unchanged', async () => {
    const { conn } = org();
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(
      sobject(conn, 'Account').create([{ Name: 'a' }], { signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});
