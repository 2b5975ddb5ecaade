// The progress display as a person sees it: the real binary in a real terminal (tmux), the
// screen read back with capture-pane.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bulkSettings } from '@sf/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, built, tempDir, tokenEnv, useEmulator } from './helpers.js';

let hasTmux = true;
try {
  execFileSync('tmux', ['-V']);
} catch {
  hasTmux = false;
}
const socket = `sfx-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

describe.skipIf(!built || !hasTmux)('progress in a terminal', () => {
  const emu = useEmulator();
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('a bar that moves, counts and a rate, redrawn in place; the final counts stay on screen', {
    timeout: 60_000,
  }, async () => {
    Object.assign(bulkSettings(emu().store), { rowsPerTick: 10, tickMs: 20 });
    const dir = tempDir();
    const input = join(dir, 'tty.csv');
    let text = 'Name\n';
    for (let i = 0; i < 2000; i++) text += `Tty ${i}\n`;
    writeFileSync(input, text);
    const env = { ...tokenEnv(emu()), SFX_POLL_INTERVAL_MS: '50' };
    tmux('new-session', '-d', '-x', '120', '-y', '30', '-s', 'p', 'bash', '--norc', '--noprofile');
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    tmux(
      'send-keys',
      '-t',
      'p',
      `clear; env ${vars} ${process.execPath} ${BIN} import ${input} --object Account; echo EXIT=$?`,
      'Enter',
    );
    const percents = new Set<number>();
    let screen = '';
    for (let i = 0; i < 400 && !/EXIT=\d+/.test(screen); i++) {
      await sleep(50);
      screen = tmux('capture-pane', '-p', '-t', 'p');
      for (const match of screen.matchAll(/\[([█░]{30})\]\s+(\d+)%\s+processing/g))
        percents.add(Number(match[2]));
    }
    // The bar moved: several positions seen while processing, some strictly between 0 and 100.
    expect(percents.size).toBeGreaterThanOrEqual(2);
    expect([...percents].some((p) => p > 0 && p < 100)).toBe(true);
    expect(screen).toMatch(/EXIT=0/);
    // Final line: a full bar, the counts a person checks, a rate.
    expect(screen).toMatch(
      /\[█{30}\] 100%\s+done\s+uploaded 2,000\s+processed 2,000\s+succeeded 2,000\s+failed 0\s+[\d,]+\/s/,
    );
    expect(screen).toMatch(/Account insert: 2000 succeeded, 0 failed, 0 unprocessed of 2000 uploaded/);
    // Redrawn in place: one processing line on the screen, not one per update.
    expect(screen.split('\n').filter((l) => /processing|done/.test(l) && l.includes('%'))).toHaveLength(1);
  });
});
