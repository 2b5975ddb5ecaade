// Bulk API 2.0 benchmark: @sf/bulk against a by-hand baseline and jsforce, through the emulator
// (in this process). Each case runs in its own child process, so its peak RSS is its own; the
// children are awaited asynchronously, since the emulator answers from this event loop.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bulkSettings, startEmulator } from '@sf/emulator';
import { writeSection } from './results-file.mjs';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const caseFile = join(here, 'bulk-case.mjs');
const fields = [
  { name: 'Code__c', type: 'string' },
  { name: 'Amount__c', type: 'double' },
];
const ingestSizes = (process.env.BULK_INGEST_ROWS ?? '200000,1000000').split(',').filter(Boolean).map(Number);
const queryRows = Number(process.env.BULK_QUERY_ROWS ?? 500_000);
const runs = Number(process.env.BULK_RUNS ?? 1);
const clients = ['baseline', 'sf', 'jsforce'];
const soql = 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c';
// The emulator's pacing, set fast: its default 2,000 rows per timer tick adds hundreds of timer
// turns per million rows, which is the emulator's cost, not a client's.
const ROWS_PER_TICK = 100_000;

async function emulator() {
  const emu = await startEmulator({
    customObjects: [
      { name: 'Bench__c', fields },
      { name: 'Seed__c', fields },
    ],
  });
  const settings = bulkSettings(emu.store);
  settings.rowsPerTick = ROWS_PER_TICK;
  settings.tickMs = 0;
  return emu;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function runCase(emu, kind, rows) {
  const token = emu.issueToken().accessToken;
  const { stdout } = await exec(process.execPath, [caseFile, kind, String(rows), emu.url, token], {
    maxBuffer: 1 << 20,
  });
  // A client that reads a wrong number of records is reported, not dropped: jsforce reads every
  // page's header row after the first as a record.
  return JSON.parse(stdout);
}

async function measure(kind, rows, withEmulator) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await withEmulator((emu) => runCase(emu, kind, rows)));
  const result = {
    kind,
    rows,
    ms: median(samples.map((s) => s.ms)),
    clientMs: samples[0].clientMs === undefined ? undefined : median(samples.map((s) => s.clientMs)),
    rss: median(samples.map((s) => s.peakMb)),
    maxRss: median(samples.map((s) => s.maxRssMb)),
    count: samples[0].rows,
  };
  console.log(
    `${kind.padEnd(16)} ${String(rows).padStart(8)} rows ${result.ms.toFixed(0).padStart(7)} ms` +
      `${result.clientMs === undefined ? '' : ` (upload ${result.clientMs.toFixed(0)} ms)`} ${result.rss.toFixed(0)} MB (maxRSS ${result.maxRss.toFixed(0)} MB)`,
  );
  return result;
}

const results = [];
const failures = [];
async function tryMeasure(kind, rows, withEmulator) {
  try {
    results.push(await measure(kind, rows, withEmulator));
  } catch (error) {
    const lines = String(error?.stderr || error?.message || error)
      .trim()
      .split('\n');
    const reason = (lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? '').slice(0, 300);
    failures.push({ kind, rows, reason });
    console.log(`${kind} ${rows}: failed: ${reason}`);
  }
}

// Ingest: a fresh emulator for every run, so no case inherits another's million rows.
const fresh = async (fn) => {
  const emu = await emulator();
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
};
for (const n of ingestSizes) {
  for (const client of clients) await tryMeasure(`ingest-${client}`, n, fresh);
}

// Query: one emulator seeded once.
const queryEmu = await emulator();
for (let i = 0; i < queryRows; i++) {
  queryEmu.store.insert('Seed__c', { Name: `Seed ${i}`, Code__c: `S${i}`, Amount__c: i % 1000 });
}
try {
  for (const client of clients) await tryMeasure(`query-${client}`, queryRows, (fn) => fn(queryEmu));
} finally {
  await queryEmu.close();
}

// ---- report ----
const version = (pkg) =>
  JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
const fmt = (n) => (n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const find = (kind, rows) => results.find((r) => r.kind === kind && r.rows === rows);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
const cpus = os.cpus();

const table = [
  '| case | rows | time (ms) | upload + close (ms) | vs baseline | peak RSS (MB) | maxRSS (MB) |',
  '|---|---:|---:|---:|---:|---:|---:|',
];
for (const r of results) {
  const base = find(r.kind.replace(/-(sf|jsforce)$/, '-baseline'), r.rows);
  table.push(
    `| ${r.kind} | ${fmt(r.rows)}${r.count === r.rows ? '' : ` (read ${fmt(r.count)})`} | ${fmt(r.ms)} | ${fmt(r.clientMs)} | ${ratio(r.ms, base?.ms)} | ${fmt(r.rss)} | ${fmt(r.maxRss)} |`,
  );
}
for (const f of failures) table.push(`| ${f.kind} | ${fmt(f.rows)} | failed | | | | |`);

const verdicts = [];
for (const r of results.filter((x) => x.kind.endsWith('-sf'))) {
  const base = find(r.kind.replace('-sf', '-baseline'), r.rows);
  if (!base) continue;
  const time = r.ms / base.ms;
  let line = `- ${r.kind} ${fmt(r.rows)} rows: ${time.toFixed(2)}x the baseline's time (target ≤ 1.3x): ${time <= 1.3 ? 'met' : 'NOT met'}`;
  if (r.clientMs !== undefined && base.clientMs !== undefined) {
    line += `; upload phase ${(r.clientMs / base.clientMs).toFixed(2)}x`;
  }
  line += `; peak RSS ${fmt(r.rss)} MB (baseline ${fmt(base.rss)} MB)`;
  verdicts.push(line);
}
const sf = ingestSizes.map((n) => find('ingest-sf', n)).filter(Boolean);
if (sf.length > 1) {
  const [small, large] = [sf[0], sf.at(-1)];
  verdicts.push(
    `- ingest-sf peak RSS ${fmt(small.rss)} MB at ${fmt(small.rows)} rows, ${fmt(large.rss)} MB at ${fmt(large.rows)} rows: ` +
      `${large.rss - small.rss <= 20 ? 'flat' : 'GROWS'}; under 200 MB at ${fmt(large.rows)} rows: ${large.rss < 200 ? 'met' : 'NOT met'}`,
  );
}
const q = find('query-sf', queryRows);
if (q)
  verdicts.push(
    `- query-sf peak RSS at ${fmt(queryRows)} rows: ${fmt(q.rss)} MB (under 200 MB: ${q.rss < 200 ? 'met' : 'NOT met'})`,
  );

const report = `## Bulk API 2.0 benchmark

Run with \`pnpm bench\` (or \`pnpm --filter @sf/bench run bench:bulk\`) on ${new Date().toISOString()}.

- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} (${os.arch()}); shared with other work.
- Node ${process.version}; @sf/bulk ${version('@sf/bulk')}; jsforce ${version('jsforce')}; csv-parse ${version('csv-parse')}.
- The emulator runs in the parent process (on 127.0.0.1); each case runs ${runs === 1 ? 'once' : `${runs} times (median shown)`} in its own child process, which reports its time and its peak RSS. "peak RSS" is the child's own high-water mark (\`VmHWM\` in \`/proc/self/status\`); "maxRSS" is \`process.resourceUsage().maxRSS\`, which on Linux starts from the parent's RSS at fork time (the emulator and its seeded rows), so it is the larger of the two and the same for every query case. Every client polls every 50 ms.
- Emulator pacing set fast for the benchmark: \`bulkSettings(store).rowsPerTick = ${ROWS_PER_TICK.toLocaleString('en-US')}\`, \`tickMs = 0\` (the default 2,000 rows per tick only adds timer turns). Ingest time still includes the emulator applying every row to its store, the same work for every client, so the "upload + close" column (start until the CSV is sent and the job closed) isolates the client's own cost. A fresh emulator serves each ingest case.
- \`ingest-baseline\`: CSV built by hand in 64 KB chunks, streamed with \`fetch\`, job closed and polled. \`ingest-sf\`: \`await load(conn, 'Bench__c', 'insert', asyncGeneratorOfRecords)\`. \`ingest-jsforce\`: \`conn.bulk2.createJob()\`, \`open()\`, \`uploadData(arrayOfRecords)\`, \`close()\`, \`poll()\` (jsforce takes records only as an array, or CSV text; the array is built inside the measured time).
- A rows cell with \`(read N)\` means the client returned N records for that many rows: jsforce 3.10.16 reads the header row of every results page after the first as a record (the issue's "parses every page" bug), so its query count is off by the page count minus one.
- \`query-baseline\`: job polled, pages fetched one after another with \`fetch\` and parsed with csv-parse (\`columns: true\`). \`query-sf\`: \`for await (const r of bulkQuery(conn, soql))\`. \`query-jsforce\`: \`(await conn.bulk2.query(soql)).on('record', ...)\`. Query: \`${soql}\`, pages of 50,000 (the emulator's default, as Salesforce picks).

${table.join('\n')}

Targets (time within 1.3x of the baseline; peak memory flat with the row count, 1,000,000 rows under 200 MB):
${verdicts.join('\n')}
${failures.length > 0 ? `\nFailed cases: ${failures.map((f) => `${f.kind} ${fmt(f.rows)} (${f.reason})`).join('; ')}\n` : ''}`;
writeSection('## Bulk API 2.0 benchmark', report);
console.log(`\n${table.join('\n')}\n\n${verdicts.join('\n')}`);
