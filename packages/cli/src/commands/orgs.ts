// `sfx orgs` lists the stored aliases; `sfx logout` removes one (revoking its token).
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { getOrg, listOrgs, publicOrg, removeOrg } from '../credentials-store.js';
import { cliError } from '../errors.js';
import { oauthClientOf } from '../org.js';

async function orgs(ctx: Context): Promise<number> {
  const { orgs: all, default: defaultAlias } = await listOrgs();
  const shown = all.map((org) => publicOrg(org, defaultAlias));
  await ctx.out.result({ orgs: shown }, () => {
    if (shown.length === 0) return 'No org logged in (sfx login --alias NAME).';
    const rows = shown.map(
      (o) =>
        `${o.isDefault ? '*' : ' '} ${o.alias.padEnd(16)} ${(o.username ?? '').padEnd(32)} ${o.instanceUrl}`,
    );
    return [`  ${'ALIAS'.padEnd(16)} ${'USERNAME'.padEnd(32)} INSTANCE`, ...rows].join('\n');
  });
  return 0;
}

async function logout(ctx: Context, alias: string | undefined, o: { revoke?: boolean }): Promise<number> {
  const name = alias ?? ctx.options.org;
  const org = await getOrg(name);
  if (!org)
    throw cliError('NOT_FOUND', `no org is logged in as '${name ?? '(default)'}' (sfx orgs lists them)`);
  let revoked = false;
  const client = oauthClientOf(org);
  if (o.revoke !== false && client) {
    // Revoking the refresh token ends the access tokens issued with it; a failure here
    // (an org gone, no network) must not keep the credentials on disk.
    revoked = await client
      .revoke(org.refreshToken ?? org.accessToken, { signal: ctx.signal })
      .then(() => true)
      .catch(() => false);
  }
  await removeOrg(org.alias);
  await ctx.out.result(
    { alias: org.alias, removed: true, revoked },
    () => `Logged out of '${org.alias}'${revoked ? ' (token revoked)' : ''}.`,
  );
  return 0;
}

/** Registers `orgs` and `logout`. */
export function orgsCommands(program: Command): void {
  program
    .command('orgs')
    .description('list the logged-in orgs (* marks the default)')
    .action(action((ctx) => orgs(ctx)));
  program
    .command('logout [alias]')
    .description('forget an org (and revoke its token at Salesforce)')
    .option('--no-revoke', 'only remove the stored credentials')
    .action(action((ctx, alias: string | undefined, o: { revoke?: boolean }) => logout(ctx, alias, o)));
}
