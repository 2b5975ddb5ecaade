// GET /sobjects/{Obj}/deleted: earliestDateAvailable is documented as the time of the last
// physically deleted record (deletes before it cannot be replicated), not the first soft delete.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('deleted: earliestDateAvailable', () => {
  const emu = useEmulator();

  it('stays at the org start while nothing is physically deleted, whatever is soft-deleted later', async () => {
    const org = await api(
      emu(),
      'GET',
      `query?q=${encodeURIComponent('SELECT CreatedDate FROM Organization')}`,
    );
    const orgStart = org.body.records[0].CreatedDate;
    await new Promise((r) => setTimeout(r, 5));
    const created = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'Soft deleted' } });
    await api(emu(), 'DELETE', `sobjects/Account/${created.body.id}`);
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const res = await api(emu(), 'GET', `sobjects/Account/deleted/?start=${start}&end=${end}`);
    expect(res.status).toBe(200);
    expect(res.body.deletedRecords).toEqual([{ id: created.body.id, deletedDate: expect.any(String) }]);
    expect(res.body.earliestDateAvailable).toBe(orgStart);
    expect(res.body.earliestDateAvailable).not.toBe(res.body.deletedRecords[0].deletedDate);
  });
});
