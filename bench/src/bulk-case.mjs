// One Bulk 2.0 benchmark case in its own process (the emulator runs in another one):
//   node bulk-case.mjs <kind> <rows> <url> <token> [maxRecords]
// Prints { rows, ms, cpuMs, phases: { name: { ms, cpuMs } }, peakMb, maxRssMb }.
// Ingest phases: upload (job created, CSV sent, job closed), poll (until JobComplete), results
// (successful and failed results downloaded and parsed, rows counted). Query phases: poll (job
// created until the client knows it is complete; for @sf/bulk and jsforce, whose API hides it,
// until the first record arrives, which includes the first page's first bytes), download
// (pages fetched and parsed). CPU is this process's own (process.cpuUsage).
import { readCsvRecords } from './limit-csv.mjs';
import { peakMemory } from './peak-memory.mjs';

const [kind, rowsArg, url, token, maxRecordsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const maxRecords = maxRecordsArg ? Number(maxRecordsArg) : undefined;
const version = '64.0';
const api = `${url}/services/data/v${version}`;
// fetch asks for gzip on its own, and the emulator (as Salesforce) then compresses result
// downloads; the limit takes them uncompressed (on loopback that is the faster), and the
// `-gzip` case measures the other choice.
const headers = {
  authorization: `Bearer ${token}`,
  'accept-encoding': kind.endsWith('-gzip') ? 'gzip' : 'identity',
};
const soql = 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c';
// The same polling for every client: every 50 ms.
const poll = { pollInterval: 50, maxPollInterval: 50, pollTimeout: 600_000 };
// The same for @sf/bulk, whose durations end in Ms (CONVENTIONS.md rule 1).
const sfPoll = { pollIntervalMs: 50, maxPollIntervalMs: 50, pollTimeoutMs: 600_000 };

// ---- phases ----
const phases = {};
let mark;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function startPhases() {
  mark = { ms: performance.now(), cpuMs: cpuNow() };
}
function endPhase(name) {
  const now = { ms: performance.now(), cpuMs: cpuNow() };
  phases[name] = { ms: now.ms - mark.ms, cpuMs: now.cpuMs - mark.cpuMs };
  mark = now;
}

function record(i) {
  return { Name: `Row ${i}`, Code__c: `C${i}`, Amount__c: i % 1000 };
}

async function* records() {
  for (let i = 0; i < rows; i++) yield record(i);
}

async function json(res) {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function waitJob(path) {
  for (;;) {
    const info = await json(await fetch(`${api}/${path}`, { headers }));
    if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) return info;
    await new Promise((r) => setTimeout(r, poll.pollInterval));
  }
}

/** Downloads one CSV resource and parses it with the limit's reader; returns its row count. */
async function readCsvResource(path) {
  const res = await fetch(`${api}/${path}`, { headers });
  const text = await res.text();
  return readCsvRecords(text, () => {});
}

async function jsforceConnection() {
  const { Connection } = await import('jsforce');
  const conn = new Connection({ instanceUrl: url, accessToken: token, version });
  conn.bulk2.pollInterval = poll.pollInterval;
  conn.bulk2.pollTimeout = poll.pollTimeout;
  return conn;
}

function streamFrom(iterable) {
  const it = iterable[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

async function queryLimit() {
  const job = await json(
    await fetch(`${api}/jobs/query`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: soql }),
    }),
  );
  await waitJob(`jobs/query/${job.id}`);
  endPhase('poll');
  let locator = '';
  let n = 0;
  const size = maxRecords ? `maxRecords=${maxRecords}` : '';
  for (;;) {
    const params = [locator ? `locator=${locator}` : '', size].filter(Boolean).join('&');
    const res = await fetch(`${api}/jobs/query/${job.id}/results${params ? `?${params}` : ''}`, {
      headers,
    });
    const next = res.headers.get('sforce-locator');
    n += readCsvRecords(await res.text(), () => {});
    if (!next || next === 'null') break;
    locator = next;
  }
  endPhase('download');
  return n;
}

const cases = {
  // The limit: CSV built by hand in 64 KB chunks and streamed with fetch, job closed and
  // polled, results read back with the limit's reader.
  async 'ingest-baseline'() {
    const job = await json(
      await fetch(`${api}/jobs/ingest`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          object: 'Bench__c',
          operation: 'insert',
          contentType: 'CSV',
          lineEnding: 'LF',
        }),
      }),
    );
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
      body: streamFrom(csv()),
      duplex: 'half',
    });
    await put.arrayBuffer();
    await json(
      await fetch(`${api}/jobs/ingest/${job.id}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'UploadComplete' }),
      }),
    );
    endPhase('upload');
    await waitJob(`jobs/ingest/${job.id}`);
    endPhase('poll');
    const ok = await readCsvResource(`jobs/ingest/${job.id}/successfulResults`);
    const failed = await readCsvResource(`jobs/ingest/${job.id}/failedResults`);
    endPhase('results');
    return ok + failed;
  },
  async 'ingest-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token, apiVersion: version });
    const result = await load(conn, 'Bench__c', 'insert', records(), sfPoll).on('upload', () =>
      endPhase('upload'),
    );
    endPhase('poll');
    let n = 0;
    for await (const _ of result.successfulResults()) n++;
    for await (const _ of result.failedResults()) n++;
    endPhase('results');
    return n;
  },
  // jsforce takes records as an array (or CSV text); it has no record-stream input for Bulk 2.0.
  async 'ingest-jsforce'() {
    const conn = await jsforceConnection();
    const input = Array.from({ length: rows }, (_, i) => record(i));
    const job = conn.bulk2.createJob({ object: 'Bench__c', operation: 'insert', lineEnding: 'LF' });
    await job.open();
    await job.uploadData(input);
    await job.close();
    endPhase('upload');
    await job.poll(poll.pollInterval, poll.pollTimeout);
    endPhase('poll');
    const all = await job.getAllResults();
    endPhase('results');
    return all.successfulResults.length + all.failedResults.length;
  },
  // The limit: job polled, pages fetched one after another with fetch and parsed by hand.
  'query-baseline': queryLimit,
  // The same with gzip-compressed pages (fetch decompresses them).
  'query-baseline-gzip': queryLimit,
  async 'query-sf'() {
    const conn = createConnection({ instanceUrl: url, auth: token, apiVersion: version });
    let n = 0;
    for await (const _record of bulkQuery(conn, soql, { ...sfPoll, ...(maxRecords ? { maxRecords } : {}) })) {
      if (n++ === 0) endPhase('poll');
    }
    endPhase('download');
    return n;
  },
  async 'query-sf-identity'() {
    const conn = createConnection({ instanceUrl: url, auth: token, apiVersion: version });
    let n = 0;
    const options = { ...sfPoll, gzip: false, ...(maxRecords ? { maxRecords } : {}) };
    for await (const _record of bulkQuery(conn, soql, options)) {
      if (n++ === 0) endPhase('poll');
    }
    endPhase('download');
    return n;
  },
  async 'query-jsforce'() {
    const conn = await jsforceConnection();
    const stream = await conn.bulk2.query(soql, { ...poll, ...(maxRecords ? { maxRecords } : {}) });
    let n = 0;
    await new Promise((resolve, reject) => {
      stream
        .on('record', () => {
          if (n++ === 0) endPhase('poll');
        })
        .on('end', resolve)
        .on('error', reject);
    });
    endPhase('download');
    return n;
  },
};

if (!cases[kind]) throw new Error(`unknown case ${kind}`);
// Modules loaded before timing, and only the case's own: a client package being rebuilt does
// not take the other cases down with it.
let bulkQuery;
let load;
let createConnection;
if (/-sf(-identity)?$/.test(kind)) {
  ({ bulkQuery, load } = await import('@sf/bulk'));
  ({ createConnection } = await import('@sf/core'));
}
if (kind.endsWith('jsforce')) await import('jsforce');
const started = performance.now();
const cpuStart = cpuNow();
startPhases();
const count = await cases[kind]();
const ms = performance.now() - started;
const cpuMs = cpuNow() - cpuStart;
process.stdout.write(JSON.stringify({ rows: count, ms, cpuMs, phases, ...peakMemory() }));
