// Credentials per alias, in credentials.json of the config dir (0600). Tokens and secrets are
// stored here and nowhere else; nothing prints them (`publicOrg` is what commands show).
import { join } from 'node:path';
import { configDir, readJsonFile, writeJsonFile } from './config-dir.js';

export type LoginFlow = 'password' | 'client-credentials' | 'jwt' | 'web' | 'token' | 'emulator';

/** One logged-in org, as stored. */
export interface StoredOrg {
  alias: string;
  flow: LoginFlow;
  instanceUrl: string;
  loginUrl?: string;
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  privateKeyFile?: string;
  userId?: string;
  organizationId?: string;
  apiVersion?: string;
  savedAt: string;
}

interface CredentialsFile {
  default?: string;
  orgs: Record<string, StoredOrg>;
}

export const CREDENTIALS_FILE = 'credentials.json';

/** The path of the credentials file. */
export function credentialsPath(): string {
  return join(configDir(), CREDENTIALS_FILE);
}

async function load(): Promise<CredentialsFile> {
  const file = await readJsonFile<CredentialsFile>(CREDENTIALS_FILE, { orgs: {} });
  return { ...file, orgs: file.orgs ?? {} };
}

/** Every stored org, and the default alias. */
export async function listOrgs(): Promise<{ orgs: StoredOrg[]; default: string | undefined }> {
  const file = await load();
  return { orgs: Object.values(file.orgs), default: file.default };
}

/** One stored org by alias (or the default one when `alias` is undefined). */
export async function getOrg(alias: string | undefined): Promise<StoredOrg | undefined> {
  const file = await load();
  const name = alias ?? file.default;
  return name === undefined ? undefined : file.orgs[name];
}

/** Stores an org under its alias; the first org stored, or `makeDefault`, becomes the default. */
export async function saveOrg(org: StoredOrg, makeDefault = false): Promise<string> {
  const file = await load();
  file.orgs[org.alias] = org;
  if (makeDefault || file.default === undefined || !file.orgs[file.default]) file.default = org.alias;
  return writeJsonFile(CREDENTIALS_FILE, file);
}

/** Updates the tokens of a stored org after a renewal (no-op if it was removed meanwhile). */
export async function updateTokens(
  alias: string,
  tokens: { accessToken: string; refreshToken?: string | undefined },
) {
  const file = await load();
  const org = file.orgs[alias];
  if (!org) return;
  org.accessToken = tokens.accessToken;
  if (tokens.refreshToken) org.refreshToken = tokens.refreshToken;
  org.savedAt = new Date().toISOString();
  await writeJsonFile(CREDENTIALS_FILE, file);
}

/** Removes an org; true when it existed. */
export async function removeOrg(alias: string): Promise<boolean> {
  const file = await load();
  if (!file.orgs[alias]) return false;
  delete file.orgs[alias];
  if (file.default === alias) {
    const [next] = Object.keys(file.orgs);
    if (next === undefined) delete file.default;
    else file.default = next;
  }
  await writeJsonFile(CREDENTIALS_FILE, file);
  return true;
}

/** What may be shown of an org: never a token or a secret. */
export function publicOrg(org: StoredOrg, defaultAlias?: string) {
  return {
    alias: org.alias,
    username: org.username ?? null,
    instanceUrl: org.instanceUrl,
    flow: org.flow,
    userId: org.userId ?? null,
    organizationId: org.organizationId ?? null,
    isDefault: org.alias === defaultAlias,
    savedAt: org.savedAt,
  };
}
