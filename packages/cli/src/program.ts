// The command tree. Commander parses; each command lives in commands/ and is wrapped by
// `action` (context, error reporting, exit code).
import { Command } from 'commander';
import { emulatorCommand } from './commands/emulator.js';
import { jobCommands } from './commands/job.js';
import { loadCommands } from './commands/load.js';
import { loginCommand } from './commands/login.js';
import { orgInfoCommands } from './commands/org-info.js';
import { orgsCommands } from './commands/orgs.js';
import { queryCommands } from './commands/query.js';
import { EXIT } from './errors.js';

/** The `sfx` program, ready to `parseAsync`. */
export function createProgram(argv: readonly string[] = process.argv): Command {
  const json = argv.includes('--json');
  const program = new Command('sfx')
    .description('Salesforce data work from the terminal: query, export, bulk load, jobs you can resume')
    .option(
      '-o, --org <alias>',
      'the org to use (default: SF_INSTANCE_URL + SF_ACCESS_TOKEN, else the default alias)',
    )
    .option('--json', 'print the result (or the error) as JSON on stdout')
    .option('--api-version <version>', 'API version, e.g. 64.0')
    .showHelpAfterError(!json)
    .configureOutput({
      // Under --json a usage error is JSON too, so a script parses one shape.
      outputError: (text, write) => {
        if (!json) return write(text);
        const message = text.replace(/^error: /, '').trim();
        process.stdout.write(
          `${JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: `[@sf/cli] ${message}`, hint: 'check the command line: sfx help COMMAND' } }, null, 2)}\n`,
        );
      },
    })
    .exitOverride((error) => {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        process.exit(EXIT.ok);
      }
      process.exit(EXIT.usage);
    });
  loginCommand(program);
  orgsCommands(program);
  queryCommands(program);
  loadCommands(program);
  jobCommands(program);
  orgInfoCommands(program);
  emulatorCommand(program);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`). */
export async function run(argv: string[] = process.argv): Promise<void> {
  await createProgram(argv).parseAsync(argv);
}
