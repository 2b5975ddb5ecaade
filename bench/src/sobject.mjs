// sObject benchmark: create, update and delete 10,000 records through the emulator (in this
// process), counting HTTP requests and time: @sf/sobject (sObject Collections, 200 a request)
// against jsforce (its Collections path, `allowRecursive`) and one request per record (what
// the seed libraries did). Writes its section of RESULTS.md.
import { writeSection } from './results-file.mjs';
import os from 'node:os';
import { createConnection } from '@sf/core';
import { startEmulator } from '@sf/emulator';
import { sobject } from '@sf/sobject';
import jsforce from 'jsforce';

const ROWS = Number(process.env.SOBJECT_ROWS ?? 10_000);
const emu = await startEmulator({ dailyApiRequestLimit: 10_000_000 });
const token = emu.issueToken().accessToken;
const version = emu.apiVersion;

async function pass(name, fn) {
  emu.resetRequests();
  const started = performance.now();
  const out = await fn();
  const ms = performance.now() - started;
  const requests = emu.requests.length;
  return { name, ms, requests, out };
}

function check(results, what) {
  const failed = results.filter((r) => !r.success).length;
  if (failed > 0) throw new Error(`${what}: ${failed} records failed`);
}

/** Runs `fn` over items with `limit` in flight. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

let size = ROWS;
const records = () => Array.from({ length: size }, (_, i) => ({ Name: `Bench ${i}`, Industry: 'Energy' }));

const cases = {
  async '@sf/sobject'() {
    const conn = createConnection({ instanceUrl: emu.url, auth: token, apiVersion: version });
    const Account = sobject(conn, 'Account');
    const c = await pass('create', async () => {
      const r = await Account.create(records());
      check(r, 'create');
      return r.map((x) => x.id);
    });
    const u = await pass('update', async () =>
      check(await Account.update(c.out.map((Id, i) => ({ Id, Name: `Bench ${i} b` }))), 'update'),
    );
    const d = await pass('delete', async () => check(await Account.destroy(c.out), 'delete'));
    return [c, u, d];
  },
  async jsforce() {
    const conn = new jsforce.Connection({ instanceUrl: emu.url, accessToken: token, version });
    const Account = conn.sobject('Account');
    const opts = { allowRecursive: true };
    const c = await pass('create', async () => {
      const r = await Account.create(records(), opts);
      check(r, 'create');
      return r.map((x) => x.id);
    });
    const u = await pass('update', async () =>
      check(
        await Account.update(
          c.out.map((Id, i) => ({ Id, Name: `Bench ${i} b` })),
          opts,
        ),
        'update',
      ),
    );
    const d = await pass('delete', async () => check(await Account.destroy(c.out, opts), 'delete'));
    return [c, u, d];
  },
  async 'one request per record (8 in flight)'() {
    const conn = createConnection({ instanceUrl: emu.url, auth: token, apiVersion: version });
    const c = await pass('create', () =>
      pool(records(), 8, async (r) => (await conn.post('sobjects/Account', r)).id),
    );
    const u = await pass('update', () =>
      pool(c.out, 8, (id) => conn.patch(`sobjects/Account/${id}`, { Name: 'per record b' })),
    );
    const d = await pass('delete', () => pool(c.out, 8, (id) => conn.delete(`sobjects/Account/${id}`)));
    return [c, u, d];
  },
};

// A warm-up round (not recorded) so no case pays for the JIT or the emulator's first requests.
size = 400;
for (const run of Object.values(cases)) await run();
size = ROWS;
const rows = [];
for (const [name, run] of Object.entries(cases)) {
  const passes = await run();
  for (const p of passes) {
    console.log(name, p.name, `${p.requests} requests`, `${Math.round(p.ms)} ms`);
    rows.push({ name, pass: p.name, requests: p.requests, ms: p.ms });
  }
}
await emu.close();

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const md = `## sObject benchmark

Run with \`pnpm --filter @sf/bench run bench:sobject\` on ${new Date().toISOString()}.

- Machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, linux ${os.release()}; Node ${process.version}
- ${fmt(ROWS)} Account records created, updated, then deleted, through the emulator on 127.0.0.1 in
  the same process (so times include the emulator's own work), after an unrecorded warm-up round.
  Requests counted by the emulator.
- Cases: \`@sf/sobject\` is \`sobject(conn, 'Account').create(records)\` (and \`update\`, \`destroy\`):
  sObject Collections, 200 records a request, one chunk at a time; \`jsforce\` 3.10.16 is
  \`conn.sobject('Account').create(records, { allowRecursive: true })\` (also Collections);
  the per-record case sends one REST request per record, as the seed libraries did.

| case | pass | HTTP requests | time (ms) |
|---|---|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.pass} | ${fmt(r.requests)} | ${fmt(r.ms)} |`).join('\n')}
`;
writeSection('## sObject benchmark', md);
console.log(md);
