// jsforce 3.10.16 reads the identity of a bare access token (no login, so no stored identity URL)
// from the version resource's `identity` entry, then calls that URL with `?format=json` and
// `oauth_token`: the emulator must answer both as Salesforce does, for the token's own user.
import { describe, expect, it } from 'vitest';
import { jsforce, useEmulator, VERSION } from './jsforce-setup.js';

describe('jsforce: identity() of a bare access token', () => {
  const emu = useEmulator();

  it('follows the version resource to the identity URL of the token’s user', async () => {
    const issued = emu().issueToken();
    const conn = new jsforce.Connection({
      instanceUrl: emu().instanceUrl,
      accessToken: issued.accessToken,
      version: VERSION,
    });
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      id: issued.id,
      organization_id: emu().orgId,
      username: emu().credentials.username,
    });
    expect(identity.user_id).toBe(issued.id.split('/').at(-1));
  });

  it('an expired token gets the version resource’s 401 INVALID_SESSION_ID, not a made-up identity', async () => {
    const issued = emu().issueToken();
    emu().faults.expireToken(issued.accessToken);
    const conn = new jsforce.Connection({
      instanceUrl: emu().instanceUrl,
      accessToken: issued.accessToken,
      version: VERSION,
    });
    await expect(conn.identity()).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  });
});
