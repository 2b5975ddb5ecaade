// Bulk 2.0 ingest over HTTP: the upload's CSV dialect, the result resources in any casing, and
// the change events a big ingest leaves for later replay.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

const emulator = useEmulator({
  customObjects: [{ name: 'Ingest__c', fields: [{ name: 'Note__c', type: 'textarea' }] }],
});

async function ingest(
  csv: string,
  options: { object?: string; columnDelimiter?: string; lineEnding?: string } = {},
) {
  const emu = emulator();
  const token = emu.issueToken().accessToken;
  const job = await api(emu, 'POST', 'jobs/ingest', {
    token,
    body: {
      object: options.object ?? 'Ingest__c',
      operation: 'insert',
      ...(options.columnDelimiter ? { columnDelimiter: options.columnDelimiter } : {}),
      ...(options.lineEnding ? { lineEnding: options.lineEnding } : {}),
    },
  });
  const id = job.body.id as string;
  const put = await fetch(`${emu.url}/services/data/v64.0/jobs/ingest/${id}/batches`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  expect(put.status).toBe(201);
  await api(emu, 'PATCH', `jobs/ingest/${id}`, { token, body: { state: 'UploadComplete' } });
  let info: Record<string, unknown> = {};
  for (let i = 0; i < 500; i++) {
    info = (await api(emu, 'GET', `jobs/ingest/${id}`, { token })).body;
    if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { emu, token, id, info };
}

describe('Bulk 2.0 ingest upload dialect', () => {
  it('reads quoted cells (delimiters, quotes, line breaks inside), CRLF, a BOM and another delimiter', async () => {
    const csv = '\uFEFFName;Note__c\r\n"A;1";"say ""hi"""\r\nB2;"two\r\nlines"\r\nC3;\r\n';
    const { emu, token, id, info } = await ingest(csv, { columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' });
    // Every row is a record: the quoted delimiter, the doubled quote and the line break are data.
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 0 });
    const ok = await api(emu, 'GET', `jobs/ingest/${id}/successfulResults`, { token });
    const names = emu.store.rows('Ingest__c');
    const byName = new Map([...names].map((r) => [r.Name, r.Note__c]));
    expect(byName.get('A;1')).toBe('say "hi"');
    expect(byName.get('B2')).toBe('two\r\nlines');
    expect(byName.get('C3')).toBeNull();
    // Results are in the job's delimiter and line ending (as Salesforce writes them, jsforce#1622)
    // and quote what needs quoting, so they read back as the same cells.
    expect(ok.text.startsWith('sf__Id;sf__Created;Name;Note__c\r\n')).toBe(true);
    expect(ok.text).toContain(';true;"A;1";"say ""hi"""\r\n');
    expect(ok.text).toContain(';true;B2;"two\r\nlines"\r\n');
  });

  it('fails the job, naming the line, when a row has the wrong number of cells or a quote is not closed', async () => {
    const short = await ingest('Name,Note__c\nA,1\nB\n');
    expect(short.info.state).toBe('Failed');
    expect(String(short.info.errorMessage)).toMatch(/^InvalidBatch : Failed to parse CSV: .*line 3/);
    const open = await ingest('Name,Note__c\nA,"never closed\n');
    expect(open.info.state).toBe('Failed');
    expect(String(open.info.errorMessage)).toMatch(/^InvalidBatch : Failed to parse CSV: Quote Not Closed/);
  });
});

describe('Bulk 2.0 ingest result resources', () => {
  it('answers successfulResults, failedResults and unprocessedrecords in any casing, and 404 for other names', async () => {
    // Salesforce documents unprocessedrecords; simple-salesforce and salesforcer send
    // unprocessedRecords against real orgs, so Salesforce takes either.
    const { emu, token, id } = await ingest('Name\nOne\n\n', { object: 'Account' });
    const ok = 'sf__Id,sf__Created,Name\n';
    for (const path of ['successfulResults', 'successfulresults', 'SuccessfulResults']) {
      const res = await api(emu, 'GET', `jobs/ingest/${id}/${path}`, { token });
      expect(res.status, path).toBe(200);
      expect(res.text.startsWith(ok), path).toBe(true);
    }
    for (const path of ['failedResults', 'failedresults', 'FAILEDRESULTS']) {
      const res = await api(emu, 'GET', `jobs/ingest/${id}/${path}`, { token });
      expect(res.status, path).toBe(200);
      // The blank line is a row with an empty Name: it fails as REQUIRED_FIELD_MISSING.
      expect(res.text, path).toMatch(/^sf__Id,sf__Error,Name\n,REQUIRED_FIELD_MISSING:/);
    }
    for (const path of ['unprocessedrecords', 'unprocessedRecords', 'UnprocessedRecords']) {
      const res = await api(emu, 'GET', `jobs/ingest/${id}/${path}`, { token });
      expect(res.status, path).toBe(200);
      expect(res.text, path).toBe('Name\n');
    }
    const other = await api(emu, 'GET', `jobs/ingest/${id}/allResults`, { token });
    expect(other.status).toBe(404);
    expect(other.body).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
  });
});

describe('change events of an ingest', () => {
  it('are retained for replay with the values of the moment each row was created', async () => {
    const rows = 50;
    const csv = `Name,Note__c\n${Array.from({ length: rows }, (_, i) => `Replay ${i},first`).join('\n')}\n`;
    const { emu, info } = await ingest(csv);
    expect(info.numberRecordsProcessed).toBe(rows);
    const created = [...emu.store.rows('Ingest__c')].filter((r) => String(r.Name).startsWith('Replay '));
    // Changed after the ingest: the CREATE events must still show the values they were created with.
    for (const row of created) emu.store.update('Ingest__c', String(row.Id), { Note__c: 'second' });
    const replay = emu.streaming.buffer.since('/data/Ingest__ChangeEvent', -2);
    expect(replay.ok).toBe(true);
    const events = replay.ok ? replay.events : [];
    const creates = events.filter(
      (e) =>
        (e.data.payload as { ChangeEventHeader: { changeType: string } }).ChangeEventHeader.changeType ===
          'CREATE' && String((e.data.payload as { Name?: string }).Name).startsWith('Replay '),
    );
    expect(creates).toHaveLength(rows);
    for (const e of creates) {
      const payload = e.data.payload as Record<string, unknown>;
      expect(payload.Note__c).toBe('first');
      expect(payload).not.toHaveProperty('Id');
      expect(e.data.event).toEqual({ replayId: e.replayId });
    }
    // Replay ids count every event, one by one, and the all-objects channel saw the same ones.
    const ids = events.map((e) => e.replayId);
    expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
    const all = emu.streaming.buffer.since('/data/ChangeEvents', -2);
    const allCreates = all.ok
      ? all.events.filter((e) => String((e.data.payload as { Name?: string }).Name).startsWith('Replay '))
      : [];
    expect(allCreates.length).toBeGreaterThanOrEqual(rows);
    // A second read answers the same, already built events.
    const again = emu.streaming.buffer.since('/data/Ingest__ChangeEvent', -2);
    expect(again.ok && again.events.map((e) => e.data)).toEqual(events.map((e) => e.data));
  });
});
