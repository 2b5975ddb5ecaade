// The emulator's CometD endpoint over raw Bayeux messages (no client package on this side).
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { ReplayBuffer } from '../src/streaming/replay-buffer.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

type Msg = Record<string, any>;
async function bayeux(e: Emulator, token: string | undefined, messages: Msg[]): Promise<Msg[]> {
  const res = await fetch(`${e.url}/cometd/64.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(messages),
  });
  return (await res.json()) as Msg[];
}
const handshake = { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] };

async function session(e: Emulator, channel: string, replay?: number) {
  const { accessToken } = e.issueToken();
  const [hs] = await bayeux(e, accessToken, [handshake]);
  const clientId = hs?.clientId as string;
  const [sub] = await bayeux(e, accessToken, [
    {
      channel: '/meta/subscribe',
      clientId,
      subscription: channel,
      ...(replay === undefined ? {} : { ext: { replay: { [channel]: replay } } }),
    },
  ]);
  const poll = async () =>
    (
      await bayeux(e, accessToken, [{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }])
    ).filter((m) => m.channel === channel);
  return { accessToken, clientId, hs, sub, poll };
}

describe('bayeux endpoint', () => {
  it('handshakes with a valid token; denies a missing one as Salesforce does', async () => {
    emu = await startEmulator({ port: 0 });
    const { hs } = await session(emu, '/u/x');
    expect(hs).toMatchObject({
      successful: true,
      supportedConnectionTypes: ['long-polling'],
      ext: { replay: true },
    });
    const [denied] = await bayeux(emu, undefined, [handshake]);
    expect(denied).toMatchObject({
      successful: false,
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      advice: { reconnect: 'none' },
    });
  });

  it('answers dropped clients with 403::Unknown client and reconnect advice, and expired tokens with 401', async () => {
    emu = await startEmulator({ port: 0, streaming: { timeoutSeconds: 1 } });
    const { accessToken, clientId } = await session(emu, '/u/x');
    emu.streaming.dropAllClients();
    const [unknown] = await bayeux(emu, accessToken, [
      { channel: '/meta/connect', clientId, connectionType: 'long-polling' },
    ]);
    expect(unknown).toMatchObject({
      successful: false,
      error: '403::Unknown client',
      advice: { reconnect: 'handshake' },
    });
    const live = await session(emu, '/u/x');
    emu.faults.expireAllTokens();
    const [expired] = await bayeux(emu, live.accessToken, [
      { channel: '/meta/connect', clientId: live.clientId, connectionType: 'long-polling' },
    ]);
    expect(expired).toMatchObject({ successful: false, error: '401::Authentication invalid' });
  });

  it('PushTopics honour NotifyForOperation flags and NotifyForFields, with replay ids', async () => {
    emu = await startEmulator({ port: 0, streaming: { timeoutSeconds: 1 } });
    emu.store.insert('PushTopic', {
      Name: 'BigDeals',
      Query: "SELECT Id, Name, Amount FROM Opportunity WHERE StageName = 'Closed Won'",
      ApiVersion: 64,
      NotifyForFields: 'Where',
      NotifyForOperationDelete: false,
    });
    const { poll } = await session(emu, '/topic/BigDeals');
    const s = emu.store;
    const won = s.insert('Opportunity', {
      Name: 'A',
      StageName: 'Closed Won',
      CloseDate: '2025-01-01',
      Amount: 5,
    });
    s.insert('Opportunity', { Name: 'B', StageName: 'Prospecting', CloseDate: '2025-01-01' });
    s.update('Opportunity', won, { Amount: 10 }); // not a WHERE field: no message
    s.update('Opportunity', won, { StageName: 'Closed Won' }); // a WHERE field: message
    s.delete('Opportunity', won); // deletes switched off
    const messages = await poll();
    expect(messages.map((m) => [m.data.event.type, m.data.event.replayId, m.data.sobject.Name])).toEqual([
      ['created', 1, 'A'],
      ['updated', 2, 'A'],
    ]);
    expect(messages[0]?.data.sobject).toEqual({ Id: won, Name: 'A', Amount: 5 });
  });

  it('replays retained events after an id, and rejects an id that is no longer retained', async () => {
    emu = await startEmulator({
      port: 0,
      streaming: { timeoutSeconds: 1, retention: { maxEvents: 2 }, platformEvents: [{ name: 'Tick__e' }] },
    });
    for (let n = 0; n < 4; n++)
      emu.streaming.publish('/event/Tick__e', (replayId) => ({ payload: { n }, event: { replayId } }));
    const ok = await session(emu, '/event/Tick__e', 2);
    expect(ok.sub?.successful).toBe(true);
    expect((await ok.poll()).map((m) => m.data.event.replayId)).toEqual([3, 4]);
    const gone = await session(emu, '/event/Tick__e', 1);
    expect(gone.sub).toMatchObject({ successful: false });
    expect(gone.sub?.error).toMatch(/^400::The replayId \{1\} you provided was invalid/);
  });

  it("answers a client's first long-poll at once, as Salesforce does, and holds the next ones", async () => {
    emu = await startEmulator({
      port: 0,
      streaming: { timeoutSeconds: 30, platformEvents: [{ name: 'Tick__e' }] },
    });
    const { accessToken, clientId } = await session(emu, '/event/Tick__e');
    const connect = { channel: '/meta/connect', clientId, connectionType: 'long-polling' };
    // Would wait the 30 s hold (beyond the test's timeout) if it were held.
    const [first] = await bayeux(emu, accessToken, [connect]);
    expect(first).toMatchObject({ successful: true, advice: { reconnect: 'retry', timeout: 30_000 } });
    const held = bayeux(emu, accessToken, [connect]);
    emu.streaming.publish('/event/Tick__e', (replayId) => ({ payload: { n: 1 }, event: { replayId } }));
    expect((await held).filter((m) => m.channel === '/event/Tick__e')).toHaveLength(1);
  });

  it('cuts the long-polls it holds right now: the held request fails at the socket', async () => {
    emu = await startEmulator({
      port: 0,
      streaming: { timeoutSeconds: 30, platformEvents: [{ name: 'Tick__e' }] },
    });
    const { poll } = await session(emu, '/event/Tick__e');
    await poll(); // the first long-poll, answered at once
    const held = poll();
    held.catch(() => {});
    await new Promise((r) => setTimeout(r, 200)); // the server is holding it now
    expect(emu.streaming.cutLongPolls()).toBe(1);
    await expect(held).rejects.toThrow();
    expect(emu.streaming.cutLongPolls()).toBe(0);
  });

  it('cuts a delivery mid-body: those events are off the queue, and a replay brings them back', async () => {
    emu = await startEmulator({
      port: 0,
      streaming: { timeoutSeconds: 1, platformEvents: [{ name: 'Tick__e' }] },
    });
    const { poll } = await session(emu, '/event/Tick__e', -1);
    await poll();
    emu.streaming.cutNextDeliveries(1);
    const cut = poll();
    cut.catch(() => {});
    emu.streaming.publish('/event/Tick__e', (replayId) => ({ payload: { n: 1 }, event: { replayId } }));
    await expect(cut).rejects.toThrow();
    expect(await poll()).toEqual([]); // the same client id: the event is gone
    const again = await session(emu, '/event/Tick__e', -2);
    expect((await again.poll()).map((m) => m.data.payload.n)).toEqual([1]);
  });

  it('refuses channels that do not exist', async () => {
    emu = await startEmulator({ port: 0 });
    const { sub } = await session(emu, '/topic/Nope');
    expect(sub).toMatchObject({ successful: false });
    expect(sub?.error).toContain('/topic/Nope');
  });
});

describe('ReplayBuffer', () => {
  it('keeps the newest events within count and age', () => {
    const buffer = new ReplayBuffer({ maxEvents: 3 });
    for (let i = 0; i < 5; i++) buffer.append('/u/a', (replayId) => ({ replayId }));
    expect(buffer.since('/u/a', -2)).toEqual({ ok: true, events: expect.any(Array) });
    const all = buffer.since('/u/a', -2);
    expect(all.ok && all.events.map((e) => e.replayId)).toEqual([3, 4, 5]);
    expect(buffer.since('/u/a', 2).ok).toBe(true);
    expect(buffer.since('/u/a', 1).ok).toBe(false);
    expect(buffer.since('/u/a', 9).ok).toBe(false);
    expect(buffer.since('/u/a', -1)).toEqual({ ok: true, events: [] });
    const aged = new ReplayBuffer({ maxAgeMs: -1 });
    aged.append('/u/b', () => ({}));
    const none = aged.since('/u/b', -2);
    expect(none.ok && none.events).toEqual([]);
  });
});
