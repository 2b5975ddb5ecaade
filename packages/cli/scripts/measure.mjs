// Measures the real binary on big inputs: `sfx export` of 1,000,000 rows and `sfx import` of
// 200,000 rows against an emulator in this process, sampling the CLI process's RSS (from
// /proc, Linux) every 250 ms. Not a test (no timing asserted); run after `pnpm build`:
//   node packages/cli/scripts/measure.mjs [exportRows] [importRows]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bulkSettings, startEmulator } from '@sf/emulator';

const exportRows = Number(process.argv[2] ?? 1_000_000);
const importRows = Number(process.argv[3] ?? 200_000);
const bin = fileURLToPath(new URL('../bin/sfx.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sfx-measure-'));
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

function rssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
      hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

async function measure(label, args, env) {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let lastProgress = '';
  let progressLines = 0;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    for (const line of String(d).split('\n')) {
      if (line.startsWith('progress:')) {
        progressLines += 1;
        lastProgress = line;
      }
    }
  });
  const samples = [];
  let peak = 0;
  const timer = setInterval(() => {
    const m = rssKb(child.pid);
    if (!m) return;
    samples.push({ at: Date.now() - started, rss: m.rss });
    peak = Math.max(peak, m.hwm);
  }, 250);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  const pick = (f) => samples[Math.min(samples.length - 1, Math.floor(samples.length * f))]?.rss ?? 0;
  console.log(`\n${label}: exit ${code}, ${seconds.toFixed(1)} s, ${progressLines} progress lines`);
  console.log(
    `  RSS at 10% / 25% / 50% / 75% / 95% of the run: ${[0.1, 0.25, 0.5, 0.75, 0.95].map((f) => mb(pick(f))).join(' / ')}; peak (VmHWM) ${mb(peak)}`,
  );
  console.log(`  last progress: ${lastProgress}`);
  return stdout;
}

const emu = await startEmulator({ port: 0 });
bulkSettings(emu.store).rowsPerTick = 5_000;
console.log(`emulator ${emu.url}; inserting ${exportRows} accounts...`);
for (let i = 0; i < exportRows; i++) {
  emu.store.insert(
    'Account',
    { Name: `Account ${i}`, NumberOfEmployees: i % 1000, Description: `row ${i} of the export measurement` },
    { asSystem: true },
  );
}
const env = {
  SF_INSTANCE_URL: emu.instanceUrl,
  SF_ACCESS_TOKEN: emu.issueToken().accessToken,
  SFX_CONFIG_DIR: dir,
  SFX_PROGRESS_INTERVAL_MS: '1000',
};
const exported = join(dir, 'accounts.csv');
const exportOut = await measure(
  `export ${exportRows} rows to CSV`,
  ['export', 'SELECT Id, Name, NumberOfEmployees, Description FROM Account', '--out', exported, '--json'],
  env,
);
console.log(
  `  ${exportOut.trim().replace(/\s+/g, ' ')}; file ${(statSync(exported).size / 1e6).toFixed(0)} MB`,
);
const jsonOut = join(dir, 'accounts.json');
await measure(
  `export ${exportRows} rows to one JSON array`,
  ['export', 'SELECT Id, Name, NumberOfEmployees, Description FROM Account', '--out', jsonOut, '--json'],
  env,
);
JSON.parse(readFileSync(jsonOut, 'utf8')).length === exportRows ||
  console.log('  JSON array length differs!');

// The same export with V8's old space capped at 64 MB: it only completes if memory is bounded
// (the growth above is the garbage collector's slack, not records kept).
await measure(
  `export ${exportRows} rows to CSV, heap capped at 64 MB`,
  ['export', 'SELECT Id, Name, NumberOfEmployees, Description FROM Account', '--out', exported, '--json'],
  { ...env, NODE_OPTIONS: '--max-old-space-size=64' },
);

const input = join(dir, 'import.csv');
let text = 'Name,NumberOfEmployees,Description\n';
for (let i = 0; i < importRows; i++) text += `Imported ${i},${i % 500},"an imported row, number ${i}"\n`;
writeFileSync(input, text);
await measure(
  `import ${importRows} rows, heap capped at 64 MB`,
  ['import', input, '--object', 'Account', '--json'],
  { ...env, SFX_POLL_INTERVAL_MS: '200', NODE_OPTIONS: '--max-old-space-size=64' },
);
const importOut = await measure(
  `import ${importRows} rows`,
  ['import', input, '--object', 'Account', '--json'],
  { ...env, SFX_POLL_INTERVAL_MS: '200' },
);
const summary = JSON.parse(importOut);
console.log(
  `  succeeded ${summary.succeeded}, failed ${summary.failed}, files ${JSON.stringify(summary.files)}`,
);
await emu.close();
