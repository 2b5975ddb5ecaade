// The soak: events at a steady rate on two channels (platform events published over REST, and
// PushTopic notifications of Account inserts) while every fault kind fires at seeded random
// moments, including a SIGKILL of the subscriber process, restarted on the same file replay
// store. Every event must arrive; none twice except those the killed process had received after
// the replay id it last stored; in order per channel; and the stream caught up within 10 s of
// the end (which follows the last fault). Three fixed seeds; SOAK_SEED=n runs that seed only,
// SOAK_MS sets the publishing time (30 s by default). Each run prints its seed and figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '@sf/emulator';
import { platformEvent, publishEvent, topic } from '../src/index.js';
import { connect, emulator, until } from './helpers.js';

const SEEDS = process.env.SOAK_SEED ? [Number(process.env.SOAK_SEED)] : [1, 2, 3];
const PUBLISH_MS = Number(process.env.SOAK_MS ?? 30_000);
const RATE_PER_CHANNEL = 30; // events a second on each channel
const COMETD = { path: '/cometd/' };
const CHANNELS = [platformEvent('Tick__e'), topic('SoakAccounts')] as const;
const SUBSCRIBER = fileURLToPath(new URL('./child/subscriber.mjs', import.meta.url));
const REGISTER = new URL('./child/register.mjs', import.meta.url).href;

type FaultKind =
  | 'reset'
  | 'reset-mid-body'
  | '503 JSON'
  | '503 HTML'
  | '403::Unknown client'
  | 'long-poll cut while held'
  | 'long-poll cut mid-delivery'
  | 'token expiry'
  | 'latency spike'
  | 'kill -9';
const FAULTS: FaultKind[] = [
  'reset',
  'reset-mid-body',
  '503 JSON',
  '503 HTML',
  '403::Unknown client',
  'long-poll cut while held',
  'long-poll cut mid-delivery',
  'token expiry',
  'token expiry',
  'token expiry',
  'latency spike',
  'kill -9',
];

interface Delivery {
  c: string;
  n: number;
  r: number;
  proc: number;
  at: number;
}

/** mulberry32: a small seeded PRNG, so a failing seed can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function soak(seed: number): Promise<void> {
  const rand = random(seed);
  const emu: Emulator = await emulator({
    streaming: { platformEvents: [{ name: 'Tick__e', fields: ['N__c'] }] },
  });
  const dir = await mkdtemp(join(tmpdir(), 'sf-soak-'));
  const store = join(dir, 'replay.json');
  const children: ChildProcess[] = [];
  cleanup = async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  };
  emu.store.insert('PushTopic', {
    Name: 'SoakAccounts',
    Query: 'SELECT Id, Name FROM Account',
    ApiVersion: 64,
    NotifyForFields: 'Referenced',
  });

  // ---- the subscriber process ----
  const deliveries: Delivery[] = [];
  const notes: string[] = [];
  const token = emu.issueToken();
  const config = JSON.stringify({
    url: emu.url,
    refreshToken: token.refreshToken,
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    store,
    channels: CHANNELS,
  });
  let proc = 0;
  let stderr = '';
  let began = Date.now();
  const start = (): ChildProcess => {
    const index = ++proc;
    const child = spawn(process.execPath, ['--conditions=source', '--import', REGISTER, SUBSCRIBER], {
      env: { ...process.env, SOAK_CONFIG: config, SOAK_TS_CACHE: join(dir, 'ts-cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as Partial<Delivery> & { disconnect?: string; error?: string };
      if (message.c !== undefined) deliveries.push({ ...(message as Delivery), proc: index, at: Date.now() });
      else
        notes.push(
          `${Date.now() - began} ms proc ${index}: ${message.disconnect ? `disconnect (${message.disconnect})` : message.error}`,
        );
    });
    return child;
  };
  let child = start();

  // ---- publishing at a steady rate on both channels ----
  const publisher = connect(emu);
  const publishedAt: Record<string, number[]> = { [CHANNELS[0]]: [], [CHANNELS[1]]: [] };
  // Before anything is published, the subscriber has subscribed (with -2, so nothing is missed
  // anyway) and a first event on each channel has arrived: the soak measures recovery, not startup.
  await publishEvent(publisher, 'Tick__e', { N__c: 0 });
  publishedAt[CHANNELS[0]]?.push(Date.now());
  emu.store.insert('Account', { Name: 'soak-0' });
  publishedAt[CHANNELS[1]]?.push(Date.now());
  await until(() => deliveries.length >= 2, 30_000, `the subscriber's first events (${stderr})`);

  began = Date.now();
  const end = began + PUBLISH_MS;
  const interval = 1000 / RATE_PER_CHANNEL;
  const platformLoop = (async () => {
    for (let n = 1; Date.now() < end; n++) {
      const due = began + n * interval;
      if (due > Date.now()) await sleep(due - Date.now());
      await publishEvent(publisher, 'Tick__e', { N__c: n });
      publishedAt[CHANNELS[0]]?.push(Date.now());
    }
  })();
  const topicLoop = (async () => {
    for (let n = 1; Date.now() < end; n++) {
      const due = began + n * interval;
      if (due > Date.now()) await sleep(due - Date.now());
      emu.store.insert('Account', { Name: `soak-${n}` });
      publishedAt[CHANNELS[1]]?.push(Date.now());
    }
  })();

  // ---- faults at seeded moments, in a seeded order, the last one 4 s before the end ----
  const order = [...FAULTS].sort(() => rand() - 0.5);
  const window = PUBLISH_MS - 7_000;
  const slot = window / order.length;
  const fired: { kind: FaultKind; at: number; proc: number; stored?: Record<string, number> }[] = [];
  const faultLoop = (async () => {
    for (const [i, kind] of order.entries()) {
      const due = began + 3_000 + i * slot + rand() * slot * 0.6;
      if (due > Date.now()) await sleep(due - Date.now());
      const at = Date.now();
      notes.push(`${at - began} ms fault: ${kind}`);
      switch (kind) {
        case 'reset':
        case 'reset-mid-body':
          emu.faults.failNext(1, kind, COMETD);
          break;
        case '503 JSON':
          emu.faults.failNext(1, { status: 503 }, COMETD);
          break;
        case '503 HTML':
          emu.faults.failNext(1, 'html', COMETD);
          break;
        case '403::Unknown client':
          emu.streaming.dropAllClients();
          break;
        case 'long-poll cut while held':
          for (let tries = 0; tries < 50 && emu.streaming.cutLongPolls() === 0; tries++) await sleep(10);
          break;
        case 'long-poll cut mid-delivery':
          emu.streaming.cutNextDeliveries(1);
          break;
        case 'token expiry':
          emu.faults.expireAllTokens();
          break;
        case 'latency spike':
          emu.faults.latency(1_500, COMETD);
          setTimeout(() => emu.faults.latency(0), 2_000);
          break;
        case 'kill -9': {
          const killed = child;
          const exited = new Promise((r) => killed.once('exit', r));
          killed.kill('SIGKILL');
          await exited;
          const stored = JSON.parse(await readFile(store, 'utf8').catch(() => '{}')) as Record<
            string,
            number
          >;
          fired.push({ kind, at, proc, stored });
          child = start();
          continue;
        }
      }
      fired.push({ kind, at, proc });
    }
  })();
  await Promise.all([platformLoop, topicLoop, faultLoop]);
  const publishingEnded = Date.now();

  // ---- caught up within 10 s of the end ----
  const total = () => (publishedAt[CHANNELS[0]]?.length ?? 0) + (publishedAt[CHANNELS[1]]?.length ?? 0);
  const delivered = (c: string) => new Set(deliveries.filter((d) => d.c === c).map((d) => d.n));
  const caughtUp = () => CHANNELS.every((c) => delivered(c).size === publishedAt[c]?.length);
  let failure: unknown;
  try {
    await until(caughtUp, 10_000, 'every event after the last fault');
  } catch (error) {
    failure = error;
  }
  const caughtUpAfter = Date.now() - publishingEnded;

  // ---- figures ----
  const recoveries = fired.map((f) => {
    // The first event published after the fault, delivered (by the restarted process, after a kill).
    let first = Number.POSITIVE_INFINITY;
    for (const c of CHANNELS) {
      const n = publishedAt[c]?.findIndex((t) => t > f.at) ?? -1;
      if (n < 0) continue;
      const d = deliveries.find((x) => x.c === c && x.n === n && (f.kind !== 'kill -9' || x.proc > f.proc));
      if (d) first = Math.min(first, d.at - f.at);
    }
    return { kind: f.kind, ms: first };
  });
  const duplicates = deliveries.length - CHANNELS.reduce((n, c) => n + delivered(c).size, 0);
  console.log(
    [
      `[soak] seed ${seed}: published ${total()} (${CHANNELS.map((c) => `${c} ${publishedAt[c]?.length}`).join(', ')}),` +
        ` delivered ${CHANNELS.reduce((n, c) => n + delivered(c).size, 0)} distinct, ${duplicates} again after the restart,` +
        ` caught up ${caughtUpAfter} ms after publishing ended (${PUBLISH_MS} ms of publishing)`,
      `[soak] seed ${seed}: recovery after each fault (first later event delivered): ${recoveries
        .map((r) => `${r.kind} ${Number.isFinite(r.ms) ? `${r.ms} ms` : 'never'}`)
        .join(', ')}`,
      `[soak] seed ${seed}: max recovery ${Math.max(...recoveries.map((r) => r.ms))} ms; ${notes.length} notes`,
      ...(process.env.SOAK_VERBOSE ? notes : []),
    ].join('\n'),
  );
  if (failure) {
    console.log(`[soak] seed ${seed}: notes\n${notes.join('\n')}\nstderr:\n${stderr}`);
    throw failure;
  }

  // ---- every event, in order, duplicates only in the restart window ----
  for (const c of CHANNELS) {
    const count = publishedAt[c]?.length ?? 0;
    expect([...delivered(c)].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
    for (let p = 1; p <= proc; p++) {
      const mine = deliveries.filter((d) => d.c === c && d.proc === p);
      for (let i = 1; i < mine.length; i++) {
        const [before, after] = [mine[i - 1] as Delivery, mine[i] as Delivery];
        expect(after.r, `order on ${c} in process ${p}`).toBeGreaterThan(before.r);
        expect(after.n, `order on ${c} in process ${p}`).toBeGreaterThan(before.n);
      }
    }
    const kill = fired.find((f) => f.kind === 'kill -9');
    const seen = new Map<number, Delivery>();
    for (const d of deliveries.filter((x) => x.c === c)) {
      const earlier = seen.get(d.n);
      if (earlier) {
        // Only what the killed process received after the id it last stored comes again.
        expect(kill, `event ${d.n} on ${c} delivered twice`).toBeDefined();
        expect([earlier.proc, d.proc], `event ${d.n} on ${c} twice`).toEqual([
          kill?.proc,
          (kill?.proc ?? 0) + 1,
        ]);
        expect(earlier.r, `event ${d.n} on ${c} twice`).toBeGreaterThan(kill?.stored?.[c] ?? -1);
      }
      seen.set(d.n, d);
    }
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

describe('soak: every fault kind at seeded moments, a steady event rate', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => soak(seed), PUBLISH_MS + 90_000);
  }
});
