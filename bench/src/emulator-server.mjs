// The emulator in a process of its own, so its CPU never counts in a measured client's figure.
// Started with child_process.fork by the benchmarks; driven over IPC:
//   { type: 'seed', object, rows }         insert rows (Seed__c: Name, Code__c, Amount__c; Account)
//   { type: 'settings', settings }         bulkSettings(store) fields to change
//   { type: 'latency', ms }                delay every request by ms (emu.faults.latency)
//   { type: 'usage' }                      answers { cpuMs, rssMb, peakMb }
//   { type: 'close' }                      stops the emulator and exits
// On start it sends { type: 'ready', url, token }. Every answer carries the request's `id`.
import { bulkSettings, startEmulator } from '@sf/emulator';
import { peakMemory } from './peak-memory.mjs';

const fields = [
  { name: 'Code__c', type: 'string' },
  { name: 'Amount__c', type: 'double' },
];
// BENCH_EMULATOR_OPTIONS (JSON) adds emulator options, for experiments.
const emu = await startEmulator({
  ...JSON.parse(process.env.BENCH_EMULATOR_OPTIONS ?? '{}'),
  customObjects: [
    { name: 'Bench__c', fields },
    { name: 'Seed__c', fields },
  ],
});
const industries = ['Energy', 'Retail', 'Banking', 'Media'];

function seed(object, rows) {
  const seeded = emu.store.rows(object);
  let i = 0;
  for (const _ of seeded) i++;
  for (; i < rows; i++) {
    if (object === 'Account') {
      emu.store.insert('Account', {
        Name: `Account ${String(i).padStart(7, '0')}`,
        BillingCity: 'Paris',
        Industry: industries[i % industries.length],
      });
    } else {
      emu.store.insert(object, { Name: `Seed ${i}`, Code__c: `S${i}`, Amount__c: i % 1000 });
    }
  }
}

process.on('message', async (message) => {
  const answer = (body) => process.send({ id: message.id, ...body });
  try {
    switch (message.type) {
      case 'seed':
        seed(message.object, message.rows);
        return answer({ ok: true });
      case 'settings':
        Object.assign(bulkSettings(emu.store), message.settings);
        return answer({ ok: true });
      case 'latency':
        emu.faults.latency(message.ms);
        return answer({ ok: true });
      case 'usage': {
        const cpu = process.cpuUsage();
        return answer({
          cpuMs: (cpu.user + cpu.system) / 1000,
          rssMb: process.memoryUsage.rss() / 2 ** 20,
          ...peakMemory(),
        });
      }
      case 'close':
        closed = true;
        await emu.close();
        answer({ ok: true });
        process.disconnect();
        return;
      default:
        return answer({ error: `unknown message ${message.type}` });
    }
  } catch (error) {
    answer({ error: String(error?.stack ?? error) });
  }
});

// The benchmark that started this process has gone: go too.
let closed = false;
process.on('disconnect', () => {
  if (closed) return;
  closed = true;
  emu.close().finally(() => process.exit(0));
});

process.send({ type: 'ready', url: emu.url, token: emu.issueToken().accessToken });
