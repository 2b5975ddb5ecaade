// pnpm bench: seeds the emulator (in this process) and runs each case in a child process.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '@sf/emulator';
import { writeSection } from './results-file.mjs';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '100000,500000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const cases = ['baseline', 'sf-iterate', 'sf-await', 'jsforce'];

const emu = await startEmulator();
const token = emu.issueToken().accessToken;
const industries = ['Energy', 'Retail', 'Banking', 'Media'];
let seeded = 0;
const results = [];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

try {
  for (const rows of sizes) {
    const seedStart = performance.now();
    for (; seeded < rows; seeded++) {
      emu.store.insert('Account', {
        Name: `Account ${String(seeded).padStart(7, '0')}`,
        BillingCity: 'Paris',
        Industry: industries[seeded % industries.length],
      });
    }
    console.log(`seeded ${rows} Accounts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    for (const name of cases) {
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const { stdout } = await exec(
          process.execPath,
          [join(here, 'case.mjs'), name, emu.url, token, String(rows)],
          {
            maxBuffer: 1 << 20,
          },
        );
        const sample = JSON.parse(stdout.trim().split('\n').at(-1));
        if (sample.count !== rows) throw new Error(`${name} read ${sample.count} of ${rows} rows`);
        samples.push(sample);
      }
      const ms = median(samples.map((s) => s.ms));
      const rss = median(samples.map((s) => s.peakMb));
      const maxRss = median(samples.map((s) => s.maxRssMb));
      results.push({ name, rows, ms, perSecond: rows / (ms / 1000), rss, maxRss });
      console.log(
        `${name.padEnd(11)} ${String(rows).padStart(7)} rows  ${ms.toFixed(0).padStart(6)} ms  ${rss.toFixed(0)} MB`,
      );
    }
  }
} finally {
  await emu.close();
}

const version = (pkg) =>
  JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
const find = (name, rows) => results.find((r) => r.name === name && r.rows === rows);
const lines = [
  '| case | rows | median time (ms) | records/s | peak RSS (MB) | maxRSS (MB) |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.rows.toLocaleString('en-US')} | ${r.ms.toFixed(0)} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.rss.toFixed(0)} | ${r.maxRss.toFixed(0)} |`,
  ),
];
const checks = [];
for (const rows of sizes) {
  const base = find('baseline', rows);
  const iter = find('sf-iterate', rows);
  const jsf = find('jsforce', rows);
  checks.push(
    `- ${rows.toLocaleString('en-US')} rows: iteration/baseline time ${(iter.ms / base.ms).toFixed(2)}x (target ≤ 1.15x): ${iter.ms <= base.ms * 1.15 ? 'met' : 'NOT met'}; ` +
      `iteration vs jsforce ${(iter.ms / jsf.ms).toFixed(2)}x (target ≤ 1x): ${iter.ms <= jsf.ms ? 'met' : 'NOT met'}; ` +
      `peak RSS iteration − baseline ${(iter.rss - base.rss).toFixed(0)} MB (target ≤ 30 MB): ${iter.rss - base.rss <= 30 ? 'met' : 'NOT met'}`,
  );
}
const cpus = os.cpus();
const report = `# Query benchmark

Run with \`pnpm bench\` on ${new Date().toISOString()}.

- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} (${os.arch()})
- Node ${process.version}; @sf/query ${version('@sf/query')}; jsforce ${version('jsforce')}
- Query: \`SELECT Id, Name, BillingCity, Industry, CreatedDate FROM Account\`, pages of 2,000 (the default), through the emulator on 127.0.0.1 (in the parent process); each case runs ${runs} times in its own child process; median time and median peak RSS are shown. "peak RSS" is the child's own high-water mark (\`VmHWM\` in \`/proc/self/status\`); "maxRSS" is \`process.resourceUsage().maxRSS\`, which on Linux starts from the parent's RSS at fork time (the emulator and its seeded rows), so it is the larger and nearly the same for every case.
- Cases: \`baseline\` fetches each page with \`fetch\` and \`JSON.parse\`s it; \`sf-iterate\` is \`for await (const r of query(conn, soql))\`; \`sf-await\` is \`await query(conn, soql, { autoFetch: true })\` (every record in one array, by request); \`jsforce\` is \`conn.query(soql).on('record', ...).run({ autoFetch: true, maxFetch })\`.

${lines.join('\n')}

Targets:
${checks.join('\n')}
`;
writeSection('# Query benchmark', report);
console.log(`\n${lines.join('\n')}\n\n${checks.join('\n')}`);
