// jsforce 3.10.16 recovering after `emu.faults.expireAllTokens()`, one API family at a time: it
// must see Salesforce's "session expired" answer of each API and log in again by itself.
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { describe, expect, it } from 'vitest';
import { type Connection, oauthLogin, until, useEmulator } from './jsforce-setup.js';

/** The connection's access token changes once jsforce has renewed the session. */
function watchRefresh(conn: Connection): { count: number } {
  const seen = { count: 0 };
  conn.on('refresh', () => {
    seen.count += 1;
  });
  return seen;
}

describe('jsforce: recovery after every token expires', () => {
  const emu = useEmulator({ streaming: { timeoutSeconds: 1 } });

  it('REST: the next call renews the session (401 INVALID_SESSION_ID) and succeeds', async () => {
    const conn = await oauthLogin(emu());
    const refreshed = watchRefresh(conn);
    const before = conn.accessToken;
    emu().faults.expireAllTokens();
    const result = await conn.query<{ Id: string }>('SELECT Id FROM User');
    expect(result.totalSize).toBeGreaterThan(0);
    expect(refreshed.count).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('Bulk API 1.0: a load renews the session (400 InvalidSessionId) and completes', async () => {
    const conn = await oauthLogin(emu());
    conn.bulk.pollInterval = 20;
    const refreshed = watchRefresh(conn);
    emu().faults.expireAllTokens();
    const results = await conn.bulk.load('Account', 'insert', [{ Name: 'After Expiry 1.0' }]);
    expect(results).toEqual([expect.objectContaining({ success: true })]);
    expect(refreshed.count).toBe(1);
  });

  it('Bulk API 2.0: a load renews the session (401 INVALID_SESSION_ID) and completes', async () => {
    const conn = await oauthLogin(emu());
    conn.bulk2.pollInterval = 20;
    const refreshed = watchRefresh(conn);
    emu().faults.expireAllTokens();
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'After Expiry 2.0' }],
    });
    expect(results.successfulResults).toEqual([expect.objectContaining({ sf__Created: 'true' })]);
    expect(refreshed.count).toBe(1);
  });

  it('Streaming: the AuthFailure extension reports the expired session; a new client after renewal receives events', async () => {
    const conn = await oauthLogin(emu());
    await conn.sobject('PushTopic').create({
      Name: 'Recovering',
      Query: 'SELECT Id, Name FROM Account',
      ApiVersion: 64.0,
    });
    const failures: Record<string, any>[] = [];
    const first = conn.streaming.createClient([
      new StreamingExtension.AuthFailure((message: Record<string, any>) => failures.push(message)),
    ]) as unknown as { subscribe: (c: string, l: () => void) => PromiseLike<unknown>; disconnect(): void };
    await first.subscribe('/topic/Recovering', () => {});
    emu().faults.expireAllTokens();
    await until(() => failures.length > 0);
    expect(failures[0]).toMatchObject({ advice: { reconnect: 'none' } });
    expect(String(failures[0]?.error ?? failures[0]?.ext?.sfdc?.failureReason)).toMatch(/401/);
    first.disconnect();

    // What a jsforce application does on that callback: renew and reconnect. A REST call renews
    // (the identity URL would not: Salesforce answers it 403 Bad_OAuth_Token, which jsforce
    // does not take for an expired session).
    const refreshed = watchRefresh(conn);
    await conn.limits();
    expect(refreshed.count).toBe(1);
    const second = conn.streaming.createClient([]) as unknown as {
      subscribe: (c: string, l: (m: Record<string, any>) => void) => PromiseLike<unknown>;
      disconnect(): void;
    };
    const messages: Record<string, any>[] = [];
    try {
      await second.subscribe('/topic/Recovering', (m) => messages.push(m));
      await conn.sobject('Account').create({ Name: 'Seen After Renewal' });
      await until(() => messages.length > 0);
      expect(messages[0]).toMatchObject({ sobject: { Name: 'Seen After Renewal' } });
    } finally {
      second.disconnect();
    }
  });
});
