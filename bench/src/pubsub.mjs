// Pub/Sub benchmark (not wired into `pnpm bench`; run `node bench/src/pubsub.mjs` after
// `pnpm exec tsc -b`): how fast @sf/pubsub decodes events, and what memory a subscription holds
// at a sustained rate and behind a slow consumer. Prints its figures; writes nothing.
//   1. decode only: avsc with our exact-long type against avsc's own (safe values only), for a
//      platform event and an Account change event (with the bitmaps decoded to names);
//   2. end to end over gRPC against the emulator in a child process (so this process's memory is
//      the client's alone);
//   3. sustained: the child publishes at a fixed rate for a while, the client's RSS and heap sampled;
//   4. a slow consumer: the child keeps publishing, the client's buffer stays at batchSize.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import avro from '../../packages/pubsub/node_modules/avsc/lib/index.js';
import { createConnection } from '@sf/core';
import { compileSchema } from '../../packages/pubsub/dist/avro.js';
import { decodeChangeEventHeader } from '../../packages/pubsub/dist/bitmap.js';
import { PubSubClient, subscribe } from '../../packages/pubsub/dist/index.js';

const N = Number(process.env.PUBSUB_EVENTS ?? 50_000);
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');

// The server side, in a child: the emulator, and a publisher driven by line commands.
if (process.argv[2] === '--server') {
  const { startEmulator } = await import('@sf/emulator');
  const emu = await startEmulator({
    pubsub: { eventFields: { Order__e: { Seq__c: 'int', Amount__c: 'double', Big__c: 'long' } } },
    streaming: {
      retention: { maxEvents: N * 2 },
      platformEvents: [{ name: 'Order__e', fields: ['OrderNumber__c', 'Amount__c', 'Big__c', 'Seq__c'] }],
    },
    dailyApiRequestLimit: 10_000_000,
  });
  const publishOne = (j) =>
    emu.streaming.publish('/event/Order__e', (replayId) => ({
      payload: {
        OrderNumber__c: `ORD-${j}`,
        Amount__c: j * 1.5,
        Big__c: 2n ** 60n + BigInt(j),
        Seq__c: j,
        CreatedById: '005',
        CreatedDate: new Date().toISOString(),
      },
      event: { EventUuid: `uuid-${j}`, replayId },
    }));
  const { accessToken, id } = emu.issueToken();
  console.log(JSON.stringify({ instanceUrl: emu.instanceUrl, pubsubUrl: emu.pubsubUrl, accessToken, id }));
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, a, b] = line.split(' ');
    if (cmd === 'publish') for (let j = Number(a); j < Number(a) + Number(b); j++) publishOne(j);
    else if (cmd === 'rate') {
      // b events/s for a seconds, in 100 ms slices.
      const start = performance.now();
      for (let s = 0; s < Number(a) * 10; s++) {
        for (let j = 0; j < Number(b) / 10; j++) publishOne(s * (Number(b) / 10) + j);
        const wait = start + (s + 1) * 100 - performance.now();
        if (wait > 0) await sleep(wait);
      }
    } else if (cmd === 'clear') emu.streaming.buffer.clear('/event/Order__e');
    else if (cmd === 'change') {
      const rest = `${emu.instanceUrl}/services/data/v${emu.apiVersion}/sobjects/Account`;
      const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
      const created = await (
        await fetch(rest, {
          method: 'POST',
          headers,
          body: JSON.stringify({ Name: 'Acme', Industry: 'Energy' }),
        })
      ).json();
      await fetch(`${rest}/${created.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ BillingCity: 'Paris', Industry: 'Banking' }),
      });
    } else if (cmd === 'stats') {
      console.log(
        JSON.stringify({ maxPending: Math.max(0, ...emu.pubsub.streams.map((st) => st.maxPending)) }),
      );
      continue;
    }
    console.log('done');
  }
  await emu.close();
  process.exit(0);
}

const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--server'], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, PUBSUB_EVENTS: String(N) },
});
const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const reply = async () => (await replies.next()).value;
const command = async (line) => {
  child.stdin.write(`${line}\n`);
  return reply();
};
const server = JSON.parse(await reply());
const conn = createConnection({
  instanceUrl: server.instanceUrl,
  auth: { accessToken: server.accessToken, id: server.id },
});
const client = new PubSubClient(conn, { endpoint: server.pubsubUrl });

// --- 1. decode only ---------------------------------------------------------------------
{
  await command('publish 0 1');
  await command('change');
  const samples = {};
  for (const [topic, n] of [
    ['/event/Order__e', 1],
    ['/data/AccountChangeEvent', 2],
  ]) {
    const sub = subscribe(client, topic, { replay: -2, decodeBitmaps: false });
    let last;
    let seen = 0;
    for await (const e of sub) {
      last = e;
      if (++seen === n) break;
    }
    const codec = await client.schema(last.schemaId);
    samples[topic] = { codec, payload: codec.encode(last.payload) };
  }
  const order = samples['/event/Order__e'];
  const safeOrder = order.codec.encode({ ...order.codec.decode(order.payload), Big__c: 123 });
  const plain = avro.Type.forSchema(order.codec.schema, { omitRecordMethods: true });
  const ROUNDS = 200_000;
  const time = (fn) => {
    for (let i = 0; i < 2000; i++) fn();
    const t = performance.now();
    for (let i = 0; i < ROUNDS; i++) fn();
    return performance.now() - t;
  };
  const ours = time(() => order.codec.decode(order.payload));
  const oursSafe = time(() => order.codec.decode(safeOrder));
  const avscSafe = time(() => plain.fromBuffer(safeOrder));
  let avscBig = 'throws';
  try {
    plain.fromBuffer(order.payload);
    avscBig = 'ok';
  } catch (e) {
    avscBig = `throws "${e.message}"`;
  }
  const cdc = samples['/data/AccountChangeEvent'];
  const cdcMs = time(() => decodeChangeEventHeader(cdc.codec.schema, cdc.codec.decode(cdc.payload)));
  const bigint = compileSchema(JSON.stringify(order.codec.schema), 'bigint');
  const bigintMs = time(() => bigint.decode(order.payload));
  console.log('1. decode only (events/s, one core)');
  console.log(
    `   platform event, a long > 2^53:  ours ${rate(ROUNDS, ours)}/s; avsc's own long type ${avscBig}`,
  );
  console.log(
    `   platform event, safe longs:     ours ${rate(ROUNDS, oursSafe)}/s; avsc's own ${rate(ROUNDS, avscSafe)}/s`,
  );
  console.log(`   longs: 'bigint':                ${rate(ROUNDS, bigintMs)}/s`);
  console.log(
    `   Account change event + bitmaps: ${rate(ROUNDS, cdcMs)}/s (payload ${cdc.payload.length} bytes, ${cdc.codec.schema.fields.length} fields)`,
  );
}

// --- 2. end to end ---------------------------------------------------------------------
{
  await command('clear');
  await command(`publish 0 ${N}`);
  global.gc?.();
  const before = process.memoryUsage();
  const t = performance.now();
  let seen = 0;
  let maxBuffered = 0;
  const sub = subscribe(client, '/event/Order__e', { replay: -2, batchSize: 100 });
  for await (const e of sub) {
    if (e.payload.Seq__c !== seen) throw new Error(`out of order at ${seen}`);
    if (sub.buffered > maxBuffered) maxBuffered = sub.buffered;
    if (++seen === N) break;
  }
  const ms = performance.now() - t;
  const after = process.memoryUsage();
  console.log(
    `2. end to end over gRPC, ${N.toLocaleString('en-US')} retained events, batchSize 100 (emulator in a child process)`,
  );
  console.log(
    `   ${rate(N, ms)} events/s decoded and delivered; max buffered ${maxBuffered}; RSS ${mb(before.rss)} -> ${mb(after.rss)} MB`,
  );
}

// --- 3. sustained rate -------------------------------------------------------------------
{
  const RATE = Number(process.env.PUBSUB_RATE ?? 2_000);
  const SECONDS = Number(process.env.PUBSUB_SECONDS ?? 10);
  await command('clear');
  const sub = subscribe(client, '/event/Order__e', { replay: -1, batchSize: 100 });
  await sub.ready();
  let seen = 0;
  const consumer = (async () => {
    for await (const _ of sub) if (++seen === RATE * SECONDS) break;
  })();
  const rss = [];
  const heap = [];
  const start = performance.now();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rss.push(mb(m.rss));
    heap.push(mb(m.heapUsed));
  }, 1000);
  await command(`rate ${SECONDS} ${RATE}`);
  clearInterval(sampler);
  await consumer;
  const ms = performance.now() - start;
  console.log(
    `3. sustained: ${RATE.toLocaleString('en-US')} events/s published for ${SECONDS} s, consumer keeping up`,
  );
  console.log(
    `   delivered ${seen.toLocaleString('en-US')} in ${(ms / 1000).toFixed(1)} s; client RSS MB each second: ${rss.join(' ')}`,
  );
  console.log(`   heap used MB: ${heap.join(' ')}`);
}

// --- 4. slow consumer --------------------------------------------------------------------
{
  await command('clear');
  const sub = subscribe(client, '/event/Order__e', { replay: -1, batchSize: 50 });
  await sub.ready();
  let seen = 0;
  let maxBuffered = 0;
  let stats;
  child.stdin.write('rate 5 4000\n');
  for await (const _ of sub) {
    if (sub.buffered > maxBuffered) maxBuffered = sub.buffered;
    if (++seen % 50 === 0) await sleep(20);
    if (seen === 5_000) {
      // Asked while the stream is still open (the child answers once its publishing is done).
      await reply();
      stats = JSON.parse(await command('stats'));
      break;
    }
  }
  const m = process.memoryUsage();
  const { maxPending } = stats;
  console.log('4. slow consumer: 4,000 events/s published for 5 s, about 1,500/s taken, batchSize 50');
  console.log(
    `   client max buffered ${maxBuffered}; server's max pending ${maxPending}; client RSS ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB`,
  );
}

client.close();
child.stdin.end();
