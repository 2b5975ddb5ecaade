// pnpm bench, REST query part: the emulator runs in a process of its own (seeded there), each
// case in another child process, so a case's CPU time and peak RSS are the client's alone.
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
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number);
const sizes = list('BENCH_SIZES', '100000,500000');
const latencies = list('BENCH_LATENCIES', '50,100');
const latencyRows = Number(process.env.BENCH_LATENCY_ROWS ?? 100_000);
const bigRows = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
// The latency case again through a bandwidth cap (0 leaves it out): a real org is far and narrow.
const capMbit = Number(process.env.BENCH_CAP_MBIT ?? 100);
const cases = ['baseline', 'sf-iterate', 'sf-await', 'jsforce'];

const emu = await startEmulatorProcess();
const results = [];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function seed(rows) {
  const started = performance.now();
  await emu.seed('Account', rows);
  console.log(`seeded ${rows} Accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function measure(name, rows, latency, n, cap = 0) {
  const samples = [];
  await emu.latency(latency);
  const proxy = cap > 0 ? await startBandwidthProxy(emu.url, cap) : undefined;
  try {
    for (let i = 0; i < n; i++) {
      const before = await emu.usage();
      const { stdout } = await exec(
        process.execPath,
        [join(here, 'case.mjs'), name, proxy?.url ?? emu.url, emu.token, String(rows)],
        {
          maxBuffer: 1 << 20,
        },
      );
      const after = await emu.usage();
      const sample = JSON.parse(stdout.trim().split('\n').at(-1));
      if (sample.count !== rows) throw new Error(`${name} read ${sample.count} of ${rows} rows`);
      samples.push({ ...sample, emuCpuMs: after.cpuMs - before.cpuMs });
    }
  } finally {
    await proxy?.close();
    await emu.latency(0);
  }
  const r = {
    name,
    rows,
    latency,
    cap,
    runs: n,
    ms: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    emuCpuMs: median(samples.map((s) => s.emuCpuMs)),
    rss: median(samples.map((s) => s.peakMb)),
  };
  r.perSecond = rows / (r.ms / 1000);
  results.push(r);
  console.log(
    `${name.padEnd(11)} ${String(rows).padStart(7)} rows ${String(latency).padStart(3)} ms lat${cap ? ` ${cap} Mbit/s` : ''}  ${r.ms.toFixed(0).padStart(6)} ms  CPU ${r.cpuMs.toFixed(0).padStart(6)} ms  ${r.rss.toFixed(0)} MB`,
  );
}

try {
  const ordered = [...new Set([...sizes, latencyRows])].sort((a, b) => a - b);
  for (const rows of ordered) {
    await seed(rows);
    if (sizes.includes(rows)) for (const name of cases) await measure(name, rows, 0, runs);
    if (rows === latencyRows) {
      for (const latency of latencies) {
        for (const name of ['baseline', 'baseline-early', 'sf-iterate', 'jsforce'])
          await measure(name, rows, latency, runs);
      }
      if (capMbit > 0 && latencies.includes(50)) {
        for (const name of ['baseline', 'baseline-early', 'sf-iterate'])
          await measure(name, rows, 50, runs, capMbit);
      }
    }
  }
  if (bigRows > 0) {
    // Memory at 1,000,000 rows: one run each, streamed and all in memory.
    await seed(bigRows);
    for (const name of ['baseline', 'sf-iterate', 'sf-await']) await measure(name, bigRows, 0, 1);
  }
} finally {
  await emu.close();
}

const version = (pkg) =>
  JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
const find = (name, rows, latency, cap = 0) =>
  results.find((r) => r.name === name && r.rows === rows && r.latency === latency && r.cap === cap);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const lines = [
  '| case | rows | latency | link | wall (ms) | client CPU (ms) | records/s | emulator CPU (ms) | wall vs limit | CPU vs limit | peak RSS (MB) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => {
    const base = find('baseline', r.rows, r.latency, r.cap);
    return `| ${r.name} | ${fmt(r.rows)}${r.runs === 1 ? ' (1 run)' : ''} | ${r.latency} ms | ${r.cap ? `${r.cap} Mbit/s` : 'loopback'} | ${fmt(r.ms)} | ${fmt(r.cpuMs)} | ${fmt(r.perSecond)} | ${fmt(r.emuCpuMs)} | ${(r.ms / base.ms).toFixed(2)}x | ${(r.cpuMs / base.cpuMs).toFixed(2)}x | ${r.rss.toFixed(0)} |`;
  }),
];
const met = (ok) => (ok ? 'met' : '**NOT met**');
const checks = [];
for (const rows of sizes) {
  const base = find('baseline', rows, 0);
  const iter = find('sf-iterate', rows, 0);
  const jsf = find('jsforce', rows, 0);
  checks.push(
    `- ${fmt(rows)} rows: iteration/limit wall ${(iter.ms / base.ms).toFixed(2)}x, CPU ${(iter.cpuMs / base.cpuMs).toFixed(2)}x (target ≤ 1.15x wall): ${met(iter.ms <= base.ms * 1.15)}; ` +
      `iteration vs jsforce ${(iter.ms / jsf.ms).toFixed(2)}x (target ≤ 1x): ${met(iter.ms <= jsf.ms)}; ` +
      `peak RSS iteration − limit ${(iter.rss - base.rss).toFixed(0)} MB (target ≤ 30 MB): ${met(iter.rss - base.rss <= 30)}`,
  );
}
for (const latency of latencies) {
  const base = find('baseline', latencyRows, latency);
  const iter = find('sf-iterate', latencyRows, latency);
  if (!base || !iter) continue;
  const t = iter.ms / base.ms;
  const early = find('baseline-early', latencyRows, latency);
  checks.push(
    `- ${fmt(latencyRows)} rows streamed at ${latency} ms a request: ${t.toFixed(2)}x the sequential limit` +
      (latency === 50 ? ` (target ≤ 0.85x, needs the next page requested early): ${met(t <= 0.85)}` : '') +
      (early
        ? `; the by-hand early-requesting floor is ${(early.ms / base.ms).toFixed(2)}x, and @sf/query takes ${(iter.ms / early.ms).toFixed(2)}x of it`
        : ''),
  );
}
{
  const base = find('baseline', latencyRows, 50, capMbit);
  const iter = find('sf-iterate', latencyRows, 50, capMbit);
  const early = find('baseline-early', latencyRows, 50, capMbit);
  if (base && iter && early) {
    checks.push(
      `- ${fmt(latencyRows)} rows streamed at 50 ms a request through a ${capMbit} Mbit/s link: ${(iter.ms / base.ms).toFixed(2)}x the sequential limit; the by-hand early-requesting floor is ${(early.ms / base.ms).toFixed(2)}x, and @sf/query takes ${(iter.ms / early.ms).toFixed(2)}x of it`,
    );
  }
}
const bigBase = find('baseline', bigRows, 0);
const bigIter = find('sf-iterate', bigRows, 0);
if (bigBase && bigIter) {
  checks.push(
    `- ${fmt(bigRows)} rows: peak RSS streamed ${fmt(bigIter.rss)} MB vs the limit's ${fmt(bigBase.rss)} MB (flat with the row count: ${met(bigIter.rss - (find('sf-iterate', sizes[0], 0)?.rss ?? bigIter.rss) <= 30)})`,
  );
}
const cpus = os.cpus();
const report = `# Query benchmark

Run with \`pnpm bench\` on ${new Date().toISOString()}.

- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} (${os.arch()}); load average at the end ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(
    ' / ',
  )}. **The two cores are shared with other work, so wall times are noisy; CPU times are the steadier figure.**
- Node ${process.version}; @sf/query ${version('@sf/query')}; jsforce ${version('jsforce')}
- Query: \`SELECT Id, Name, BillingCity, Industry, CreatedDate FROM Account\`, pages of 2,000 (the default). The emulator runs in a process of its own (\`src/emulator-server.mjs\`, seeded there); each case runs ${runs} times in its own child process (1,000,000 rows: once, for memory) and the medians are shown. "client CPU" is \`process.cpuUsage()\` of the case's process (no emulator work in it); "emulator CPU" is the emulator process's CPU during the case; "peak RSS" is the case process's high-water mark (\`VmHWM\`).
- Cases: \`baseline\` (the limit) fetches each page with built-in \`fetch\` and \`JSON.parse\`s it, one request after another; \`baseline-early\` (latency cases) is the same by-hand client requesting each next page as soon as the first bytes of a page name it, the floor for any client that follows \`nextRecordsUrl\` (one round trip per page); \`sf-iterate\` is \`for await (const r of query(conn, soql))\`; \`sf-await\` is \`await query(conn, soql, { autoFetch: true })\` (every record in one array, by request); \`jsforce\` is \`conn.query(soql).on('record', ...).run({ autoFetch: true, maxFetch })\`. Latency cases: \`emu.faults.latency(ms)\` delays every request by that much. "link" is \`loopback\`, or a bandwidth cap (\`src/bandwidth-proxy.mjs\`: a TCP proxy pacing each direction to that rate, shared by all connections) between every client and the emulator.

${lines.join('\n')}

Targets:
${checks.join('\n')}
`;
writeSection('# Query benchmark', report);
console.log(`\n${lines.join('\n')}\n\n${checks.join('\n')}`);
