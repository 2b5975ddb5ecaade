// The conformance suite's shared setup: jsforce 3.10.16 (a client nobody here wrote, run against
// real orgs for a decade) pointed at an emulator on port 0. Nothing on this side comes from our
// own client packages, so a misreading of Salesforce shared by our client and our emulator shows.

// From lib/: the package entry also declares its own 'faye' types, which would clash with the
// emulator's in one type-checked program.
import jsforce from 'jsforce/lib/index.js';
import { afterAll, beforeAll } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/index.js';

export const VERSION = '64.0';

export type Connection = InstanceType<typeof jsforce.Connection>;

/** Starts one emulator for the file and closes it afterwards. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, ...options });
  });
  afterAll(async () => {
    await emu?.close();
  });
  return () => {
    if (!emu) throw new Error('emulator not started');
    return emu;
  };
}

/** A jsforce connection logged in through the OAuth2 username-password flow. */
export async function oauthLogin(emu: Emulator): Promise<Connection> {
  const { username, password, securityToken, clientId, clientSecret } = emu.credentials;
  const conn = new jsforce.Connection({
    loginUrl: emu.loginUrl,
    version: VERSION,
    oauth2: { loginUrl: emu.loginUrl, clientId, clientSecret, redirectUri: `${emu.url}/callback` },
  });
  await conn.login(username, password + securityToken);
  return conn;
}

/** A jsforce connection logged in through SOAP login() (no connected app). */
export async function soapLogin(emu: Emulator): Promise<Connection> {
  const { username, password, securityToken } = emu.credentials;
  const conn = new jsforce.Connection({ loginUrl: emu.loginUrl, version: VERSION });
  await conn.login(username, password + securityToken);
  return conn;
}

/** Collects a jsforce record stream (Bulk query results) through its documented `record` events. */
export function collect(stream: NodeJS.EventEmitter): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const out: Record<string, unknown>[] = [];
    stream.on('record', (r: Record<string, unknown>) => out.push(r));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

/** Resolves when `predicate` holds, polling every 20 ms (no timed assertion: the test timeout bounds it). */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 20));
}

export { jsforce };
