// Bulk API 2.0 benchmark: @sf/bulk against a by-hand baseline, through the emulator (in this
// process); each case runs in its own child process so its peak RSS is its own.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@sf/emulator';

const caseFile = fileURLToPath(new URL('./bulk-case.mjs', import.meta.url));
const results = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const fields = [
  { name: 'Code__c', type: 'string' },
  { name: 'Amount__c', type: 'double' },
];
const emu = await startEmulator({
  customObjects: [
    { name: 'Bench__c', fields },
    { name: 'Seed__c', fields },
  ],
});
const token = emu.issueToken().accessToken;
const queryRows = Number(process.env.BULK_QUERY_ROWS ?? 500_000);
for (let i = 0; i < queryRows; i++)
  emu.store.insert('Seed__c', { Name: `Seed ${i}`, Code__c: `S${i}`, Amount__c: i % 1000 });

// Asynchronously: the emulator answers from this process's event loop.
const run = async (kind, rows) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [caseFile, kind, String(rows), emu.url, token],
    { maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(stdout);
  console.log(kind, rows, r);
  return { kind, rows, ...r };
};

const rows = [];
const ingestSizes = (process.env.BULK_INGEST_ROWS ?? '200000,1000000').split(',').map(Number);
for (const n of ingestSizes) {
  rows.push(await run('ingest-baseline', n), await run('ingest-sf', n));
}
rows.push(await run('query-baseline', queryRows), await run('query-sf', queryRows));
await emu.close();

const fmt = (n) => Math.round(n).toLocaleString('en-US');
let md = `\n## Bulk API 2.0 benchmark\n\nRun with \`pnpm --filter @sf/bench run bench:bulk\` on ${new Date().toISOString()}, Node ${process.version}; emulator in the parent process, each case once in its own child process (time includes the emulator's processing, the same for both cases). \`ingest-baseline\`: CSV built by hand and streamed with fetch, job closed and polled. \`ingest-sf\`: \`load(conn, 'Bench__c', 'insert', asyncGeneratorOfRecords)\`. \`query-baseline\`: job polled, pages fetched and parsed with csv-parse. \`query-sf\`: \`for await (const r of bulkQuery(conn, soql))\`. jsforce was not run for Bulk (not done).\n\n| case | rows | time (ms) | peak RSS (MB) |\n|---|---:|---:|---:|\n`;
for (const r of rows) md += `| ${r.kind} | ${fmt(r.rows)} | ${fmt(r.ms)} | ${fmt(r.maxRssMb)} |\n`;
md += '\nTargets (time within 1.3x of the baseline; 1,000,000 rows under 200 MB):\n';
for (let i = 0; i < rows.length; i += 2) {
  const [b, s] = [rows[i], rows[i + 1]];
  md += `- ${s.kind} ${fmt(s.rows)} rows: ${(s.ms / b.ms).toFixed(2)}x baseline time (${s.ms / b.ms <= 1.3 ? 'met' : 'NOT met'}); peak RSS ${fmt(s.maxRssMb)} MB vs baseline ${fmt(b.maxRssMb)} MB\n`;
}
appendFileSync(results, md);
