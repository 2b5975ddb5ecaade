// A one-record write resolves only as a success with its id (SaveSuccess): a failure rejects, and
// so must an answer that names no id. API versions before 46.0 answer an upsert that updated a
// record with 204 and no body (Salesforce's REST API Developer Guide, "Insert or Update (Upsert)
// a Record Using an External ID"); a small local server plays such an org, which the emulator
// (always the newer answer) cannot.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnection, isSalesforceError } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { sobject } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

async function org(handler: Handler) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const conn = createConnection({ instanceUrl, auth: 'token', apiVersion: '45.0', retry: false });
  return { conn, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('one-record results', () => {
  it('an upsert answered 204 (an update, before API 46.0) resolves with the id, read by external id', async () => {
    const { conn, seen } = await org((req, res) => {
      if (req.method === 'PATCH') {
        res.writeHead(204);
        res.end();
      } else json(res, 200, { attributes: { type: 'Account' }, Id: '001000000000001AAA' });
    });
    const result = await sobject(conn, 'Account').upsert({ Name: 'Acme', ExtId__c: 'E-1' }, 'ExtId__c');
    // What must happen: the id of the updated record, not null.
    expect(result).toEqual({ id: '001000000000001AAA', success: true, errors: [], created: false });
    expect(seen).toEqual([
      'PATCH /services/data/v45.0/sobjects/Account/ExtId__c/E-1',
      'GET /services/data/v45.0/sobjects/Account/ExtId__c/E-1?fields=Id',
    ]);
  });

  it('a create answered without an id rejects MALFORMED_RESPONSE instead of resolving id: null', async () => {
    const { conn } = await org((_req, res) => json(res, 201, { success: true, errors: [] }));
    const error = await sobject(conn, 'Account')
      .create({ Name: 'Acme' })
      .catch((e: unknown) => e);
    expect(isSalesforceError(error) && error.code).toBe('MALFORMED_RESPONSE');
  });
});
