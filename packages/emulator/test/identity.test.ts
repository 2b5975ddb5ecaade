import { describe, expect, it } from 'vitest';
import { useEmulator } from './helpers.js';

describe('identity', () => {
  const emu = useEmulator();

  it('GET the identity URL from the token response', async () => {
    const { accessToken, id } = emu().issueToken();
    const res = await fetch(id, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.id).toBe(id);
    expect(body.user_id).toBe(id.split('/').at(-1));
    expect(body.organization_id).toBe(emu().orgId);
    expect(body.username).toBe(emu().credentials.username);
    expect(body.display_name).toBe('Admin User');
    expect(body.email).toContain('@');
    expect(body.active).toBe(true);
    expect(body.user_type).toBe('STANDARD');
    expect(body.language).toBe('en_US');
    expect(body.locale).toBe('en_US');
    expect(typeof body.utcOffset).toBe('number');
    expect(body.urls.rest).toBe(`${emu().url}/services/data/v{version}/`);
    expect(body.urls.sobjects).toBe(`${emu().url}/services/data/v{version}/sobjects/`);
    expect(body.urls.query).toBe(`${emu().url}/services/data/v{version}/query/`);
  });

  it('answers a bad token with 403 Bad_OAuth_Token and an unknown user with 404 Bad_Id', async () => {
    const { accessToken, id } = emu().issueToken();
    const bad = await fetch(id, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toBe('Bad_OAuth_Token');
    const missing = await fetch(id);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toBe('Missing_OAuth_Token');
    const unknown = await fetch(`${emu().url}/id/${emu().orgId}/005000000000000AAA`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('Bad_Id');
  });

  it('userinfo (OpenID Connect)', async () => {
    const { accessToken, id } = emu().issueToken();
    const res = await fetch(`${emu().url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.sub).toBe(id);
    expect(body.organization_id).toBe(emu().orgId);
    expect(body.preferred_username).toBe(emu().credentials.username);
    expect(body.name).toBe('Admin User');
    expect(body.urls.rest).toContain('{version}');
  });
});
