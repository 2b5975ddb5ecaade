import { afterEach } from 'vitest';
import { type AuthStrategy, type Connection, createConnection, type Credentials } from '@sf/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@sf/emulator';

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, ...options });
}

/**
 * For a file whose tests each start their own emulator: call once at the top of the file; the
 * starter it gives works as `emulator()`, and what it started is closed after each test.
 */
export function emulatorPerTest(): (options?: EmulatorOptions) => Promise<Emulator> {
  const open: Emulator[] = [];
  afterEach(async () => {
    for (const emu of open.splice(0)) await emu.close();
  });
  return async (options) => {
    const emu = await emulator(options);
    open.push(emu);
    return emu;
  };
}

/** Reconnect backoff short enough for tests. */
export const fast = { backoff: { initialMs: 20, maxMs: 200 } };

/** A renewing strategy over the emulator's refresh_token grant (no @sf/auth needed). */
export function refreshingStrategy(emu: Emulator): AuthStrategy & { renewals: number } {
  const initial = emu.issueToken();
  let current: Credentials = { accessToken: initial.accessToken, instanceUrl: emu.url };
  const strategy = {
    renewals: 0,
    getCredentials: async () => current,
    async refresh(ctx: Parameters<NonNullable<AuthStrategy['refresh']>>[0]) {
      strategy.renewals++;
      const res = await ctx.transport({
        method: 'POST',
        url: `${emu.url}/services/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: initial.refreshToken,
          client_id: emu.credentials.clientId,
          client_secret: emu.credentials.clientSecret,
        }).toString(),
      });
      const json = await res.json<{ access_token: string }>();
      current = { accessToken: json.access_token, instanceUrl: emu.url };
      return current;
    },
  };
  return strategy;
}

export function connect(emu: Emulator, auth?: AuthStrategy): Connection {
  return createConnection({ instanceUrl: emu.url, auth: auth ?? refreshingStrategy(emu) });
}

/** Waits until `check` is true, polling; fails after `timeoutMs` (no timing assertions). */
export async function until(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
