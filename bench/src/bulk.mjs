// Bulk API 2.0 benchmark: @sf/bulk and jsforce against the by-hand limit (fetch, JSON.parse and
// the indexOf CSV reader of limit-csv.mjs), through the emulator running in a process of its
// own. Each client runs in its own child process too, so a case's CPU time and peak RSS are the
// client's alone; the emulator's CPU is read from its process before and after each case.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startBandwidthProxy } from './bandwidth-proxy.mjs';
import { startEmulatorProcess } from './emulator-process.mjs';
import { writeSection } from './results-file.mjs';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const caseFile = join(here, 'bulk-case.mjs');
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number);
const ingestSizes = list('BULK_INGEST_ROWS', '200000,1000000');
const queryRows = Number(process.env.BULK_QUERY_ROWS ?? 500_000);
const latencies = list('BULK_LATENCIES', '50,100');
const runs = Number(process.env.BULK_RUNS ?? 3);
// 1,000,000-row cases are about memory: one run each, jsforce left out unless asked (it takes
// about two minutes and 800 MB there).
const bigRows = 1_000_000;
const bigRuns = Number(process.env.BULK_BIG_RUNS ?? 1);
const bigClients = process.env.BULK_JSFORCE_1M ? ['baseline', 'sf', 'jsforce'] : ['baseline', 'sf'];
const latencyPage = Number(process.env.BULK_LATENCY_PAGE ?? 20_000);
// The query cases again through a bandwidth cap (0 leaves them out), where compression can pay.
const capMbit = Number(process.env.BENCH_CAP_MBIT ?? 100);
const soql = 'SELECT Id, Name, Code__c, Amount__c FROM Seed__c';

const median = (values) => {
  const defined = values.filter((v) => v !== undefined);
  if (defined.length === 0) return undefined;
  return [...defined].sort((a, b) => a - b)[Math.floor(defined.length / 2)];
};

async function runClient(emu, kind, rows, maxRecords, url = emu.url) {
  const before = await emu.usage();
  const args = [caseFile, kind, String(rows), url, emu.token];
  if (maxRecords) args.push(String(maxRecords));
  const { stdout } = await exec(process.execPath, args, { maxBuffer: 1 << 20 });
  const after = await emu.usage();
  return { ...JSON.parse(stdout), emuCpuMs: after.cpuMs - before.cpuMs, emuPeakMb: after.peakMb };
}

function summarize(kind, rows, latency, cap, samples) {
  const phaseNames = Object.keys(samples[0].phases);
  const phases = {};
  for (const name of phaseNames) {
    phases[name] = {
      ms: median(samples.map((s) => s.phases[name]?.ms)),
      cpuMs: median(samples.map((s) => s.phases[name]?.cpuMs)),
    };
  }
  return {
    kind,
    rows,
    latency,
    cap,
    runs: samples.length,
    count: samples[0].rows,
    ms: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    emuCpuMs: median(samples.map((s) => s.emuCpuMs)),
    emuPeakMb: median(samples.map((s) => s.emuPeakMb)),
    spreadMs: [Math.min(...samples.map((s) => s.ms)), Math.max(...samples.map((s) => s.ms))],
    phases,
    rss: median(samples.map((s) => s.peakMb)),
  };
}

const results = [];
const failures = [];
function log(r) {
  const phases = Object.entries(r.phases)
    .map(([name, p]) => `${name} ${p.ms.toFixed(0)}/${p.cpuMs.toFixed(0)}`)
    .join(', ');
  console.log(
    `${r.kind.padEnd(15)} ${String(r.rows).padStart(8)} rows ${String(r.latency).padStart(3)} ms lat${r.cap ? ` ${r.cap} Mbit/s` : ''}: ` +
      `${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU (${phases}); emulator CPU ${r.emuCpuMs.toFixed(0)} ms; ${r.rss.toFixed(0)} MB`,
  );
}

async function measure(kind, rows, latency, n, withEmulator, maxRecords, cap = 0) {
  try {
    const samples = [];
    for (let i = 0; i < n; i++) {
      samples.push(
        await withEmulator(async (emu) => {
          await emu.latency(latency);
          const proxy = cap > 0 ? await startBandwidthProxy(emu.url, cap) : undefined;
          try {
            return await runClient(emu, kind, rows, maxRecords, proxy?.url);
          } finally {
            await proxy?.close();
            await emu.latency(0);
          }
        }),
      );
    }
    const r = summarize(kind, rows, latency, cap, samples);
    r.maxRecords = maxRecords;
    results.push(r);
    log(r);
  } catch (error) {
    const lines = String(error?.stderr || error?.message || error)
      .trim()
      .split('\n');
    const reason = (lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? '').slice(0, 300);
    failures.push({ kind, rows, latency, cap, reason });
    console.log(`${kind} ${rows} (${latency} ms): failed: ${reason}`);
  }
}

// Ingest: a fresh emulator process for every run, so no case inherits another's rows.
const fresh = async (fn) => {
  const emu = await startEmulatorProcess();
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
};

for (const n of ingestSizes) {
  const big = n >= bigRows;
  for (const client of big ? bigClients : ['baseline', 'sf', 'jsforce']) {
    await measure(`ingest-${client}`, n, 0, big ? bigRuns : runs, fresh);
  }
}
for (const latency of latencies) {
  const n = ingestSizes[0];
  for (const client of ['baseline', 'sf']) await measure(`ingest-${client}`, n, latency, runs, fresh);
}

// Query: one emulator process, seeded once.
const queryEmu = await startEmulatorProcess();
await queryEmu.seed('Seed__c', queryRows);
const shared = (fn) => fn(queryEmu);
try {
  for (const client of ['baseline', 'sf', 'jsforce', 'baseline-gzip']) {
    await measure(`query-${client}`, queryRows, 0, runs, shared);
  }
  for (const latency of latencies) {
    for (const client of ['baseline', 'sf']) {
      await measure(`query-${client}`, queryRows, latency, runs, shared, latencyPage);
    }
  }
  if (capMbit > 0) {
    for (const client of ['baseline', 'baseline-gzip', 'sf', 'sf-identity']) {
      await measure(`query-${client}`, queryRows, 0, runs, shared, undefined, capMbit);
    }
  }
} finally {
  await queryEmu.close();
}

// ---- report ----
const version = (pkg) =>
  JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
const fmt = (n) => (n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const find = (kind, rows, latency, cap = 0) =>
  results.find((r) => r.kind === kind && r.rows === rows && r.latency === latency && r.cap === cap);
const limitOf = (r) =>
  find(r.kind.replace(/-(sf|sf-identity|jsforce|baseline-gzip)$/, '-baseline'), r.rows, r.latency, r.cap);
const linkCell = (r) => (r.cap ? `${r.cap} Mbit/s` : 'loopback');
const ratio = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}x` : 'n/a');
const phaseCell = (r, name) => {
  const p = r.phases[name];
  return p ? `${fmt(p.ms)} / ${fmt(p.cpuMs)}` : '–';
};
const cpus = os.cpus();

const ingestTable = [
  '| case | rows | latency | wall (ms) | client CPU (ms) | upload wall / CPU | poll wall / CPU | results wall / CPU | emulator CPU (ms) | wall vs limit | client CPU vs limit | peak RSS (MB) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
const queryTable = [
  '| case | rows | latency | link | page | wall (ms) | client CPU (ms) | poll wall / CPU | download + parse wall / CPU | emulator CPU (ms) | wall vs limit | client CPU vs limit | peak RSS (MB) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
const rowsCell = (r) =>
  `${fmt(r.rows)}${r.count === r.rows ? '' : ` (read ${fmt(r.count)})`}${r.runs === 1 ? ' (1 run)' : ''}`;
for (const r of results) {
  const base = limitOf(r);
  const common = `${fmt(r.ms)} | ${fmt(r.cpuMs)}`;
  const tail = `${fmt(r.emuCpuMs)} | ${ratio(r.ms, base?.ms)} | ${ratio(r.cpuMs, base?.cpuMs)} | ${fmt(r.rss)} |`;
  if (r.kind.startsWith('ingest')) {
    ingestTable.push(
      `| ${r.kind} | ${rowsCell(r)} | ${r.latency} ms | ${common} | ${phaseCell(r, 'upload')} | ${phaseCell(r, 'poll')} | ${phaseCell(r, 'results')} | ${tail}`,
    );
  } else {
    queryTable.push(
      `| ${r.kind} | ${rowsCell(r)} | ${r.latency} ms | ${linkCell(r)} | ${fmt(r.maxRecords ?? 50_000)} | ${common} | ${phaseCell(r, 'poll')} | ${phaseCell(r, 'download')} | ${tail}`,
    );
  }
}
for (const f of failures) {
  const row = `| ${f.kind} | ${fmt(f.rows)} | ${f.latency} ms | ${f.kind.startsWith('ingest') ? '' : `${linkCell(f)} | `}failed: ${f.reason.replaceAll('|', '/')} |`;
  (f.kind.startsWith('ingest') ? ingestTable : queryTable).push(row);
}

const verdict = (value, target, lessIsBetter = true) =>
  value === undefined ? 'n/a' : (lessIsBetter ? value <= target : value >= target) ? 'met' : '**NOT met**';
const verdicts = [];
const ingestSf = find('ingest-sf', ingestSizes[0], 0);
const ingestBase = find('ingest-baseline', ingestSizes[0], 0);
if (ingestSf && ingestBase) {
  const t = ingestSf.ms / ingestBase.ms;
  const clientWall = (r) => r.phases.upload.ms + r.phases.results.ms;
  const c = clientWall(ingestSf) / clientWall(ingestBase);
  verdicts.push(
    `- Bulk 2.0 ingest ${fmt(ingestSf.rows)}, results read back: ${t.toFixed(2)}x the limit's wall time (target ≤ 1.3x): ${verdict(t, 1.3)}; ` +
      `the client's own phases (upload + results, wall) ${c.toFixed(2)}x; client CPU ${ratio(ingestSf.cpuMs, ingestBase.cpuMs)}.`,
  );
}
const querySf = find('query-sf', queryRows, 0);
const queryBase = find('query-baseline', queryRows, 0);
if (querySf && queryBase) {
  const t = querySf.ms / queryBase.ms;
  const d = querySf.phases.download.ms / queryBase.phases.download.ms;
  verdicts.push(
    `- Bulk 2.0 query ${fmt(queryRows)}: ${t.toFixed(2)}x the limit's wall time (target ≤ 1.3x): ${verdict(t, 1.3)}; ` +
      `download + parse ${d.toFixed(2)}x; client CPU ${ratio(querySf.cpuMs, queryBase.cpuMs)}; ` +
      `peak RSS ${fmt(querySf.rss)} MB vs the limit's ${fmt(queryBase.rss)} MB (target ≤ +60 MB): ${verdict(querySf.rss - queryBase.rss, 60)}.`,
  );
}
const bigSf = find('ingest-sf', bigRows, 0);
if (bigSf) {
  verdicts.push(
    `- Bulk 2.0 ingest ${fmt(bigRows)}: peak RSS ${fmt(bigSf.rss)} MB (target < 200 MB): ${verdict(bigSf.rss, 200)}.`,
  );
}
const slowest = Math.max(...latencies);
const parallel = find('query-sf', queryRows, slowest);
const sequential = find('query-baseline', queryRows, slowest);
if (parallel && sequential) {
  const t = parallel.ms / sequential.ms;
  verdicts.push(
    `- Bulk 2.0 query ${fmt(queryRows)} at ${slowest} ms a request, pages of ${fmt(latencyPage)}: ${t.toFixed(2)}x the sequential limit (target ≤ 0.6x, needs parallel result pages): ${verdict(t, 0.6)}; ` +
      `peak RSS ${fmt(parallel.rss)} MB vs ${fmt(sequential.rss)} MB.`,
  );
}
const gzip = find('query-baseline-gzip', queryRows, 0);
if (gzip && queryBase) {
  verdicts.push(
    `- gzip on loopback: the limit with compressed pages (\`Accept-Encoding: gzip\`) takes ${ratio(gzip.ms, queryBase.ms)} the wall time and ${ratio(gzip.cpuMs, queryBase.cpuMs)} the client CPU of the limit without, ` +
      `and the emulator spends ${ratio(gzip.emuCpuMs, queryBase.emuCpuMs)} the CPU (level 1).`,
  );
}
const cappedBase = find('query-baseline', queryRows, 0, capMbit);
const cappedGzip = find('query-baseline-gzip', queryRows, 0, capMbit);
const cappedSf = find('query-sf', queryRows, 0, capMbit);
const cappedSfIdentity = find('query-sf-identity', queryRows, 0, capMbit);
if (cappedBase && cappedGzip) {
  verdicts.push(
    `- gzip through a ${capMbit} Mbit/s link: the limit with compressed pages takes ${ratio(cappedGzip.ms, cappedBase.ms)} the wall time of the limit without` +
      (cappedSf ? `; @sf/bulk (gzip by default) ${ratio(cappedSf.ms, cappedBase.ms)}` : '') +
      (cappedSfIdentity ? `, and with \`gzip: false\` ${ratio(cappedSfIdentity.ms, cappedBase.ms)}` : '') +
      '.',
  );
}
if (ingestBase) {
  verdicts.push(
    `- The emulator applying a ${fmt(ingestBase.rows)}-row ingest (issue 12): ${fmt(ingestBase.emuCpuMs)} ms of emulator CPU for the whole job (upload, processing, results), ` +
      `${fmt(ingestBase.phases.poll.ms)} ms wall from the close until the limit saw JobComplete (target ≤ 2,000 ms): ${verdict(Math.max(ingestBase.emuCpuMs, ingestBase.phases.poll.ms), 2000)}.`,
  );
}

const report = `## Bulk API 2.0 benchmark

Run with \`pnpm bench\` (or \`pnpm --filter @sf/bench run bench:bulk\`) on ${new Date().toISOString()}.

- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} (${os.arch()}); load average at the end ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(
    ' / ',
  )}. **The two cores are shared with other work, so wall times are noisy; CPU times are the steadier figure.**
- Node ${process.version}; @sf/bulk ${version('@sf/bulk')}; jsforce ${version('jsforce')}.
- Every figure is the median of ${runs} runs (1,000,000-row cases: ${bigRuns} run${bigRuns === 1 ? '' : 's'}, about memory). The emulator runs in a process of its own (\`src/emulator-server.mjs\`), with its default Bulk pacing; each client runs in another child process, so "client CPU" (\`process.cpuUsage()\` of that process) holds no emulator work, and "emulator CPU" is the emulator process's CPU during the case. "peak RSS" is the client process's high-water mark (\`VmHWM\`). Every client polls every 50 ms.
- **The limit** (\`*-baseline\`) is the least a client can do: built-in \`fetch\`, \`JSON.parse\` for job control, and the indexOf-based RFC 4180 reader of \`src/limit-csv.mjs\` (written in the bench, no library) building one plain object per row; requests one after another. Ingest: CSV built by hand in 64 KB chunks and streamed as the upload, then successful and failed results downloaded and parsed (results counted). Query: each page fetched and parsed in turn.
- \`ingest-sf\`: \`load(conn, 'Bench__c', 'insert', asyncGeneratorOfRecords)\`, then \`successfulResults()\` and \`failedResults()\` iterated. \`ingest-jsforce\`: \`createJob()\`, \`open()\`, \`uploadData(array)\`, \`close()\`, \`poll()\`, \`getAllResults()\` (jsforce takes records only as an array or CSV text; the array is built inside the measured time). \`query-sf\`: \`for await (const r of bulkQuery(conn, soql))\`. \`query-jsforce\`: \`(await conn.bulk2.query(soql)).on('record', ...)\`; a \`(read N)\` rows cell means it returned N records: jsforce 3.10.16 reads the header row of every page after the first as a record.
- Phases are the client's, each as wall / CPU in ms. Ingest: upload (job created, CSV sent, job closed), poll (until JobComplete: mostly the emulator's processing), results. Query: poll (for the limit, until JobComplete; for @sf/bulk and jsforce, whose API hides it, until the first record, so it includes the first page's first bytes), download + parse.
- \`query-baseline-gzip\`: the limit asking for gzip-compressed pages (\`Accept-Encoding: gzip\`, decompressed by fetch); every other limit case asks for \`identity\`. \`query-sf-identity\`: \`bulkQuery(conn, soql, { gzip: false })\`.
- "link" is \`loopback\`, or a bandwidth cap (\`src/bandwidth-proxy.mjs\`: a TCP proxy pacing each direction to that rate, shared by all connections) between the client and the emulator.
- Latency cases: \`emu.faults.latency(ms)\` delays every request by that much; queries then ask for pages of ${fmt(latencyPage)} rows (\`maxRecords\`). Query: \`${soql}\`, pages of 50,000 otherwise (the emulator's default, as Salesforce picks).

### Ingest

${ingestTable.join('\n')}

### Query

${queryTable.join('\n')}

### Against the targets (issue 13 section 2 and 3, issue 12 item 11)

${verdicts.join('\n')}
${failures.length > 0 ? `\nFailed cases: ${failures.map((f) => `${f.kind} ${fmt(f.rows)} at ${f.latency} ms (${f.reason})`).join('; ')}\n` : ''}`;
writeSection('## Bulk API 2.0 benchmark', report);
console.log(`\n${ingestTable.join('\n')}\n\n${queryTable.join('\n')}\n\n${verdicts.join('\n')}`);
