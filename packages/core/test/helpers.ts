import type { AuthStrategy, Credentials } from '@sf/core';
import { startEmulator } from '@sf/emulator';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ port: 0, ...options });
}

/**
 * A minimal renewing strategy over the emulator's token endpoint (refresh_token grant), so
 * core's renewal logic is tested without @sf/auth. Counts its renewals.
 */
export function refreshingStrategy(
  emu: Emulator,
  initial: Credentials & { refreshToken: string },
): AuthStrategy & { renewals: number } {
  const strategy = {
    renewals: 0,
    getCredentials: async () => initial,
    async refresh(ctx: Parameters<NonNullable<AuthStrategy['refresh']>>[0]) {
      strategy.renewals++;
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: initial.refreshToken,
        client_id: emu.credentials.clientId,
        client_secret: emu.credentials.clientSecret,
      }).toString();
      const res = await ctx.transport({
        method: 'POST',
        url: `${emu.url}/services/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      const json = await res.json<{ access_token: string; instance_url: string }>();
      return { accessToken: json.access_token, instanceUrl: json.instance_url };
    },
  };
  return strategy;
}

export function tokenRequests(emu: Emulator): number {
  return emu.requests.filter((r) => r.path.startsWith('/services/oauth2/token')).length;
}
