import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { api, useEmulator } from './helpers.js';

describe('REST root: versions, resources, limits', () => {
  const emu = useEmulator();

  it('lists versions without a token and without Sforce-Limit-Info', async () => {
    const res = await api(emu(), 'GET', '/services/data/', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBeNull();
    const versions: { label: string; url: string; version: string }[] = res.body;
    expect(versions.at(-1)).toEqual({ label: "Summer '25", url: '/services/data/v64.0', version: '64.0' });
    expect(versions.find((v) => v.version === '62.0')?.label).toBe("Winter '25");
    expect(versions.find((v) => v.version === '20.0')?.label).toBe("Winter '11");
    expect(versions.length).toBeGreaterThan(10);
  });

  it('lists the resources of a version', async () => {
    const res = await api(emu(), 'GET', '/services/data/v64.0/');
    expect(res.status).toBe(200);
    expect(res.body.sobjects).toBe('/services/data/v64.0/sobjects');
    expect(res.body.query).toBe('/services/data/v64.0/query');
    expect(res.body.limits).toBe('/services/data/v64.0/limits');
    expect(res.body.identity).toMatch(/\/id\/00D/);
    const older = await api(emu(), 'GET', '/services/data/v58.0');
    expect(older.body.sobjects).toBe('/services/data/v58.0/sobjects');
  });

  it('rejects versions newer than the emulator and malformed ones with NOT_FOUND', async () => {
    for (const v of ['v65.0', 'v64', 'v64.1', 'vX', 'v19.0']) {
      const res = await api(emu(), 'GET', `/services/data/${v}/limits`);
      expect(res.status, v).toBe(404);
      expect(res.body).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    }
  });

  it('reports limits, and DailyApiRequests.Remaining and Sforce-Limit-Info track usage', async () => {
    const { accessToken } = emu().issueToken();
    const first = await api(emu(), 'GET', 'limits', { token: accessToken });
    expect(first.status).toBe(200);
    const usage = Number(/api-usage=(\d+)\/15000/.exec(first.headers.get('sforce-limit-info') ?? '')?.[1]);
    expect(usage).toBeGreaterThan(0);
    expect(first.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 - usage });
    for (const key of [
      'DailyBulkApiBatches',
      'DailyBulkV2QueryJobs',
      'DailyStreamingApiEvents',
      'DataStorageMB',
    ]) {
      expect(first.body[key]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
    }
    const second = await api(emu(), 'GET', 'limits', { token: accessToken });
    expect(second.headers.get('sforce-limit-info')).toBe(`api-usage=${usage + 1}/15000`);
    expect(second.body.DailyApiRequests.Remaining).toBe(15000 - usage - 1);
  });

  it('answers 401 INVALID_SESSION_ID with WWW-Authenticate for missing, unknown and OAuth-scheme tokens', async () => {
    for (const token of [null, 'nope']) {
      const res = await api(emu(), 'GET', 'limits', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Token');
      expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const { accessToken } = emu().issueToken();
    const oauth = await api(emu(), 'GET', 'limits', {
      token: null,
      headers: { authorization: `OAuth ${accessToken}` },
    });
    expect(oauth.status).toBe(200);
    const unknownPath = await api(emu(), 'GET', 'no/such/thing', { token: null });
    expect(unknownPath.status).toBe(401);
  });

  it('answers unknown resources 404 and wrong methods 405', async () => {
    const missing = await api(emu(), 'GET', 'no/such/thing');
    expect(missing.status).toBe(404);
    expect(missing.body[0].errorCode).toBe('NOT_FOUND');
    const wrongMethod = await api(emu(), 'PUT', 'limits');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body[0].errorCode).toBe('METHOD_NOT_ALLOWED');
  });

  it('refuses calls past the daily limit with REQUEST_LIMIT_EXCEEDED', async () => {
    const small = await startEmulator({ dailyApiRequestLimit: 2 });
    try {
      const { accessToken } = small.issueToken();
      expect((await api(small, 'GET', 'limits', { token: accessToken })).status).toBe(200);
      expect(
        (await api(small, 'GET', 'limits', { token: accessToken })).headers.get('sforce-limit-info'),
      ).toBe('api-usage=2/2');
      const over = await api(small, 'GET', 'limits', { token: accessToken });
      expect(over.status).toBe(403);
      expect(over.body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    } finally {
      await small.close();
    }
  });

  it('logs requests with their status; resetRequests empties the log', async () => {
    emu().resetRequests();
    await api(emu(), 'GET', 'limits');
    await api(emu(), 'GET', 'limits', { token: 'bad' });
    expect(emu().requests).toEqual([
      { method: 'GET', path: '/services/data/v64.0/limits', status: 200 },
      { method: 'GET', path: '/services/data/v64.0/limits', status: 401 },
    ]);
    emu().resetRequests();
    expect(emu().requests).toHaveLength(0);
  });
});
