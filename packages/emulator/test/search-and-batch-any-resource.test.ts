// SOSL without RETURNING searches every searchable object; composite batch runs any REST
// resource (limits, describe, search...), each subrequest counted as an API call.
import { describe, expect, it } from 'vitest';
import { api, useEmulator } from './helpers.js';

describe('SOSL without RETURNING', () => {
  const emu = useEmulator();

  it('returns the id and type of matches in every searchable object', async () => {
    const account = await api(emu(), 'POST', 'sobjects/Account', { body: { Name: 'Zanzibar Traders' } });
    const contact = await api(emu(), 'POST', 'sobjects/Contact', { body: { LastName: 'Zanzibar' } });
    const res = await api(emu(), 'GET', `search?q=${encodeURIComponent('FIND {Zanzibar}')}`);
    expect(res.status).toBe(200);
    expect(res.body.searchRecords).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v64.0/sobjects/Account/${account.body.id}` },
        Id: account.body.id,
      },
      {
        attributes: { type: 'Contact', url: `/services/data/v64.0/sobjects/Contact/${contact.body.id}` },
        Id: contact.body.id,
      },
    ]);
    const scoped = await api(
      emu(),
      'GET',
      `search?q=${encodeURIComponent('FIND {Zanzibar} IN NAME FIELDS LIMIT 1')}`,
    );
    expect(scoped.body.searchRecords).toHaveLength(1);
  });
});

describe('composite batch', () => {
  const emu = useEmulator();

  it('runs limits, describe, search and sObject subrequests; each counts against the API limit', async () => {
    const before = await api(emu(), 'GET', 'limits');
    const used = before.body.DailyApiRequests.Max - before.body.DailyApiRequests.Remaining;
    const res = await api(emu(), 'POST', 'composite/batch', {
      body: {
        batchRequests: [
          { method: 'GET', url: 'v64.0/limits' },
          { method: 'GET', url: 'v64.0/sobjects/Contact/describe' },
          { method: 'POST', url: 'v64.0/sobjects/Account', richInput: { Name: 'Batch Search Target' } },
          {
            method: 'GET',
            url: `v64.0/search?q=${encodeURIComponent('FIND {Target} RETURNING Account(Name)')}`,
          },
          { method: 'GET', url: '/services/data/v64.0/sobjects/Account/describe/layouts' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.hasErrors).toBe(false);
    const [limits, describeResult, created, search, layouts] = res.body.results;
    expect(limits).toMatchObject({ statusCode: 200, result: { DailyApiRequests: { Max: 15000 } } });
    expect(describeResult).toMatchObject({ statusCode: 200, result: { name: 'Contact' } });
    expect(created).toMatchObject({ statusCode: 201, result: { success: true } });
    expect(search.result.searchRecords).toEqual([expect.objectContaining({ Name: 'Batch Search Target' })]);
    expect(layouts.result.layouts).toHaveLength(1);
    const after = await api(emu(), 'GET', 'limits');
    // The batch itself, its five subrequests and the second limits call.
    expect(after.body.DailyApiRequests.Max - after.body.DailyApiRequests.Remaining).toBe(used + 1 + 5 + 1);
  });

  it('refuses a subrequest of a version newer than the batch, and halts on error when asked', async () => {
    const res = await api(emu(), 'POST', 'composite/batch', {
      body: {
        haltOnError: true,
        batchRequests: [
          { method: 'GET', url: 'v65.0/limits' },
          { method: 'GET', url: 'v64.0/limits' },
        ],
      },
    });
    expect(res.body.hasErrors).toBe(true);
    expect(res.body.results[0].statusCode).toBe(400);
    expect(res.body.results[1]).toMatchObject({
      statusCode: 412,
      result: [{ errorCode: 'BATCH_PROCESSING_HALTED' }],
    });
  });
});
