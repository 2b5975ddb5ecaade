// One Bulk 2.0 benchmark case in its own process. Prints { ms, clientMs, rows, peakMb, maxRssMb }:
// `ms` from the start to the last row (ingest: job complete; query: last record read),
// `clientMs` (ingest only) from the start to the upload sent and the job closed.
import { bulkQuery, load } from '@sf/bulk';
import { createConnection } from '@sf/core';
import { parse } from 'csv-parse';
import { peakMemory } from './peak-memory.mjs';

const [kind, rowsArg, url, token] = process.argv.slice(2);
const rows = Number(rowsArg);
const version = '64.0';
const api = `${url}/services/data/v${version}`;
const headers = { authorization: `Bearer ${token}` };
const soql = 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c';
// The same polling for every client: every 50 ms.
const poll = { pollInterval: 50, maxPollInterval: 50, pollTimeout: 600_000 };
let clientMs;
let started;
const uploaded = () => {
  clientMs = performance.now() - started;
};

function record(i) {
  return { Name: `Row ${i}`, Code__c: `C${i}`, Amount__c: i % 1000 };
}

async function* records() {
  for (let i = 0; i < rows; i++) yield record(i);
}

async function waitJob(path) {
  for (;;) {
    const info = await (await fetch(`${api}/${path}`, { headers })).json();
    if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) return info;
    await new Promise((r) => setTimeout(r, poll.pollInterval));
  }
}

async function jsforceConnection() {
  const { Connection } = await import('jsforce');
  const conn = new Connection({ instanceUrl: url, accessToken: token, version });
  conn.bulk2.pollInterval = poll.pollInterval;
  conn.bulk2.pollTimeout = poll.pollTimeout;
  return conn;
}

const cases = {
  // CSV built by hand in 64 KB chunks and streamed as the upload, job closed and polled.
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
    const put = await fetch(`${api}/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: ReadableStreamFrom(csv()),
      duplex: 'half',
    });
    await put.arrayBuffer();
    await fetch(`${api}/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'UploadComplete' }),
    }).then((r) => r.arrayBuffer());
    uploaded();
    const info = await waitJob(`jobs/ingest/${job.id}`);
    return info.numberRecordsProcessed;
  },
  async 'ingest-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token, apiVersion: version });
    const result = await load(conn, 'Bench__c', 'insert', records(), poll).on('upload', uploaded);
    return result.numberRecordsProcessed;
  },
  // jsforce takes records as an array (or CSV text); it has no record-stream input for Bulk 2.0.
  async 'ingest-jsforce'() {
    const conn = await jsforceConnection();
    const input = Array.from({ length: rows }, (_, i) => record(i));
    const job = conn.bulk2.createJob({ object: 'Bench__c', operation: 'insert', lineEnding: 'LF' });
    await job.open();
    await job.uploadData(input);
    await job.close();
    uploaded();
    await job.poll(poll.pollInterval, poll.pollTimeout);
    return job.getInfo().numberRecordsProcessed;
  },
  // Pages fetched and parsed with csv-parse, one after the other.
  async 'query-baseline'() {
    const job = await (
      await fetch(`${api}/jobs/query`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ operation: 'query', query: soql }),
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
      for await (const chunk of res.body) {
        if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      }
      parser.end();
      await done;
      if (!next || next === 'null') break;
      locator = next;
    }
    return n;
  },
  async 'query-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token, apiVersion: version });
    let n = 0;
    for await (const _record of bulkQuery(conn, soql, poll)) n++;
    return n;
  },
  async 'query-jsforce'() {
    const conn = await jsforceConnection();
    const stream = await conn.bulk2.query(soql, poll);
    let n = 0;
    await new Promise((resolve, reject) => {
      stream
        .on('record', () => {
          n++;
        })
        .on('end', resolve)
        .on('error', reject);
    });
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

if (!cases[kind]) throw new Error(`unknown case ${kind}`);
if (kind.endsWith('jsforce')) await import('jsforce'); // modules loaded before timing, as for the others
started = performance.now();
const count = await cases[kind]();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, clientMs, rows: count, ...peakMemory() }));
