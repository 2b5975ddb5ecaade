// Starts bench/src/emulator-server.mjs in its own process and talks to it over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverFile = fileURLToPath(new URL('./emulator-server.mjs', import.meta.url));

/**
 * `{ url, token, seed(object, rows), settings(obj), latency(ms), usage(), close() }`:
 * `usage()` answers the emulator process's `{ cpuMs, rssMb, peakMb }` so far.
 */
export async function startEmulatorProcess() {
  const child = fork(serverFile, [], {
    execArgv: process.env.BENCH_EMULATOR_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_EMULATOR_PROF}`]
      : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
    child.on('message', (message) => {
      if (message.type === 'ready') return resolve(message);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message);
    });
  });
  const { url, token } = await ready;
  const send = (body) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ id, ...body });
    });
  return {
    url,
    token,
    seed: (object, rows) => send({ type: 'seed', object, rows }),
    settings: (settings) => send({ type: 'settings', settings }),
    latency: (ms) => send({ type: 'latency', ms }),
    usage: () => send({ type: 'usage' }),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await send({ type: 'close' }).catch(() => {});
      await exited;
    },
  };
}
