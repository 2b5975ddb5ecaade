// Bulk 2.0 ingest results in the job's dialect: Salesforce writes successfulResults,
// failedResults and unprocessedrecords with the job's columnDelimiter (jsforce#1622), so a PIPE,
// TAB or SEMICOLON job's results must parse as such, values with commas, quotes and newlines
// intact; a server that answers commas for a PIPE job (the other form) must be read too.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnection } from '@sf/core';
import { bulkSettings } from '@sf/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { type ColumnDelimiter, createIngestJob, ingestJob, load } from '../src/index.js';
import { fast, ITEM_OBJECT, useOrg } from './helpers.js';

const org = useOrg({ customObjects: [ITEM_OBJECT] });

const TRICKY = ['Comma, Inc', 'Say "hi"', 'Two\nlines', 'Pipe | semi ; tab \t caret ^ tick `'];

describe.each<ColumnDelimiter>(['PIPE', 'TAB', 'SEMICOLON'])('a %s job', (columnDelimiter) => {
  it('round-trips values with commas, quotes and newlines through successfulResults and failedResults', async () => {
    const { conn } = org();
    const records = [
      ...TRICKY.map((Name, i) => ({ Name, Description: `${Name} #${i}` })),
      // No Name: refused with REQUIRED_FIELD_MISSING, its Description kept as uploaded.
      { Name: '', Description: 'no name, "quoted"\nand a newline' },
    ];
    const result = await load(conn, 'Account', 'insert', records, { ...fast, columnDelimiter });
    expect(result.jobs[0]?.columnDelimiter).toBe(columnDelimiter);
    expect(result.numberRecordsSucceeded).toBe(TRICKY.length);
    expect(result.numberRecordsFailed).toBe(1);

    const ok = await result.successfulResults().toArray();
    expect(ok.map((r) => r.record.Name).sort()).toEqual([...TRICKY].sort());
    for (const r of ok) {
      expect(r.id).toMatch(/^001/);
      expect(r.created).toBe(true);
      expect(r.record.Description).toBe(`${r.record.Name} #${TRICKY.indexOf(r.record.Name as string)}`);
    }
    const failed = await result.failedResults().toArray();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.errors[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(failed[0]?.record).toEqual({ Name: '', Description: 'no name, "quoted"\nand a newline' });

    // A job re-attached by id (its delimiter unknown) reads the header's.
    const again = await ingestJob(conn, result.jobs[0]?.id as string)
      .successfulResults()
      .toArray();
    expect(again.map((r) => r.record.Name).sort()).toEqual([...TRICKY].sort());
  });

  it('reads unprocessedRecords of an aborted job in its delimiter, CRLF rows included', async () => {
    const { conn } = org();
    const d = { PIPE: '|', TAB: '\t', SEMICOLON: ';' }[columnDelimiter as 'PIPE'];
    const job = await createIngestJob(conn, {
      object: 'Account',
      operation: 'insert',
      columnDelimiter,
      lineEnding: 'CRLF',
    });
    await job.upload(`Name${d}Description\r\n"Comma, Inc"${d}"Say ""hi"""\r\n"Two\r\nlines"${d}"x${d}y"\r\n`);
    await job.abort();
    const rows = await job.unprocessedRecords().toArray();
    expect(rows).toEqual([
      { Name: 'Comma, Inc', Description: 'Say "hi"' },
      { Name: 'Two\r\nlines', Description: `x${d}y` },
    ]);
    // Re-attached by id: the header row shows the delimiter.
    expect(await ingestJob(conn, job.id).unprocessedRecords().toArray()).toEqual(rows);
  });
});

it('a CRLF CSV upload with PIPE through load() reads its CRLF results', async () => {
  const { conn, emu } = org();
  bulkSettings(emu.store).rowsPerTick = 50;
  const csv = 'Name|Description\r\n"A, b"|"one\r\ntwo"\r\nC|"q ""x"""\r\n';
  const result = await load(conn, 'Account', 'insert', csv, { ...fast, columnDelimiter: 'PIPE' });
  expect(result.jobs[0]?.lineEnding).toBe('CRLF');
  const ok = await result.successfulResults().toArray();
  expect(ok.map((r) => r.record).sort((a, b) => String(a.Name).localeCompare(String(b.Name)))).toEqual([
    { Name: 'A, b', Description: 'one\r\ntwo' },
    { Name: 'C', Description: 'q "x"' },
  ]);
});

describe('a server that answers commas for a PIPE job (the other form)', () => {
  let server: Server | undefined;
  afterAll(() => {
    server?.close();
  });

  it('still reads successfulResults, failedResults and unprocessedRecords', async () => {
    const bodies: Record<string, string> = {
      successfulResults:
        'sf__Id,sf__Created,Name,Description\r\n001000000000001AAA,true,"A, b","say ""hi"""\r\n',
      failedResults:
        '"sf__Id","sf__Error","Name","Description"\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","","x,y"\n',
      unprocessedrecords: 'Name,Description\n"Two\nlines",plain\n',
    };
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (req.method === 'POST' && url.endsWith('/jobs/ingest')) {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '750000000000001AAA', state: 'Open', columnDelimiter: 'PIPE' }));
        return;
      }
      const kind = url.split('/').pop() ?? '';
      res.writeHead(bodies[kind] === undefined ? 404 : 200, { 'content-type': 'text/csv' });
      res.end(bodies[kind] ?? '');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const conn = createConnection({ instanceUrl: url, auth: 'token', retry: false });
    const job = await createIngestJob(conn, {
      object: 'Account',
      operation: 'insert',
      columnDelimiter: 'PIPE',
    });

    expect(await job.successfulResults().toArray()).toEqual([
      {
        id: '001000000000001AAA',
        success: true,
        created: true,
        errors: [],
        record: { Name: 'A, b', Description: 'say "hi"' },
      },
    ]);
    const failed = await job.failedResults().toArray();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: null, success: false, record: { Name: '', Description: 'x,y' } });
    expect(failed[0]?.errors[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(await job.unprocessedRecords().toArray()).toEqual([{ Name: 'Two\nlines', Description: 'plain' }]);
  });
});
