// One REST query benchmark case in its own process (the emulator runs in another), so its CPU
// time and peak RSS are its own: node case.mjs <case> <url> <token> <rows>
import { createConnection } from '@sf/core';
import { query } from '@sf/query';
import { peakMemory } from './peak-memory.mjs';

const [name, base, token, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
const soql = 'SELECT Id, Name, BillingCity, Industry, CreatedDate FROM Account';
const version = '64.0';

async function baseline() {
  // Fetch each page and JSON-parse it: the least a client can do.
  let url = `${base}/services/data/v${version}/query?q=${encodeURIComponent(soql)}`;
  let count = 0;
  while (url) {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const page = JSON.parse(await res.text());
    for (const _record of page.records) count++;
    url = page.nextRecordsUrl ? base + page.nextRecordsUrl : undefined;
  }
  return count;
}

async function baselineEarly() {
  // The same, but each page's successor requested as soon as the first bytes of the page name it
  // (Salesforce writes nextRecordsUrl before records), while the rest arrives and is parsed: the
  // floor for any client that follows nextRecordsUrl. At most two pages are held, as for the others.
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const head = /^\{"totalSize":\d+,"done":false,"nextRecordsUrl":"([^"]+)"/;
  let pending = fetch(`${base}/services/data/v${version}/query?q=${encodeURIComponent(soql)}`, { headers });
  let count = 0;
  while (pending) {
    const res = await pending;
    pending = undefined;
    const decoder = new TextDecoder();
    let text = '';
    let looking = true;
    for await (const chunk of res.body) {
      text += decoder.decode(chunk, { stream: true });
      if (looking) {
        const url = head.exec(text)?.[1];
        if (url) pending = fetch(base + url, { headers });
        looking = url === undefined && text.length < 4096;
      }
    }
    const page = JSON.parse(text + decoder.decode());
    for (const _record of page.records) count++;
    if (pending === undefined && page.nextRecordsUrl)
      pending = fetch(base + page.nextRecordsUrl, { headers });
  }
  return count;
}

async function sfIterate() {
  const conn = createConnection({ instanceUrl: base, auth: token, apiVersion: version });
  let count = 0;
  for await (const _record of query(conn, soql)) count++;
  return count;
}

async function sfAwait() {
  const conn = createConnection({ instanceUrl: base, auth: token, apiVersion: version });
  const result = await query(conn, soql, { autoFetch: true });
  return result.records.length;
}

async function jsforce() {
  const { Connection } = await import('jsforce');
  const conn = new Connection({ instanceUrl: base, accessToken: token, version });
  let count = 0;
  await new Promise((resolve, reject) => {
    conn
      .query(soql)
      .on('record', () => {
        count++;
      })
      .on('end', resolve)
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: rows });
  });
  return count;
}

const cases = {
  baseline,
  'baseline-early': baselineEarly,
  'sf-iterate': sfIterate,
  'sf-await': sfAwait,
  jsforce,
};
const run = cases[name];
if (!run) throw new Error(`unknown case ${name}`);
if (name === 'jsforce') await import('jsforce'); // load modules before timing, as for the others
const started = performance.now();
const cpuStart = process.cpuUsage();
const count = await run();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ name, rows, count, ms, cpuMs, ...peakMemory() })}\n`);
