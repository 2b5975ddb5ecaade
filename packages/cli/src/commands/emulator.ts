// `sfx emulator`: starts @sf/emulator (an optional peer dependency, loaded only here) and logs
// in to it as an alias, so every other command can run against it until Ctrl-C.
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { publicOrg, removeOrg, saveOrg } from '../credentials-store.js';
import { cliError } from '../errors.js';

interface EmulatorCommandOptions {
  alias: string;
  port: string;
  keep?: boolean;
}

async function runEmulator(ctx: Context, o: EmulatorCommandOptions): Promise<number> {
  let module: typeof import('@sf/emulator');
  try {
    module = await import('@sf/emulator');
  } catch (error) {
    throw cliError(
      'INVALID_ARGUMENT',
      'sfx emulator needs @sf/emulator: npm install -g @sf/emulator (or add it beside @sf/cli)',
      error,
    );
  }
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw cliError('INVALID_ARGUMENT', `--port must be 0-65535, got '${o.port}'`);
  const emu = await module.startEmulator({ port, ...module.README_FIXTURE });
  const c = emu.credentials;
  const token = emu.issueToken();
  const org = {
    alias: o.alias,
    flow: 'emulator' as const,
    instanceUrl: emu.instanceUrl,
    loginUrl: emu.loginUrl,
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    username: c.username,
    savedAt: new Date().toISOString(),
  };
  const path = await saveOrg(org);
  await ctx.out.result(
    { ...publicOrg(org), url: emu.url, credentialsFile: path },
    () =>
      `Emulator listening on ${emu.url}, logged in as '${o.alias}' (${c.username}). Try: sfx query "SELECT Id, Name FROM Account" --org ${o.alias}\nPress Ctrl-C to stop.`,
  );
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emu.close();
  if (!o.keep) await removeOrg(o.alias);
  if (!ctx.out.json) ctx.out.note('Emulator stopped.');
  return 0;
}

/** Registers `emulator`. */
export function emulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description(
      'start a local Salesforce emulator (@sf/emulator) and log in to it as an alias, until Ctrl-C',
    )
    .option('-a, --alias <name>', 'the alias to log in as', 'emulator')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--keep', 'keep the alias after it stops')
    .action(action((ctx, o: EmulatorCommandOptions) => runEmulator(ctx, o)));
}
