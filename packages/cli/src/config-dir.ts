// Where the CLI keeps its files: SFX_CONFIG_DIR, else $XDG_CONFIG_HOME/sfx, else ~/.config/sfx.
// The directory is 0700 and every file in it 0600: it holds tokens.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cliError } from './errors.js';

/** The CLI's configuration directory. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFX_CONFIG_DIR) return env.SFX_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'sfx');
  return join(homedir(), '.config', 'sfx');
}

/** Reads a JSON file of the config dir, or `fallback` when it does not exist. */
export async function readJsonFile<T>(name: string, fallback: T): Promise<T> {
  const path = join(configDir(), name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw cliError('STORE_FAILED', `cannot read ${path}: ${(error as Error).message}`, error);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw cliError('STORE_FAILED', `${path} is not valid JSON; fix or remove it`, error);
  }
}

/**
 * Writes a JSON file of the config dir readable only by the user: written to a 0600 temporary
 * file, then renamed over the old one, so a crash never leaves half a file or a wider mode.
 */
export async function writeJsonFile(name: string, value: unknown): Promise<string> {
  const dir = configDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}
