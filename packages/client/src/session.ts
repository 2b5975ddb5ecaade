// Which connection the client holds, and how it changes: the one made from the options, the
// one a login() or authorize() makes (sharing the first one's transport through withAuth), and
// back to none on logout(). The client's `refresh` and `limits` events follow the one held now.

import {
  createOAuth2Client,
  credentialsFromSoapLogin,
  type OAuth2Client,
  passwordAuth,
  refreshTokenAuth,
  soapLogin,
  soapLoginAuth,
  soapLogout,
} from '@sf/auth';
import {
  type AuthStrategy,
  type CallOptions,
  type Connection,
  type ConnectionOptions,
  type Credentials,
  createConnection,
  Emitter,
  type LimitInfo,
  salesforceError,
} from '@sf/core';
import type { ClientOptions } from './client-options.js';
import type { ClientEvents, UserInfo } from './client-types.js';
import { refuseOldClientOptions } from './old-options.js';

const SOURCE = '@sf/client';

/** How the session held now ends: SOAP `logout()`, an OAuth revoke, or (a bare token) not at all. */
type Kind = 'soap' | 'oauth' | 'token' | 'none';

export interface Session {
  readonly connection: Connection;
  readonly oauth2: OAuth2Client | undefined;
  readonly events: Emitter<ClientEvents>;
  login(username: string, password: string, options?: CallOptions): Promise<UserInfo>;
  authorize(code: string, options?: Parameters<OAuth2Client['exchangeCode']>[1]): Promise<UserInfo>;
  logout(options?: CallOptions): Promise<void>;
}

function oauth2Of(options: ClientOptions): OAuth2Client | undefined {
  const given = options.oauth2;
  if (given === undefined) return undefined;
  if (typeof (given as OAuth2Client).getAuthorizationUrl === 'function') return given as OAuth2Client;
  const settings = given as Exclude<ClientOptions['oauth2'], OAuth2Client | undefined>;
  return createOAuth2Client({
    ...settings,
    ...(settings.loginUrl === undefined && options.loginUrl !== undefined
      ? { loginUrl: options.loginUrl }
      : {}),
    ...(settings.environment === undefined && options.environment !== undefined
      ? { environment: options.environment }
      : {}),
    ...(settings.transport === undefined && options.transport !== undefined
      ? { transport: options.transport }
      : {}),
  });
}

/** The connection options and the first auth, from createConnection's names or node-salesforce's. */
function initialAuth(
  options: ClientOptions,
  oauth2: OAuth2Client | undefined,
): { connection: ConnectionOptions; auth: ConnectionOptions['auth']; kind: Kind } {
  const {
    oauth2: _o,
    loginUrl: _l,
    environment: _e,
    accessToken,
    refreshToken,
    sessionId,
    serverUrl,
    bulk: _b,
    streaming: _s,
    pubsub: _p,
    auth,
    ...connection
  } = options;
  const given = [auth, accessToken ?? refreshToken, sessionId].filter((v) => v !== undefined).length;
  if (given > 1) {
    throw salesforceError(
      SOURCE,
      'INVALID_ARGUMENT',
      'give one of auth, accessToken (with refreshToken) or sessionId',
    );
  }
  if (serverUrl !== undefined && connection.instanceUrl === undefined)
    connection.instanceUrl = new URL(serverUrl).origin;
  if (sessionId !== undefined) return { connection, auth: sessionId, kind: 'soap' };
  if (refreshToken !== undefined) {
    if (!oauth2) {
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        'refreshToken needs the oauth2 option (the connected app that renews it)',
      );
    }
    const held = {
      refreshToken,
      ...(accessToken === undefined ? {} : { accessToken }),
      ...(connection.instanceUrl === undefined ? {} : { instanceUrl: connection.instanceUrl }),
    };
    return { connection, auth: refreshTokenAuth(oauth2, held), kind: 'oauth' };
  }
  if (accessToken !== undefined) return { connection, auth: accessToken, kind: oauth2 ? 'oauth' : 'token' };
  if (auth === undefined) return { connection, auth, kind: 'none' };
  return { connection, auth, kind: oauth2 ? 'oauth' : 'token' };
}

/** A strategy that starts from credentials a login already got and renews as `renewing` does. */
function startingWith(first: Credentials, renewing: AuthStrategy): AuthStrategy {
  let used = false;
  return {
    async getCredentials(context) {
      if (used) return renewing.getCredentials(context);
      used = true;
      return first;
    },
    ...(renewing.refresh ? { refresh: renewing.refresh.bind(renewing) } : {}),
  };
}

function userInfoOf(credentials: Credentials): UserInfo {
  return {
    id: credentials.userId,
    organizationId: credentials.organizationId,
    url: credentials.id,
    instanceUrl: credentials.instanceUrl,
  };
}

export function createSession(options: ClientOptions): Session {
  refuseOldClientOptions(options);
  const oauth2 = oauth2Of(options);
  const first = initialAuth(options, oauth2);
  const base = createConnection(first.connection);
  const events = new Emitter<ClientEvents>({ events: ['refresh', 'limits'], source: SOURCE });
  const onRefresh = (credentials: Credentials) => events.emit('refresh', credentials);
  const onLimits = (info: LimitInfo) => events.emit('limits', info);
  let kind: Kind = first.kind;
  let soapServerUrl = options.serverUrl;
  let current = base;

  const hold = (next: Connection, nextKind: Kind) => {
    current.off('refresh', onRefresh).off('limits', onLimits);
    current = next.on('refresh', onRefresh).on('limits', onLimits);
    kind = nextKind;
  };
  // After a login: the new connection takes the credentials the login got (no request), so
  // `sf.connection.instanceUrl` is the user's instance at once, as node-salesforce's was.
  const holdLoggedIn = async (strategy: AuthStrategy, nextKind: Kind, credentials: Credentials) => {
    hold(base.withAuth(strategy), nextKind);
    await current.credentials();
    return userInfoOf(credentials);
  };
  hold(first.auth === undefined ? base : base.withAuth(first.auth), first.kind);

  const needOAuth2 = (call: string): OAuth2Client => {
    if (!oauth2)
      throw salesforceError(
        SOURCE,
        'INVALID_ARGUMENT',
        `${call} needs the oauth2 option (the connected app)`,
      );
    return oauth2;
  };

  return {
    get connection() {
      return current;
    },
    oauth2,
    events,
    async login(username, password, callOptions = {}) {
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          'login(username, password) takes two strings; it returns a promise (no callback)',
        );
      }
      if (oauth2) {
        const login = { username, password };
        const credentials = await oauth2.password(login, callOptions);
        return holdLoggedIn(startingWith(credentials, passwordAuth(oauth2, login)), 'oauth', credentials);
      }
      const soap = {
        username,
        password,
        ...(options.loginUrl === undefined ? {} : { loginUrl: options.loginUrl }),
        ...(options.environment === undefined ? {} : { environment: options.environment }),
        ...(options.transport === undefined ? {} : { transport: options.transport }),
      };
      const result = await soapLogin({ ...soap, ...callOptions });
      const credentials = credentialsFromSoapLogin(result);
      const { transport: _t, ...renew } = soap;
      soapServerUrl = result.serverUrl;
      return holdLoggedIn(startingWith(credentials, soapLoginAuth(renew)), 'soap', credentials);
    },
    async authorize(code, exchange = {}) {
      const client = needOAuth2('authorize(code)');
      const credentials = await client.exchangeCode(code, exchange);
      return holdLoggedIn(refreshTokenAuth(client, credentials), 'oauth', credentials);
    },
    async logout(callOptions = {}) {
      if (kind === 'none') return;
      if (kind === 'token' && !oauth2) {
        throw salesforceError(
          SOURCE,
          'INVALID_ARGUMENT',
          'logout() ends a SOAP session or an OAuth token: give sessionId, log in with login(), or give the oauth2 option to revoke the token',
        );
      }
      const { accessToken, instanceUrl = current.instanceUrl } = await current.credentials(callOptions);
      if (kind === 'soap') {
        const where = soapServerUrl ?? instanceUrl;
        if (where === undefined)
          throw salesforceError(SOURCE, 'INVALID_ARGUMENT', 'logout() needs serverUrl or instanceUrl');
        await soapLogout({
          sessionId: accessToken,
          ...(soapServerUrl === undefined ? { instanceUrl: where } : { serverUrl: soapServerUrl }),
          ...(options.transport === undefined ? {} : { transport: options.transport }),
          ...callOptions,
        });
      } else {
        await needOAuth2('logout()').revoke(accessToken, callOptions);
      }
      soapServerUrl = undefined;
      hold(base, 'none');
    },
  };
}
