// The CSV readers measured for Bulk result pages (issue 13: choose by measurement), on one page
// of the bench's Bulk query (50,000 rows of Id, Name, Code__c, Amount__c, a quoted cell in every
// tenth row), in this process, no network: the by-hand limit's reader (limit-csv.mjs),
// @sf/bulk's page reader (fed 64 KB chunks, as a body arrives), udsv, papaparse and csv-parse.
// Each builds one object per row. Medians of 9 after 2 warm-ups; prints a table and writes its
// section of RESULTS.md. Run after `pnpm exec tsc -b` (it reads @sf/bulk's dist).
import { parse as csvParse } from 'csv-parse/sync';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { createPageParser } from '../../packages/bulk/dist/query-page.js';
import { readCsvRecords } from './limit-csv.mjs';
import { writeSection } from './results-file.mjs';

const ROWS = Number(process.env.CSV_ROWS ?? 50_000);
const RUNS = 9;

let text = 'Id,Name,Code__c,Amount__c\n';
for (let i = 0; i < ROWS; i++) {
  const id = `a00${String(i).padStart(15, '0')}`;
  const name = i % 10 === 0 ? `"Seed ${i}, ""quoted"""` : `Seed ${i}`;
  text += `${id},${name},S${i},${i % 1000}\n`;
}
const bytes = Buffer.from(text);
const CHUNK = 64 * 1024;

const candidates = {
  'limit (bench reader, whole text)': () => {
    let n = 0;
    readCsvRecords(text, () => n++);
    return n;
  },
  '@sf/bulk page reader (64 KB chunks)': async () => {
    const parser = createPageParser({ delimiter: ',', emptyAsNull: false, cast: undefined, where: 'bench' });
    let n = 0;
    for (let at = 0; at < bytes.length; at += CHUNK) n += parser.write(bytes.subarray(at, at + CHUNK)).length;
    return n + (await parser.end()).length;
  },
  'udsv (stringObjs, whole text)': () => initParser(inferSchema(text)).stringObjs(text).length,
  'papaparse (header, step)': () => {
    let n = 0;
    Papa.parse(text, { header: true, skipEmptyLines: true, step: () => n++ });
    return n;
  },
  'csv-parse (sync, columns)': () => csvParse(text, { columns: true }).length,
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
for (const [name, run] of Object.entries(candidates)) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const started = performance.now();
    const n = await run();
    const ms = performance.now() - started;
    if (n !== ROWS) throw new Error(`${name} read ${n} of ${ROWS} rows`);
    if (i >= 2) times.push(ms);
  }
  rows.push({ name, ms: median(times), min: Math.min(...times), max: Math.max(...times) });
}
const base = rows[0].ms;
const table = [
  '| reader | median (ms) | min–max (ms) | vs the limit |',
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)}–${r.max.toFixed(0)} | ${(r.ms / base).toFixed(2)}x |`,
  ),
];
writeSection(
  '## CSV readers on one Bulk page',
  `## CSV readers on one Bulk page

Run with \`pnpm bench\` (\`src/csv-candidates.mjs\`) on ${new Date().toISOString()}: ${ROWS.toLocaleString('en-US')} rows (${(bytes.length / 2 ** 20).toFixed(1)} MiB) of the Bulk query's columns, a quoted cell in every tenth row, parsed in one process with no network; each reader builds one object per row. Medians of ${RUNS} after 2 warm-ups.

${table.join('\n')}
`,
);
console.log(table.join('\n'));
