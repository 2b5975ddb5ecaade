import { createConnection } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator, refreshingStrategy, tokenRequests } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.close());

const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

/** A renewing connection, its strategy, and a Bulk 1.0 job creation sent with `body`. */
async function bulk1Org() {
  const issued = emu.issueToken();
  const strategy = refreshingStrategy(emu, {
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
  });
  const conn = createConnection({ instanceUrl: emu.instanceUrl, auth: strategy });
  const { accessToken } = await conn.credentials();
  const createJob = (body: string) =>
    conn.requestRaw({
      method: 'POST',
      path: `/services/async/${conn.apiVersion}/job`,
      headers: {
        'x-sfdc-session': accessToken,
        accept: 'application/xml',
        'content-type': 'application/xml; charset=UTF-8',
      },
      body,
    });
  return { strategy, createJob };
}

// Bulk API 1.0 (`/services/async/`) authenticates with the X-SFDC-Session header and answers an
// expired session with HTTP 400 and `<exceptionCode>InvalidSessionId</exceptionCode>` (Bulk API
// Developer Guide, "Errors": InvalidSessionId), not a 401: the refresh middleware renews on both.
describe('refresh on an expired Bulk 1.0 session', () => {
  it('renews once on 400 InvalidSessionId and resends with the new X-SFDC-Session', async () => {
    const { strategy, createJob } = await bulk1Org();
    emu.faults.expireAllTokens();
    emu.resetRequests();
    const body = `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`;
    const responses = await Promise.all([createJob(body), createJob(body), createJob(body)]);
    for (const res of responses) {
      expect(res.status).toBe(201);
      expect(await res.text()).toContain('<state>Open</state>');
    }
    // One renewal for the three requests in flight.
    expect(strategy.renewals).toBe(1);
    expect(tokenRequests(emu)).toBe(1);
  });

  it('passes any other 400 on untouched, without renewing', async () => {
    const { strategy, createJob } = await bulk1Org();
    await expect(
      createJob(`<jobInfo xmlns="${NS}"><operation>explode</operation></jobInfo>`),
    ).rejects.toMatchObject({ status: 400 });
    expect(strategy.renewals).toBe(0);
  });
});

describe('isSessionExpiredResponse', () => {
  it('recognises 401s, and Bulk 1.0 400s naming InvalidSessionId in XML or JSON, nothing else', async () => {
    const { isSessionExpiredResponse } = await import('../src/middleware/auth.js');
    expect(isSessionExpiredResponse(401, '')).toBe(true);
    expect(isSessionExpiredResponse(401, '[{"errorCode":"INVALID_SESSION_ID","message":"x"}]')).toBe(true);
    expect(isSessionExpiredResponse(401, '[{"errorCode":"INVALID_AUTH_HEADER","message":"x"}]')).toBe(false);
    const xml =
      '<error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>';
    expect(isSessionExpiredResponse(400, xml)).toBe(true);
    expect(isSessionExpiredResponse(400, '{"exceptionCode":"InvalidSessionId","exceptionMessage":"x"}')).toBe(
      true,
    );
    expect(isSessionExpiredResponse(400, xml.replaceAll('InvalidSessionId', 'InvalidJob'))).toBe(false);
    expect(isSessionExpiredResponse(500, xml)).toBe(false);
  });
});
