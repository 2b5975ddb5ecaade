// The identity URL (`/id/{orgId}/{userId}`) and OpenID Connect userinfo. These answer auth
// failures with Salesforce's identity-service codes (403 Bad_OAuth_Token as plain text), not
// the REST API's 401 array, and do not count against the API request limit.

import type { EmulatorContext, EmulatorModule } from '../context.js';
import { bearerToken, HttpError, sendJson } from '../http-util.js';
import type { RequestContext } from '../router.js';
import type { Session } from '../sessions.js';

function identityError(status: number, code: string): HttpError {
  return new HttpError(status, code, { 'content-type': 'text/plain;charset=UTF-8' });
}

function identitySession(ctx: EmulatorContext, rc: RequestContext): Session {
  const token = bearerToken(rc.req) ?? rc.url.searchParams.get('oauth_token') ?? undefined;
  if (!token) throw identityError(403, 'Missing_OAuth_Token');
  const session = ctx.sessions.lookup(token);
  if (!session) throw identityError(403, 'Bad_OAuth_Token');
  return session;
}

/** The `urls` map, with `{version}` left as a placeholder as Salesforce leaves it. */
function identityUrls(ctx: EmulatorContext, userId: string): Record<string, string> {
  const base = ctx.url;
  const org = ctx.store.orgId;
  const data = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org}`,
    metadata: `${base}/services/Soap/m/{version}/${org}`,
    partner: `${base}/services/Soap/u/{version}/${org}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base,
  };
}

function userRow(ctx: EmulatorContext, userId: string): Record<string, unknown> {
  const row = ctx.store.get('User', userId);
  if (!row || row.IsActive === false) throw identityError(404, row ? 'Inactive' : 'Bad_Id');
  return row;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// What the identity URL and userinfo both answer, under the same names.

function photos(ctx: EmulatorContext): Record<string, string> {
  return {
    picture: `${ctx.url}/profilephoto/005/F`,
    thumbnail: `${ctx.url}/profilephoto/005/T`,
  };
}

function settings(ctx: EmulatorContext, user: Record<string, unknown>, userId: string) {
  return {
    urls: identityUrls(ctx, userId),
    active: user.IsActive === true,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: -28800000,
  };
}

/** LastModifiedDate as ISO 8601 with `Z`, or null. */
function lastModified(user: Record<string, unknown>): string | null {
  return str(user.LastModifiedDate)?.replace('+0000', 'Z') ?? null;
}

export const identityRoutes: EmulatorModule = (ctx) => {
  ctx.router.add(['GET', 'POST'], '/id/:orgId/:userId', (rc) => {
    const session = identitySession(ctx, rc);
    if (rc.params.orgId?.slice(0, 15) !== ctx.store.orgId.slice(0, 15)) throw identityError(403, 'Wrong_Org');
    const user = userRow(ctx, rc.params.userId ?? '');
    const userId = user.Id as string;
    sendJson(rc.res, 200, {
      id: `${ctx.url}/id/${ctx.store.orgId}/${userId}`,
      asserted_user: userId === session.userId,
      user_id: userId,
      organization_id: ctx.store.orgId,
      username: user.Username,
      nick_name: user.CommunityNickname,
      display_name: user.Name,
      email: user.Email,
      email_verified: true,
      first_name: user.FirstName,
      last_name: user.LastName,
      timezone: user.TimeZoneSidKey,
      photos: photos(ctx),
      addr_street: user.Street,
      addr_city: user.City,
      addr_state: user.State,
      addr_country: user.Country,
      addr_zip: user.PostalCode,
      mobile_phone: user.MobilePhone,
      mobile_phone_verified: false,
      is_lightning_login_user: false,
      status: { created_date: null, body: null },
      ...settings(ctx, user, userId),
      last_modified_date: lastModified(user),
      is_app_installed: true,
    });
  });

  ctx.router.add(['GET', 'POST'], '/services/oauth2/userinfo', (rc) => {
    const session = identitySession(ctx, rc);
    const user = userRow(ctx, session.userId);
    const userId = user.Id as string;
    sendJson(rc.res, 200, {
      sub: `${ctx.url}/id/${ctx.store.orgId}/${userId}`,
      user_id: userId,
      organization_id: ctx.store.orgId,
      preferred_username: user.Username,
      nickname: user.CommunityNickname,
      name: user.Name,
      email: user.Email,
      email_verified: true,
      given_name: user.FirstName,
      family_name: user.LastName,
      zoneinfo: user.TimeZoneSidKey,
      photos: photos(ctx),
      profile: `${ctx.url}/${userId}`,
      picture: `${ctx.url}/profilephoto/005/F`,
      address: { country: user.Country },
      ...settings(ctx, user, userId),
      updated_at: lastModified(user),
      is_app_installed: true,
    });
  });
};
