// `sfx login`: username-password, client credentials, JWT bearer, the web-server flow with PKCE
// through a callback on 127.0.0.1, or a token you already hold. Stores the org under an alias.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { clientCredentialsAuth, createOAuth2Client, jwtBearerAuth, passwordAuth } from '@sf/auth';
import { type AuthStrategy, createConnection, type Credentials } from '@sf/core';
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { type LoginFlow, publicOrg, type StoredOrg, saveOrg } from '../credentials-store.js';
import { cliError } from '../errors.js';
import { webLogin } from '../web-login.js';

interface LoginOptions {
  alias?: string;
  loginUrl?: string;
  instanceUrl?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  jwtKeyFile?: string;
  clientCredentials?: boolean;
  web?: boolean;
  port?: string;
  browser?: boolean;
  accessToken?: string;
  setDefault?: boolean;
}

const LOGIN_URL = 'https://login.salesforce.com';

function flowOf(o: LoginOptions): LoginFlow {
  if (o.web) return 'web';
  if (o.jwtKeyFile) return 'jwt';
  if (o.clientCredentials) return 'client-credentials';
  if (o.accessToken) return 'token';
  if (o.username) return 'password';
  return 'web';
}

async function login(ctx: Context, o: LoginOptions): Promise<number> {
  const env = process.env;
  const flow = flowOf(o);
  const alias = o.alias ?? 'default';
  const loginUrl = o.loginUrl ?? env.SF_LOGIN_URL ?? LOGIN_URL;
  const clientId = o.clientId ?? env.SF_CLIENT_ID;
  const clientSecret = o.clientSecret ?? env.SF_CLIENT_SECRET;
  const needsClient = flow !== 'token';
  if (needsClient && !clientId) {
    throw cliError('INVALID_ARGUMENT', 'a connected app is needed: pass --client-id (or set SF_CLIENT_ID)');
  }
  const client = clientId
    ? createOAuth2Client({ clientId, ...(clientSecret ? { clientSecret } : {}), loginUrl })
    : undefined;
  let credentials: Credentials;
  let extra: Partial<StoredOrg> = {};
  if (flow === 'web') {
    credentials = await webLogin(ctx, {
      clientId: clientId as string,
      ...(clientSecret ? { clientSecret } : {}),
      loginUrl,
      port: Number(o.port ?? 1717),
      openBrowser: o.browser !== false,
    });
  } else {
    let auth: AuthStrategy | string;
    if (flow === 'token') {
      const instanceUrl = o.instanceUrl ?? env.SF_INSTANCE_URL;
      if (!instanceUrl)
        throw cliError('INVALID_ARGUMENT', 'a token login needs --instance-url (or SF_INSTANCE_URL)');
      auth = o.accessToken === '-' ? (env.SF_ACCESS_TOKEN ?? '') : (o.accessToken as string);
      if (!auth)
        throw cliError('INVALID_ARGUMENT', '--access-token - reads SF_ACCESS_TOKEN, which is not set');
      extra = { instanceUrl };
    } else if (flow === 'jwt') {
      if (!o.username) throw cliError('INVALID_ARGUMENT', 'the JWT flow needs --username');
      const keyFile = resolve(o.jwtKeyFile as string);
      const privateKey = readFileSync(keyFile);
      auth = jwtBearerAuth(client!, { username: o.username, privateKey });
      extra = { privateKeyFile: keyFile, username: o.username };
    } else if (flow === 'client-credentials') {
      auth = clientCredentialsAuth(client!);
    } else {
      const password = o.password ?? env.SF_PASSWORD;
      if (!password)
        throw cliError('INVALID_ARGUMENT', 'the password flow needs --password (or SF_PASSWORD)');
      auth = passwordAuth(client!, { username: o.username as string, password });
      extra = { username: o.username as string };
    }
    const conn = createConnection({ auth, ...(extra.instanceUrl ? { instanceUrl: extra.instanceUrl } : {}) });
    credentials = await conn.credentials({ signal: ctx.signal });
  }
  const instanceUrl = credentials.instanceUrl ?? extra.instanceUrl;
  if (!instanceUrl) throw cliError('MALFORMED_RESPONSE', 'the login answered no instance URL');
  const conn = createConnection({ instanceUrl, auth: credentials.accessToken });
  const identity = (await conn.identity({ signal: ctx.signal }).catch(() => ({}))) as Record<string, unknown>;
  const org: StoredOrg = {
    alias,
    flow,
    instanceUrl,
    loginUrl,
    accessToken: credentials.accessToken,
    ...(credentials.refreshToken ? { refreshToken: credentials.refreshToken } : {}),
    ...(clientId ? { clientId } : {}),
    ...(clientSecret && flow !== 'token' ? { clientSecret } : {}),
    ...extra,
    ...(typeof identity.username === 'string' ? { username: identity.username } : {}),
    ...(credentials.userId ? { userId: credentials.userId } : {}),
    ...(credentials.organizationId ? { organizationId: credentials.organizationId } : {}),
    savedAt: new Date().toISOString(),
  };
  const path = await saveOrg(org, o.setDefault === true);
  const shown = { ...publicOrg(org), credentialsFile: path };
  await ctx.out.result(
    shown,
    () =>
      `Logged in to ${instanceUrl} as ${shown.username ?? shown.userId ?? 'unknown user'} (alias '${alias}', ${flow} flow). Credentials saved to ${path} (0600).`,
  );
  return 0;
}

/** Registers `login`. */
export function loginCommand(program: Command): void {
  program
    .command('login')
    .description('log in to an org and store its credentials under an alias (0600 file)')
    .option('-a, --alias <name>', 'the alias to store the org under', 'default')
    .option('--login-url <url>', 'login host or My Domain URL (env SF_LOGIN_URL)', undefined)
    .option('--instance-url <url>', 'instance URL, for --access-token (env SF_INSTANCE_URL)')
    .option('--client-id <id>', 'connected app consumer key (env SF_CLIENT_ID)')
    .option('--client-secret <secret>', 'connected app consumer secret (env SF_CLIENT_SECRET)')
    .option('-u, --username <name>', 'username, for the password and JWT flows')
    .option('-p, --password <password>', 'password with the security token appended (env SF_PASSWORD)')
    .option('--jwt-key-file <file>', 'private key (PEM) for the JWT bearer flow, with --username')
    .option('--client-credentials', "the client credentials flow (runs as the app's run-as user)")
    .option('--web', 'the web-server flow with PKCE in a browser (the default without other options)')
    .option('--port <port>', 'port of the 127.0.0.1 callback for --web (0 picks one)', '1717')
    .option('--no-browser', 'print the URL to open instead of opening a browser')
    .option('--access-token <token>', "store a token you already hold ('-' reads SF_ACCESS_TOKEN)")
    .option('--set-default', 'make this alias the default org')
    .action(action((ctx, o: LoginOptions) => login(ctx, o)));
}
