import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bulkSettings, type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';
import { afterAll, beforeAll } from 'vitest';

/** The real binary, as a user runs it (it loads the build: `pnpm test` builds first). */
export const BIN = fileURLToPath(new URL('../bin/sfx.js', import.meta.url));
export const built = existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sfx args...` to completion with the given environment (on top of a clean one). */
export function sfx(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: cleanEnv(env), cwd, maxBuffer: 64 << 20, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `sfx args...` without waiting. */
export function spawnSfx(args: string[], env: Record<string, string> = {}, cwd?: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv(env),
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return { ...base, ...env };
}

/** A fresh config dir (the credentials file goes there). */
export function tempDir(prefix = 'sfx-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One emulator for the file's tests. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options);
    bulkSettings(emu.store).rowsPerTick = 500;
  });
  afterAll(async () => {
    await emu?.close();
  });
  return () => {
    if (!emu) throw new Error('emulator not started');
    return emu;
  };
}

/** Logs in to the emulator with the password flow into `configDir` as `alias`. */
export async function loginTo(emu: Emulator, configDir: string, alias = 'emu'): Promise<RunResult> {
  const c = emu.credentials;
  return sfx(
    [
      'login',
      '--alias',
      alias,
      '--login-url',
      emu.loginUrl,
      '--client-id',
      c.clientId,
      '--client-secret',
      c.clientSecret,
      '--username',
      c.username,
      '--password',
      c.password + c.securityToken,
    ],
    { SFX_CONFIG_DIR: configDir },
  );
}

/** The environment of a CI job: a token for the org, no config. */
export function tokenEnv(emu: Emulator, configDir = tempDir()): Record<string, string> {
  return {
    SF_INSTANCE_URL: emu.instanceUrl,
    SF_ACCESS_TOKEN: emu.issueToken().accessToken,
    SFX_CONFIG_DIR: configDir,
  };
}
