import { AuthSession, type AuthStrategy, type Credentials, createConnection, type Transport } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator, tokenRequests } from './helpers.js';

/**
 * A strategy whose tokens live `lifetimeMs`, as the login server's clock tells it: that clock
 * is `skewMs` behind ours. Counts its renewals. `same` makes renewals hand back the same token
 * (Salesforce may return the session it already has).
 */
function shortLived(
  now: () => number,
  options: { lifetimeMs: number; skewMs?: number; same?: boolean },
): AuthStrategy & { renewals: number } {
  let n = 0;
  const issue = (): Credentials => {
    const issuedAt = now() - (options.skewMs ?? 0);
    return { accessToken: `token-${n++}`, issuedAt, expiresAt: issuedAt + options.lifetimeMs };
  };
  let last = issue();
  const strategy = {
    renewals: 0,
    getCredentials: async () => last,
    async refresh() {
      strategy.renewals++;
      if (!options.same) last = issue();
      return last;
    },
  };
  return strategy;
}

const noTransport: Transport = async () => {
  throw new Error('not used');
};

function session(strategy: AuthStrategy, clock: { t: number }): AuthSession {
  return new AuthSession(
    strategy,
    () => ({ transport: noTransport }),
    () => {},
    { now: () => clock.t },
  );
}

describe('renewal before expiry, on a fake clock', () => {
  it('a 20 s session renews once in its last 10 s (margin = lifetime / 2), not on every call', async () => {
    const clock = { t: 1_000_000 };
    const strategy = shortLived(() => clock.t, { lifetimeMs: 20_000 });
    const s = session(strategy, clock);
    const first = await s.credentials();
    for (let i = 0; i < 10; i++) {
      clock.t += 500; // 5 s in: the token is fresh
      await s.credentials();
    }
    expect(strategy.renewals).toBe(0);
    clock.t = 1_000_000 + 10_500; // inside the last 10 s
    const renewed = await s.credentials();
    expect(renewed.accessToken).not.toBe(first.accessToken);
    for (let i = 0; i < 20; i++) {
      clock.t += 400; // 8 s more: the new token (issued at 10.5 s) is fresh until 20.5 s
      await s.credentials();
    }
    expect(strategy.renewals).toBe(1);
    clock.t = 1_000_000 + 21_000; // the new token's last 10 s
    await s.credentials();
    expect(strategy.renewals).toBe(2);
  });

  it('keeps a 60 s margin for long sessions', async () => {
    const clock = { t: 5_000_000 };
    const strategy = shortLived(() => clock.t, { lifetimeMs: 2 * 3600_000 });
    const s = session(strategy, clock);
    await s.credentials();
    clock.t += 2 * 3600_000 - 61_000;
    await s.credentials();
    expect(strategy.renewals).toBe(0);
    clock.t += 2_000; // 59 s before the end
    await s.credentials();
    expect(strategy.renewals).toBe(1);
  });

  it('under clock skew (every new token looks expired here), renews no more often than without it', async () => {
    const renewalsOver60s = async (skewMs: number) => {
      const clock = { t: 9_000_000 };
      const strategy = shortLived(() => clock.t, { lifetimeMs: 20_000, skewMs });
      const s = session(strategy, clock);
      for (let i = 0; i < 150; i++) {
        await s.credentials();
        clock.t += 400; // a call every 400 ms for a minute
      }
      return strategy.renewals;
    };
    const straight = await renewalsOver60s(0);
    const skewed = await renewalsOver60s(5 * 60_000);
    // One renewal per lifetime − margin (10 s), not one per call...
    expect(straight).toBeLessThanOrEqual(6);
    // ...and under skew the same, plus at most the first token, which looks expired on arrival.
    expect(skewed).toBeLessThanOrEqual(straight + 1);
  });

  it('never renews twice within one lifetime when the strategy hands back the same token', async () => {
    const clock = { t: 2_000_000 };
    const strategy = shortLived(() => clock.t, { lifetimeMs: 20_000, same: true });
    const s = session(strategy, clock);
    await s.credentials();
    clock.t += 15_000; // in the margin
    for (let i = 0; i < 10; i++) {
      await s.credentials();
      clock.t += 300;
    }
    expect(strategy.renewals).toBe(1);
  });

  it('credentials from a store already inside their margin are renewed before the first use', async () => {
    const clock = { t: 4_000_000 };
    const strategy = shortLived(() => clock.t, { lifetimeMs: 60_000, skewMs: 50_000 }); // 50 s into 60 s
    const s = session(strategy, clock);
    const [a, b] = await Promise.all([s.credentials(), s.credentials()]);
    expect(strategy.renewals).toBe(1);
    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe('token-0');
  });

  it('a refused token is still renewed at once, whatever the margin says', async () => {
    const clock = { t: 3_000_000 };
    const strategy = shortLived(() => clock.t, { lifetimeMs: 20_000, skewMs: 5 * 60_000 });
    const s = session(strategy, clock);
    await s.credentials();
    const current = await s.credentials(); // may renew ahead of the (skewed) expiry, once
    const before = strategy.renewals;
    await s.renew(current); // the server refused it: renew now, the margin is no reason to wait
    expect(strategy.renewals).toBe(before + 1);
    await s.renew(await s.credentials());
    expect(strategy.renewals).toBe(before + 2);
  });
});

describe('renewal before expiry, over HTTP against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator({ tokenLifetimeSeconds: 20 });
  });
  afterAll(() => emu.close());

  /** Logs in by refresh token at the emulator; its tokens live 20 s (by the emulator's `issued_at`). */
  function emulatorStrategy(skewMs = 0): AuthStrategy & { renewals: number } {
    const issued = emu.issueToken();
    const toCredentials = (json: { access_token: string; instance_url: string; issued_at: string }) => {
      const issuedAt = Number(json.issued_at) - skewMs;
      return {
        accessToken: json.access_token,
        instanceUrl: json.instance_url,
        issuedAt,
        expiresAt: issuedAt + 20_000,
      };
    };
    const strategy = {
      renewals: 0,
      getCredentials: async () =>
        toCredentials({
          access_token: issued.accessToken,
          instance_url: issued.instanceUrl,
          issued_at: issued.issuedAt,
        }),
      async refresh(ctx: Parameters<NonNullable<AuthStrategy['refresh']>>[0]) {
        strategy.renewals++;
        const res = await ctx.transport({
          method: 'POST',
          url: `${emu.url}/services/oauth2/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: issued.refreshToken,
            client_id: emu.credentials.clientId,
            client_secret: emu.credentials.clientSecret,
          }).toString(),
        });
        return toCredentials(await res.json());
      },
    };
    return strategy;
  }

  it('20 requests in a row on a 20 s session cause no renewal (it is fresh for 10 s)', async () => {
    const strategy = emulatorStrategy();
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    emu.resetRequests();
    for (let i = 0; i < 20; i++) await conn.fetchLimits();
    expect(strategy.renewals).toBeLessThanOrEqual(1);
    expect(tokenRequests(emu)).toBe(strategy.renewals);
  });

  it('with the login server’s clock 10 minutes behind, 20 requests cause at most one renewal', async () => {
    const strategy = emulatorStrategy(10 * 60_000);
    const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
    emu.resetRequests();
    for (let i = 0; i < 20; i++) await conn.fetchLimits();
    expect(strategy.renewals).toBeLessThanOrEqual(1);
    expect(tokenRequests(emu)).toBeLessThanOrEqual(1);
  });
});
