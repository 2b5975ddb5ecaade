// One Bulk benchmark case in its own process: prints { ms, rows, maxRssMb } as JSON.
import { parse } from 'csv-parse';
import { bulkQuery, load } from '@sf/bulk';
import { createConnection } from '@sf/core';

const [kind, rowsArg, url, token] = process.argv.slice(2);
const rows = Number(rowsArg);
const api = `${url}/services/data/v64.0`;
const headers = { authorization: `Bearer ${token}` };
const poll = { pollInterval: 50, maxPollInterval: 200, pollTimeout: 600_000 };

async function* records() {
  for (let i = 0; i < rows; i++) yield { Name: `Row ${i}`, Code__c: `C${i}`, Amount__c: i % 1000 };
}

async function waitJob(path) {
  for (;;) {
    const info = await (await fetch(`${api}/${path}`, { headers })).json();
    if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) return info;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cases = {
  // CSV built by hand in 64 KB chunks and streamed as the upload.
  async 'ingest-baseline'() {
    const job = await (
      await fetch(`${api}/jobs/ingest`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          object: 'Bench__c',
          operation: 'insert',
          contentType: 'CSV',
          lineEnding: 'LF',
        }),
      })
    ).json();
    async function* csv() {
      let chunk = 'Name,Code__c,Amount__c\n';
      for (let i = 0; i < rows; i++) {
        chunk += `Row ${i},C${i},${i % 1000}\n`;
        if (chunk.length > 65536) {
          yield Buffer.from(chunk);
          chunk = '';
        }
      }
      yield Buffer.from(chunk);
    }
    await fetch(`${api}/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: ReadableStreamFrom(csv()),
      duplex: 'half',
    });
    await fetch(`${api}/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    const info = await waitJob(`jobs/ingest/${job.id}`);
    return info.numberRecordsProcessed;
  },
  async 'ingest-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token });
    const result = await load(conn, 'Bench__c', 'insert', records(), poll);
    return result.numberRecordsProcessed;
  },
  // Pages fetched and parsed with csv-parse, one after the other.
  async 'query-baseline'() {
    const job = await (
      await fetch(`${api}/jobs/query`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          operation: 'query',
          query: 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c',
        }),
      })
    ).json();
    await waitJob(`jobs/query/${job.id}`);
    let locator = '';
    let n = 0;
    for (;;) {
      const res = await fetch(`${api}/jobs/query/${job.id}/results${locator ? `?locator=${locator}` : ''}`, {
        headers,
      });
      const next = res.headers.get('sforce-locator');
      const parser = parse({ columns: true });
      const done = (async () => {
        for await (const _record of parser) n++;
      })();
      for await (const chunk of res.body) parser.write(chunk);
      parser.end();
      await done;
      if (!next || next === 'null') break;
      locator = next;
    }
    return n;
  },
  async 'query-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token });
    let n = 0;
    for await (const _record of bulkQuery(conn, 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c', poll))
      n++;
    return n;
  },
};

function ReadableStreamFrom(iterable) {
  const it = iterable[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

const started = performance.now();
const count = await cases[kind]();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, rows: count, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
