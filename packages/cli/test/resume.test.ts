import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bulkSettings } from '@sf/emulator';
import { describe, expect, it } from 'vitest';
import { built, sfx, spawnSfx, tempDir, tokenEnv, useEmulator } from './helpers.js';

/** Resolves with what the child wrote to stderr once it matches `pattern`. */
function waitFor(child: ReturnType<typeof spawnSfx>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve(text);
    });
    child.on('exit', () => reject(new Error(`exited before ${pattern}: ${text}`)));
  });
}

const exited = (child: ReturnType<typeof spawnSfx>) =>
  new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );

function csvFile(rows: number): { dir: string; input: string } {
  const dir = tempDir();
  const input = join(dir, 'big.csv');
  let text = 'Name\n';
  for (let i = 0; i < rows; i++) text += `Resume ${i}\n`;
  writeFileSync(input, text);
  return { dir, input };
}

describe.skipIf(!built)('resume and job commands', () => {
  const emu = useEmulator();

  it('resume after a killed process: the most recent job of the org is waited for and its result files written', async () => {
    const env = { ...tokenEnv(emu()), SFX_POLL_INTERVAL_MS: '20' };
    const { dir, input } = csvFile(50);
    bulkSettings(emu().store).paused = true; // the job stays UploadComplete while we kill the CLI
    const child = spawnSfx(['import', input, '--object', 'Account'], env);
    const seen = await waitFor(child, /progress: .*processing/);
    const jobId = /job (750\w+) created/.exec(seen)?.[1] as string;
    const killed = exited(child);
    child.kill('SIGKILL');
    await killed;
    expect(existsSync(join(dir, 'big-success.csv'))).toBe(false);

    const status = await sfx(['job', 'status', jobId, '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: jobId, state: 'UploadComplete' });
    bulkSettings(emu().store).paused = false;
    const resumed = await sfx(['resume', '--json'], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      jobs: [jobId],
      succeeded: 50,
      failed: 0,
      state: 'JobComplete',
    });
    expect(readFileSync(join(dir, 'big-success.csv'), 'utf8').trim().split('\n')).toHaveLength(51);
  });

  it('Ctrl-C leaves the job running, exits 130 and says how to resume; resume JOB_ID finishes it', async () => {
    const env = { ...tokenEnv(emu()), SFX_POLL_INTERVAL_MS: '20' };
    const { dir, input } = csvFile(20);
    bulkSettings(emu().store).paused = true;
    const child = spawnSfx(['import', input, '--object', 'Account'], env);
    const childExit = exited(child);
    const seen = await waitFor(child, /progress: .*processing/);
    const jobId = /job (750\w+) created/.exec(seen)?.[1] as string;
    const done = waitFor(child, /resume with: sfx resume 750\w+/);
    child.kill('SIGINT');
    const said = await done;
    expect(await childExit).toBe(130);
    expect(said).toContain(`Job ${jobId} keeps running on the server; resume with: sfx resume ${jobId}`);
    bulkSettings(emu().store).paused = false;
    const resumed = await sfx(['resume', jobId], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^Account insert: 20 succeeded, 0 failed, 0 unprocessed/);
    expect(existsSync(join(dir, 'big-success.csv'))).toBe(true);
  });

  it('job wait, results and abort', async () => {
    const env = { ...tokenEnv(emu()), SFX_POLL_INTERVAL_MS: '20' };
    const { input } = csvFile(5);
    const loaded = await sfx(['import', input, '--object', 'Account', '--json'], env);
    const [jobId] = (JSON.parse(loaded.stdout) as { jobs: string[] }).jobs;
    const out = tempDir();
    const results = await sfx(['job', 'results', jobId as string, '--results-dir', out, '--json'], env);
    expect(results.code).toBe(0);
    expect(JSON.parse(results.stdout)).toMatchObject({
      succeeded: 5,
      files: { success: 5, failed: 0, unprocessed: 0 },
    });
    expect(existsSync(join(out, 'big-success.csv'))).toBe(true);
    const waited = await sfx(['job', 'wait', jobId as string], env);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toMatch(/5 succeeded/);

    bulkSettings(emu().store).paused = true;
    const { input: other } = csvFile(5);
    const child = spawnSfx(['import', other, '--object', 'Account'], env);
    const childExit = exited(child);
    const seen = await waitFor(child, /progress: .*processing/);
    const pending = /job (750\w+) created/.exec(seen)?.[1] as string;
    const early = await sfx(['job', 'results', pending], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^error INVALID_STATE: .*sfx job wait/);
    const aborted = await sfx(['job', 'abort', pending, '--json'], env);
    expect(JSON.parse(aborted.stdout)).toMatchObject({ id: pending, state: 'Aborted' });
    bulkSettings(emu().store).paused = false;
    expect(await childExit).toBe(3); // the load ends Aborted: its rows are unprocessed
    const unknown = await sfx(['job', 'status', '750000000000000AAA'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error NOT_FOUND: /);
  });
});
