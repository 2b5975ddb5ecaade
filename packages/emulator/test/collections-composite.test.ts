// sObject Collections, upsert by external id, the composite family, Apex REST handlers,
// updated/deleted and multipart blob uploads, over raw HTTP.

import { describe, expect, it } from 'vitest';
import { OrgStore } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

const customObjects = [
  {
    name: 'Item__c',
    fields: [
      { name: 'Code__c', type: 'string' as const, externalId: true, length: 10 },
      { name: 'Plain__c', type: 'string' as const },
    ],
  },
];

describe('sObject Collections', () => {
  const emu = useEmulator({ customObjects });

  it('create answers per record in input order, errors named by statusCode', async () => {
    const res = await api(emu(), 'POST', 'composite/sobjects', {
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'C1' },
          { attributes: { type: 'Account' } },
          { Name: 'no type' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ id: expect.any(String), success: true, errors: [] });
    expect(res.body[1]).toEqual({
      id: null,
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: expect.any(String), fields: ['Name'] }],
    });
    expect(res.body[2].errors[0].statusCode).toBe('INVALID_TYPE');
  });

  it('more than 200 records is refused whole with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `n${i}`,
    }));
    const res = await api(emu(), 'POST', 'composite/sobjects', { body: { records } });
    expect(res.status).toBe(400);
    expect(res.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    const ids = Array.from({ length: 201 }, () => '001000000000000AAA').join(',');
    const del = await api(emu(), 'DELETE', `composite/sobjects?ids=${ids}`);
    expect(del.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('allOrNone rolls back and announces no change', async () => {
    const changes: string[] = [];
    const off = emu().store.onChange((c) => changes.push(c.type));
    const res = await api(emu(), 'POST', 'composite/sobjects', {
      body: {
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'AON' },
          { attributes: { type: 'Account' }, Name: null },
        ],
      },
    });
    off();
    expect(res.body.map((r: { errors: { statusCode: string }[] }) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect(changes).toEqual([]);
    expect([...emu().store.rows('Account')].some((r) => r.Name === 'AON')).toBe(false);
  });

  it('update, retrieve by ids with fields, and delete', async () => {
    const id = emu().store.insert('Account', { Name: 'Coll' });
    const upd = await api(emu(), 'PATCH', 'composite/sobjects', {
      body: { records: [{ attributes: { type: 'Account' }, Id: id, Industry: 'Energy' }] },
    });
    expect(upd.body).toEqual([{ id, success: true, errors: [] }]);
    const got = await api(
      emu(),
      'GET',
      `composite/sobjects/Account?ids=${id},001000000000000AAA&fields=Name,Industry`,
    );
    expect(got.body).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v64.0/sobjects/Account/${id}` },
        Name: 'Coll',
        Industry: 'Energy',
      },
      null,
    ]);
    const del = await api(emu(), 'DELETE', `composite/sobjects?ids=${id}`);
    expect(del.body).toEqual([{ id, success: true, errors: [] }]);
    const again = await api(emu(), 'DELETE', `composite/sobjects?ids=${id}`);
    expect(again.body[0]).toMatchObject({
      id,
      success: false,
      errors: [{ statusCode: 'ENTITY_IS_DELETED' }],
    });
  });

  it('upsert by external id: 201, then 200, then 300 listing the matches', async () => {
    const first = await api(emu(), 'PATCH', 'sobjects/Item__c/Code__c/A-1', { body: { Name: 'one' } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const second = await api(emu(), 'PATCH', 'sobjects/Item__c/code__c/a-1', { body: { Name: 'one b' } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false });
    const dup = emu().store.insert('Item__c', { Name: 'dup', Code__c: 'A-1' });
    const third = await api(emu(), 'PATCH', 'sobjects/Item__c/Code__c/A-1', { body: { Name: 'x' } });
    expect(third.status).toBe(300);
    expect(third.body).toEqual([
      `/services/data/v64.0/sobjects/Item__c/${first.body.id}`,
      `/services/data/v64.0/sobjects/Item__c/${dup}`,
    ]);
    const notExternal = await api(emu(), 'PATCH', 'sobjects/Item__c/Plain__c/x', { body: {} });
    expect(notExternal.status).toBe(404);
  });

  it('collections upsert: created flags and DUPLICATE_EXTERNAL_ID', async () => {
    const res = await api(emu(), 'PATCH', 'composite/sobjects/Item__c/Code__c', {
      body: {
        records: [
          { attributes: { type: 'Item__c' }, Name: 'b', Code__c: 'B-1' },
          { attributes: { type: 'Item__c' }, Name: 'c', Code__c: 'C-1' },
          { attributes: { type: 'Item__c' }, Name: 'c2', Code__c: 'C-1' },
        ],
      },
    });
    expect(res.body[0]).toMatchObject({ success: true, created: true });
    expect(res.body[1].errors[0].statusCode).toBe('DUPLICATE_EXTERNAL_ID');
    expect(res.body[2].errors[0].statusCode).toBe('DUPLICATE_EXTERNAL_ID');
  });
});

describe('composite family limits', () => {
  const emu = useEmulator();

  it('26 subrequests, 201 tree records, 501 graph nodes are refused', async () => {
    const sub = (i: number) => ({
      method: 'GET',
      url: '/services/data/v64.0/sobjects/Account',
      referenceId: `r${i}`,
    });
    const composite = await api(emu(), 'POST', 'composite', {
      body: { compositeRequest: Array.from({ length: 26 }, (_, i) => sub(i)) },
    });
    expect(composite.status).toBe(400);
    const tree = await api(emu(), 'POST', 'composite/tree/Account', {
      body: {
        records: Array.from({ length: 201 }, (_, i) => ({
          attributes: { type: 'Account', referenceId: `a${i}` },
          Name: 'x',
        })),
      },
    });
    expect(tree.status).toBe(400);
    const graph = await api(emu(), 'POST', 'composite/graph', {
      body: {
        graphs: Array.from({ length: 21 }, (_, g) => ({
          graphId: `g${g}`,
          compositeRequest: Array.from({ length: 24 }, (_, i) => sub(i)),
        })),
      },
    });
    expect(graph.status).toBe(400);
  });

  it('composite resolves references and runs queries', async () => {
    const res = await api(emu(), 'POST', 'composite', {
      body: {
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v64.0/sobjects/Account',
            referenceId: 'a',
            body: { Name: 'Ref' },
          },
          {
            method: 'GET',
            url: "/services/data/v64.0/query?q=SELECT+Id,Name+FROM+Account+WHERE+Name='Ref'",
            referenceId: 'q',
          },
          {
            method: 'PATCH',
            url: '/services/data/v64.0/sobjects/Account/@{q.records[0].Id}',
            referenceId: 'u',
            body: { Phone: '1' },
          },
        ],
      },
    });
    expect(res.body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual([
      201, 200, 204,
    ]);
  });
});

describe('Apex REST, updated/deleted, multipart', () => {
  const emu = useEmulator();

  it('registered handlers answer; unknown paths 404; a token is required', async () => {
    emu().apexRest('GET', '/hello/:name', (req) => ({ hello: req.params.name }));
    const ok = await api(emu(), 'GET', '/services/apexrest/hello/world');
    expect(ok.body).toEqual({ hello: 'world' });
    expect((await api(emu(), 'GET', '/services/apexrest/nope')).status).toBe(404);
    expect((await api(emu(), 'POST', '/services/apexrest/hello/x')).status).toBe(405);
    expect((await api(emu(), 'GET', '/services/apexrest/hello/world', { token: null })).status).toBe(401);
  });

  it('updated and deleted need a range', async () => {
    const res = await api(emu(), 'GET', 'sobjects/Account/updated?start=2020-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(res.body[0].errorCode).toBe('MISSING_ARGUMENT');
  });

  it('multipart upload parsed across arbitrary chunk boundaries', async () => {
    const boundary = 'XyZ';
    // Near-boundaries only: a real boundary never occurs in the content.
    const binary = Buffer.from('a--XyZ\r\n-\r\n--Xy\r\n--\r');
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n` +
          `{"Title":"t","PathOnClient":"t.bin"}\r\n--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="t.bin"\r\n\r\n`,
      ),
      binary,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    // One byte at a time: every boundary straddles chunks.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of body) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const res = await fetch(`${emu().url}/services/data/v64.0/sobjects/ContentVersion`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emu().issueToken().accessToken}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const blob = await fetch(`${emu().url}/services/data/v64.0/sobjects/ContentVersion/${id}/VersionData`, {
      headers: { authorization: `Bearer ${emu().issueToken().accessToken}` },
    });
    expect(Buffer.from(await blob.arrayBuffer()).equals(binary)).toBe(true);
  });
});

describe('OrgStore.transaction', () => {
  it('rollback restores rows and drops change events; commit announces them', () => {
    const store = new OrgStore();
    const id = store.insert('Account', { Name: 'Before' });
    const seen: string[] = [];
    store.onChange((c) => seen.push(c.type));
    store.transaction((tx) => {
      store.update('Account', id, { Name: 'During' });
      store.insert('Account', { Name: 'New' });
      store.delete('Account', id);
      tx.rollback();
    });
    expect(store.get('Account', id)?.Name).toBe('Before');
    expect([...store.rows('Account')].map((r) => r.Name)).toEqual(['Before']);
    expect(seen).toEqual([]);
    store.transaction(() => store.update('Account', id, { Name: 'After' }));
    expect(seen).toEqual(['updated']);
    expect(() =>
      store.transaction(() => {
        store.insert('Account', { Name: 'Thrown' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect([...store.rows('Account')].map((r) => r.Name)).toEqual(['After']);
  });
});
