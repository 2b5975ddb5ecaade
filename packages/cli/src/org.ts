// Opens the connection a command runs against: --org ALIAS, else SF_INSTANCE_URL and
// SF_ACCESS_TOKEN (CI), else the default alias. Renewed tokens are saved back to the alias.
import { readFileSync } from 'node:fs';
import {
  clientCredentialsAuth,
  createOAuth2Client,
  jwtBearerAuth,
  type OAuth2Client,
  refreshTokenAuth,
} from '@sf/auth';
import { type AuthStrategy, type Connection, createConnection } from '@sf/core';
import { getOrg, type StoredOrg, updateTokens } from './credentials-store.js';
import { cliError } from './errors.js';

/** An open org: its connection, and the key under which jobs are remembered. */
export interface OpenOrg {
  conn: Connection;
  /** The alias, or the instance URL for an org from the environment. */
  key: string;
  alias: string | undefined;
}

const pendingSaves = new Set<Promise<void>>();

/** Resolves when every renewed token has been saved (run before the process exits). */
export async function flushSaves(): Promise<void> {
  await Promise.allSettled([...pendingSaves]);
}

/** The OAuth client of a stored org (undefined when it was stored from a bare token). */
export function oauthClientOf(
  org: Pick<StoredOrg, 'clientId' | 'clientSecret' | 'loginUrl'>,
): OAuth2Client | undefined {
  if (!org.clientId) return undefined;
  return createOAuth2Client({
    clientId: org.clientId,
    ...(org.clientSecret ? { clientSecret: org.clientSecret } : {}),
    ...(org.loginUrl ? { loginUrl: org.loginUrl } : {}),
  });
}

/** How a stored org renews: its refresh token, a new JWT assertion, or client credentials. */
function renewer(org: StoredOrg): AuthStrategy | undefined {
  const client = oauthClientOf(org);
  if (!client) return undefined;
  if (org.refreshToken) {
    return refreshTokenAuth(client, { refreshToken: org.refreshToken, instanceUrl: org.instanceUrl });
  }
  if (org.flow === 'jwt' && org.privateKeyFile && org.username) {
    return jwtBearerAuth(client, { username: org.username, privateKey: readFileSync(org.privateKeyFile) });
  }
  if (org.flow === 'client-credentials') return clientCredentialsAuth(client);
  return undefined;
}

function strategyFor(org: StoredOrg): AuthStrategy {
  const renew = renewer(org);
  return {
    getCredentials: async () => ({
      accessToken: org.accessToken,
      instanceUrl: org.instanceUrl,
      ...(org.refreshToken ? { refreshToken: org.refreshToken } : {}),
    }),
    refresh: async (ctx, rejected) => {
      if (!renew) {
        throw cliError('AUTH_FAILED', `the session of org '${org.alias}' expired and it cannot renew itself`);
      }
      return renew.refresh ? renew.refresh(ctx, rejected) : renew.getCredentials(ctx);
    },
  };
}

/** Opens the org a command names (or the environment's, or the default). */
export async function openOrg(options: {
  org?: string | undefined;
  apiVersion?: string | undefined;
}): Promise<OpenOrg> {
  const apiVersion = options.apiVersion ? { apiVersion: options.apiVersion } : {};
  const env = process.env;
  if (options.org === undefined && env.SF_ACCESS_TOKEN && env.SF_INSTANCE_URL) {
    const conn = createConnection({
      instanceUrl: env.SF_INSTANCE_URL,
      auth: env.SF_ACCESS_TOKEN,
      ...apiVersion,
    });
    return { conn, key: env.SF_INSTANCE_URL, alias: undefined };
  }
  const org = await getOrg(options.org ?? env.SFX_ORG);
  if (!org) {
    const which = options.org ?? env.SFX_ORG;
    throw cliError(
      'AUTH_FAILED',
      which
        ? `no org is logged in as '${which}' (sfx orgs lists them; sfx login --alias ${which} adds it)`
        : 'no org given and no default org: pass --org ALIAS, log in with sfx login, or set SF_INSTANCE_URL and SF_ACCESS_TOKEN',
    );
  }
  const conn = createConnection({
    instanceUrl: org.instanceUrl,
    auth: strategyFor(org),
    ...(org.apiVersion ? { apiVersion: org.apiVersion } : {}),
    ...apiVersion,
  });
  conn.on('refresh', (credentials) => {
    const save = updateTokens(org.alias, credentials).catch(() => {});
    pendingSaves.add(save);
    void save.finally(() => pendingSaves.delete(save));
  });
  return { conn, key: org.alias, alias: org.alias };
}
