// Ids and paths built from user values (issue 11, item 12): a record id or external id value
// such as `..`, or an Apex REST uri with `%2e%2e`, must not reach another resource. Each call
// rejects with INVALID_ARGUMENT and sends nothing: a counting middleware wraps the real transport,
// and the emulator's request log is checked as well.
import { type Connection, createConnection, isSalesforceError, type TransportRequest } from '@sf/core';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apex,
  apexRest,
  basicInfo,
  blobStream,
  deleted,
  describe as describeType,
  openBlob,
  pipeBlob,
  recent,
  sobject,
  sobjectTree,
  updated,
  uploadBlob,
} from '../src/index.js';
import { useOrg } from './helpers.js';

const org = useOrg();

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

const DOTS = [
  '.',
  '..',
  '%2e%2e',
  '%2E%2e',
  '.%2E',
  '%2e',
  '%252e%252e',
  '../sobjects',
  '..\\..',
  'a/../../b',
];

describe('ids and paths from user values', () => {
  let conn: Connection;
  const sent: TransportRequest[] = [];
  let accountId: string;

  beforeAll(() => {
    const { emu } = org();
    accountId = emu.store.insert('Account', { Name: 'Paths' });
    conn = createConnection({
      instanceUrl: emu.instanceUrl,
      auth: emu.issueToken().accessToken,
      retry: false,
      middleware: [
        (next) => async (request) => {
          sent.push(request);
          return next(request);
        },
      ],
    });
  });

  /** Rejects with INVALID_ARGUMENT (thrown or rejected) and nothing reaches the transport or the emulator. */
  async function refusedUnsent(label: string, call: () => unknown): Promise<void> {
    const { emu } = org();
    const before = { sent: sent.length, logged: emu.requests.length };
    let error: unknown;
    try {
      const result = call();
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') await result;
    } catch (e) {
      error = e;
    }
    expect(isSalesforceError(error, 'INVALID_ARGUMENT'), `${label}: ${String(error)}`).toBe(true);
    expect((error as Error).message).toMatch(/^\[@sf\/sobject\] /);
    expect(sent.length, `${label} sent ${sent.slice(before.sent).map((r) => r.url)}`).toBe(before.sent);
    expect(emu.requests.length, label).toBe(before.logged);
  }

  it("retrieve('..') no longer reaches describeGlobal; record ids must be 15 or 18 letters and digits", async () => {
    const Account = sobject(conn, 'Account');
    for (const bad of [
      ...DOTS,
      '',
      '001',
      `${accountId}x`,
      '001000000000000AA!',
      '001000000000000AAA,001000000000001AAA',
    ]) {
      await refusedUnsent(`retrieve ${bad}`, () => Account.retrieve(bad));
      await refusedUnsent(`update ${bad}`, () => Account.update({ Id: bad, Name: 'x' }));
      await refusedUnsent(`destroy ${bad}`, () => Account.destroy(bad));
      await refusedUnsent(`destroy record ${bad}`, () => Account.destroy({ Id: bad }));
      await refusedUnsent(`record ${bad}`, () => Account.record(bad));
      await refusedUnsent(`retrieve [${bad}]`, () => Account.retrieve([accountId, bad], { fields: ['Id'] }));
      await refusedUnsent(`update [${bad}]`, () =>
        Account.update([{ Id: accountId, Name: 'y' }, { Id: bad }]),
      );
      await refusedUnsent(`destroy [${bad}]`, () => Account.destroy([accountId, bad]));
    }
    // Valid ids, 18 and 15 characters, still work.
    expect((await Account.retrieve(accountId, { fields: ['Name'] })).Name).toBe('Paths');
    expect((await Account.record(accountId.slice(0, 15)).retrieve({ fields: ['Name'] })).Name).toBe('Paths');
  });

  it('an external id value that is a dot segment (also percent-encoded) is refused; other values are encoded', async () => {
    const table = sobject(conn, 'UpsertTable__c');
    for (const bad of DOTS) {
      await refusedUnsent(`upsert ${bad}`, () => table.upsert({ Name: 'x', ExtId__c: bad }, 'ExtId__c'));
    }
    await refusedUnsent('upsert by a field path', () =>
      table.upsert({ Name: 'x', ExtId__c: 'v' }, '../ExtId__c'),
    );
    const odd = 'A.1/..x?#%';
    const created = await table.upsert({ Name: 'odd', ExtId__c: odd }, 'ExtId__c');
    expect(created).toMatchObject({ success: true, created: true });
    expect(sent.at(-1)?.url).toMatch(/\/sobjects\/UpsertTable__c\/ExtId__c\/A\.1%2F\.\.x%3F%23%25$/);
    expect((await table.retrieve(created.id as string, { fields: ['ExtId__c'] })).ExtId__c).toBe(odd);
  });

  it('blobs: ids, types and fields in the path are checked', async () => {
    const Attachment = sobject(conn, 'Attachment');
    for (const bad of DOTS) {
      await refusedUnsent(`openBlob id ${bad}`, () => openBlob(conn, 'Attachment', bad));
      await refusedUnsent(`openBlob type ${bad}`, () => openBlob(conn, bad, accountId, { field: 'Body' }));
      await refusedUnsent(`openBlob field ${bad}`, () =>
        openBlob(conn, 'Attachment', accountId, { field: bad }),
      );
      await refusedUnsent(`sobject openBlob ${bad}`, () => Attachment.openBlob(bad));
      await refusedUnsent(`pipeBlob ${bad}`, () => pipeBlob(conn, 'Attachment', bad, sink()));
      await refusedUnsent(`uploadBlob id ${bad}`, () =>
        uploadBlob(conn, 'Document', { Name: 'd' }, 'x', { id: bad }),
      );
      await refusedUnsent(`uploadBlob type ${bad}`, () =>
        uploadBlob(conn, bad, { Name: 'd' }, 'x', { field: 'Body' }),
      );
      await refusedUnsent(`blobStream ${bad}`, async () => {
        for await (const _ of blobStream(conn, 'Attachment', bad)) {
          // nothing arrives
        }
      });
    }
  });

  it('describe, basicInfo, recent, updated, deleted and sobjectTree check the type name', async () => {
    const day = new Date();
    for (const bad of DOTS) {
      await refusedUnsent(`describe ${bad}`, () => describeType(conn, bad));
      await refusedUnsent(`basicInfo ${bad}`, () => basicInfo(conn, bad));
      await refusedUnsent(`recent ${bad}`, () => recent(conn, bad));
      await refusedUnsent(`updated ${bad}`, () => updated(conn, bad, day, day));
      await refusedUnsent(`deleted ${bad}`, () => deleted(conn, bad, day, day));
      await refusedUnsent(`sobjectTree ${bad}`, () =>
        sobjectTree(conn, bad, [{ attributes: { type: 'Account', referenceId: 'a1' }, Name: 'x' }]),
      );
    }
  });

  it("apexRest('%2e%2e/%2e%2e/services/data/...') cannot leave /services/apexrest/", async () => {
    const escapes = [
      '%2e%2e/%2e%2e/services/data/v64.0/limits',
      '%2E%2E/%2e%2E/services/data/v64.0/sobjects',
      '../../services/data/v64.0/limits',
      'Invoice/../../../services/data/v64.0/limits',
      '..\\..\\services\\data\\v64.0\\limits',
      '%2e%2e%2f%2e%2e%2fservices%2fdata',
      'Invoice/%252e%252e/x',
      './Invoice',
      'https://elsewhere.example.com/x',
    ];
    for (const uri of escapes) {
      await refusedUnsent(`apexRest ${uri}`, () => apexRest(conn, { uri }));
      await refusedUnsent(`apex.get ${uri}`, () => apex(conn).get(uri));
      await refusedUnsent(`apex.post ${uri}`, () => apex(conn).post(uri, { a: 1 }));
    }
    const { emu } = org();
    emu.apexRest('GET', '/Paths/*', (req) => ({ rest: req.params['*'] }));
    expect(await apex(conn).get('Paths/a.b/..c')).toEqual({ rest: 'a.b/..c' });
    expect(await apex(conn).get('/Paths/x?y=1')).toEqual({ rest: 'x' });
  });
});
