// Composite, composite batch, sObject Tree and Composite Graph, with the limits checked before sending.

import { describe, expect, it } from 'vitest';
import {
  type CompositeSubrequest,
  composite,
  compositeBatch,
  compositeGraph,
  sobjectTree,
} from '../src/index.js';
import { useOrg } from './helpers.js';

describe('composite family', () => {
  const org = useOrg();

  it('composite: referenceId chaining in one API call', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const { compositeResponse } = await composite(
      conn,
      [
        { method: 'POST', url: 'sobjects/Account', referenceId: 'acc', body: { Name: 'Chained' } },
        {
          method: 'POST',
          url: 'sobjects/Contact',
          referenceId: 'con',
          body: { LastName: 'Lee', AccountId: '@{acc.id}' },
        },
        { method: 'GET', url: 'sobjects/Account/@{acc.id}?fields=Name', referenceId: 'read' },
      ],
      { allOrNone: true },
    );
    expect(emu.requests).toHaveLength(1);
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
    const accountId = (compositeResponse[0]?.body as { id: string } | undefined)?.id;
    const contactId = (compositeResponse[1]?.body as { id: string } | undefined)?.id as string;
    expect(emu.store.get('Contact', contactId)?.AccountId).toBe(accountId);
    expect(compositeResponse[2]?.body).toMatchObject({ Name: 'Chained' });
  });

  it('composite allOrNone: a failure rolls back the earlier subrequests', async () => {
    const { emu, conn } = org();
    const before = [...emu.store.rows('Account')].length;
    const { compositeResponse } = await composite(
      conn,
      [
        { method: 'POST', url: 'sobjects/Account', referenceId: 'ok', body: { Name: 'Rolled back' } },
        { method: 'POST', url: 'sobjects/Account', referenceId: 'bad', body: { Name: null } },
      ],
      { allOrNone: true },
    );
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(compositeResponse[0]?.body).toEqual([expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })]);
    expect(compositeResponse[1]?.body).toEqual([
      expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING' }),
    ]);
    expect([...emu.store.rows('Account')].length).toBe(before);
  });

  it('composite limits and references are checked before sending', async () => {
    const { emu, conn } = org();
    emu.resetRequests();
    const many: CompositeSubrequest[] = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: 'limits',
      referenceId: `r${i}`,
    }));
    await expect(composite(conn, many)).rejects.toThrow(/at most 25/);
    await expect(
      composite(conn, [{ method: 'GET', url: 'sobjects/Account/@{later.id}', referenceId: 'first' }]),
    ).rejects.toThrow(/not an earlier subrequest/);
    await expect(
      composite(conn, [
        { method: 'GET', url: 'limits', referenceId: 'same' },
        { method: 'GET', url: 'limits', referenceId: 'same' },
      ]),
    ).rejects.toThrow(/duplicate referenceId/);
    expect(emu.requests).toHaveLength(0);
  });

  it('composite batch: independent subrequests, haltOnError', async () => {
    const { emu, conn } = org();
    const id = emu.store.insert('Account', { Name: 'Batch me' });
    const result = await compositeBatch(
      conn,
      [
        { method: 'PATCH', url: `sobjects/Account/${id}`, richInput: { Name: 'Batched' } },
        { method: 'GET', url: `sobjects/Account/${id}?fields=Name` },
        { method: 'POST', url: 'sobjects/Account', richInput: { Name: null } },
        { method: 'GET', url: `sobjects/Account/${id}` },
      ],
      { haltOnError: true },
    );
    expect(result.hasErrors).toBe(true);
    expect(result.results.map((r) => r.statusCode)).toEqual([204, 200, 400, 412]);
    expect(result.results[1]?.result).toMatchObject({ Name: 'Batched' });
    await expect(
      compositeBatch(
        conn,
        Array.from({ length: 26 }, () => ({ method: 'GET', url: 'limits' })),
      ),
    ).rejects.toThrow(/at most 25/);
  });

  it('sObject Tree: parents with children in one request; limits checked before sending', async () => {
    const { emu, conn } = org();
    const result = await sobjectTree(conn, 'Account', [
      {
        attributes: { type: 'Account', referenceId: 'ref1' },
        Name: 'Tree parent',
        Contacts: {
          records: [
            { attributes: { type: 'Contact', referenceId: 'ref2' }, LastName: 'Child 1' },
            { attributes: { type: 'Contact', referenceId: 'ref3' }, LastName: 'Child 2' },
          ],
        },
      },
    ]);
    expect(result.hasErrors).toBe(false);
    expect(result.results.map((r) => r.referenceId)).toEqual(['ref1', 'ref2', 'ref3']);
    const parentId = result.results[0]?.id as string;
    expect(emu.store.get('Contact', result.results[2]?.id as string)?.AccountId).toBe(parentId);

    const tooMany = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account', referenceId: `a${i}` },
      Name: `n${i}`,
    }));
    await expect(sobjectTree(conn, 'Account', tooMany)).rejects.toThrow(/at most 200 records/);
  });

  it('sObject Tree: a failing record reports its errors by referenceId and nothing is created', async () => {
    const { emu, conn } = org();
    const before = [...emu.store.rows('Account', { includeDeleted: false })].length;
    const result = await sobjectTree(conn, 'Account', [
      { attributes: { type: 'Account', referenceId: 'ok' }, Name: 'Fine' },
      { attributes: { type: 'Account', referenceId: 'bad' }, Name: null },
    ]);
    expect(result.hasErrors).toBe(true);
    const bad = result.results.find((r) => r.referenceId === 'bad');
    expect(bad?.errors?.length).toBeGreaterThan(0);
    expect([...emu.store.rows('Account', { includeDeleted: false })].length).toBe(before);
  });

  it('Composite Graph: each graph all or none; 500 node limit checked before sending', async () => {
    const { conn } = org();
    const result = await compositeGraph(conn, [
      {
        graphId: 'g1',
        compositeRequest: [
          { method: 'POST', url: 'sobjects/Account', referenceId: 'a', body: { Name: 'Graph 1' } },
          {
            method: 'POST',
            url: 'sobjects/Contact',
            referenceId: 'c',
            body: { LastName: 'G', AccountId: '@{a.id}' },
          },
        ],
      },
      {
        graphId: 'g2',
        compositeRequest: [
          { method: 'POST', url: 'sobjects/Account', referenceId: 'a', body: { Name: null } },
        ],
      },
    ]);
    expect(result.graphs.map((g) => [g.graphId, g.isSuccessful])).toEqual([
      ['g1', true],
      ['g2', false],
    ]);
    const big = Array.from({ length: 21 }, (_, g) => ({
      graphId: `g${g}`,
      compositeRequest: Array.from({ length: 25 }, (_, i) => ({
        method: 'GET',
        url: 'limits',
        referenceId: `r${i}`,
      })),
    }));
    await expect(compositeGraph(conn, big)).rejects.toThrow(/at most 500 nodes/);
  });
});
