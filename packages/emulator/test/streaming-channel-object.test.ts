// StreamingChannel is a full object: created channels can be queried, retrieved and described,
// and a push answers Salesforce's array of push results (jsforce's Channel.push() needs all three).
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('StreamingChannel records', () => {
  const emu = useEmulator();

  it('a created channel is queryable, retrievable and described like any object', async () => {
    const created = await api(emu(), 'POST', 'sobjects/StreamingChannel', { body: { Name: '/u/Broadcast' } });
    expect(created.status).toBe(201);
    expect(created.body.id.startsWith('0M6')).toBe(true);
    const q = await api(
      emu(),
      'GET',
      `query?q=${encodeURIComponent("SELECT Id FROM StreamingChannel WHERE Name = '/u/Broadcast' LIMIT 1")}`,
    );
    expect(q.body.records.map((r: any) => r.Id)).toEqual([created.body.id]);
    const read = await api(emu(), 'GET', `sobjects/StreamingChannel/${created.body.id}`);
    expect(read.body).toMatchObject({ Name: '/u/Broadcast', attributes: { type: 'StreamingChannel' } });
    const d = await api(emu(), 'GET', 'sobjects/StreamingChannel/describe');
    expect(d.body.fields.map((f: any) => f.name)).toEqual(
      expect.arrayContaining(['Name', 'Description', 'IsDynamic']),
    );
  });

  it('a push answers one push result per event, in an array', async () => {
    const created = await api(emu(), 'POST', 'sobjects/StreamingChannel', { body: { Name: '/u/Pushed' } });
    const pushed = await api(emu(), 'POST', `sobjects/StreamingChannel/${created.body.id}/push`, {
      body: {
        pushEvents: [
          { payload: 'one', userIds: [] },
          { payload: 'two', userIds: [] },
        ],
      },
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toEqual([
      { fanoutCount: expect.any(Number), userOnlineStatus: {} },
      { fanoutCount: expect.any(Number), userOnlineStatus: {} },
    ]);
  });
});
