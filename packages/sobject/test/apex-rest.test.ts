// nforce's apexRest example and Apex REST by method, against handlers registered on the emulator.

import { isSalesforceError } from '@sf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apex, apexRest } from '../src/index.js';
import { useOrg } from './helpers.js';

describe('Apex REST', () => {
  const org = useOrg();

  beforeAll(() => {
    const { emu } = org();
    emu.apexRest('POST', '/test', (req) => ({ got: req.body, params: req.query, method: req.method }));
    emu.apexRest('GET', '/Invoice/:id', (req) => ({ id: req.params.id }));
    emu.apexRest('PUT', '/Invoice/*', (req) => ({ rest: req.params['*'], body: req.body }));
    emu.apexRest('PATCH', '/Invoice/:id', (req) => {
      req.response.status = 202;
      return { patched: req.params.id };
    });
    emu.apexRest('DELETE', '/Invoice/:id', () => undefined);
    emu.apexRest('GET', '/text', (req) => {
      req.response.headers['content-type'] = 'text/plain';
      return 'hello';
    });
    emu.apexRest('GET', '/boom', () => {
      throw new TypeError('Attempt to de-reference a null object');
    });
  });

  it("nforce: org.apexRest({ uri: 'test', method: 'POST', body, urlParams })", async () => {
    const { conn } = org();
    const body = { name: 'Acme' };
    const urlParams = [{ key: 'mode', value: 'fast' }];
    const resp = await apexRest(conn, { uri: 'test', method: 'POST', body, urlParams });
    expect(resp).toEqual({ got: body, params: { mode: 'fast' }, method: 'POST' });
  });

  it('get, put, patch, delete by method; text answers come back as text', async () => {
    const { conn } = org();
    const client = apex(conn);
    expect(await client.get('/Invoice/42')).toEqual({ id: '42' });
    expect(await client.put('Invoice/a/b', { x: 1 })).toEqual({ rest: 'a/b', body: { x: 1 } });
    expect(await client.patch('Invoice/7', {})).toEqual({ patched: '7' });
    expect(await client.delete('Invoice/7')).toBeUndefined();
    expect(await client.get('text')).toBe('hello');
    expect(await apexRest(conn, { uri: 'Invoice/9', urlParams: { a: 1 } })).toEqual({ id: '9' });
  });

  it('unknown endpoints and Apex exceptions are typed errors', async () => {
    const { conn } = org();
    const missing = await apex(conn)
      .get('nowhere')
      .catch((e: unknown) => e);
    expect(isSalesforceError(missing, 'NOT_FOUND')).toBe(true);
    const boom = await apex(conn)
      .get('boom')
      .catch((e: unknown) => e);
    expect(isSalesforceError(boom) && boom.errorCode).toBe('APEX_ERROR');
    await expect(apexRest(conn, { uri: 'https://elsewhere.example.com/x' })).rejects.toThrow(/apexrest/);
  });
});
