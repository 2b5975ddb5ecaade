// What every command's action gets: the global options, the output, and the signal Ctrl-C aborts.
import type { Command } from 'commander';
import { cliError, errorReport, EXIT, exitCodeFor } from './errors.js';
import { flushSaves } from './org.js';
import { Output } from './output.js';

export interface GlobalOptions {
  org?: string;
  json?: boolean;
  apiVersion?: string;
}

export interface Context {
  options: GlobalOptions;
  out: Output;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
}

let interrupt: AbortController | undefined;

/** The signal of this run: the first Ctrl-C aborts it, a second one exits at once. */
function runSignal(): AbortSignal {
  if (interrupt) return interrupt.signal;
  const controller = new AbortController();
  interrupt = controller;
  const onSignal = (name: string) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(cliError('ABORTED', `interrupted (${name})`));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return controller.signal;
}

/** True when `error` is the run's interruption (Ctrl-C). */
export function isInterrupt(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error === signal.reason || (error as { name?: string })?.name === 'AbortError');
}

/**
 * Wraps a command's action: builds its context, reports any error as one line (or JSON under
 * --json) and sets the exit code. The action returns its own exit code (default 0).
 */
export function action<A extends unknown[]>(
  run: (ctx: Context, ...args: A) => Promise<number | undefined>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as GlobalOptions;
    const out = new Output(options.json === true);
    const signal = runSignal();
    let code: number;
    try {
      code = (await run({ options, out, signal }, ...(args.slice(0, -1) as A))) ?? EXIT.ok;
    } catch (error) {
      code = isInterrupt(error, signal) ? EXIT.interrupted : exitCodeFor(error);
      reportError(out, isInterrupt(error, signal) ? interruptedReport() : errorReport(error));
    }
    await flushSaves();
    process.exitCode = code;
  };
}

function interruptedReport() {
  return { code: 'INTERRUPTED', message: '[@sf/cli] interrupted (Ctrl-C): the request was aborted' };
}

/** Prints an error: one line on stderr, or `{ "error": ... }` on stdout under --json. */
export function reportError(out: Output, report: { code: string; message: string; hint?: string }): void {
  if (out.json) {
    out.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
    return;
  }
  // One line: Salesforce's own messages may hold line breaks (a SOQL error's caret diagram).
  const message = report.message.replace(/\s*\n\s*/g, ' ');
  out.note(`error ${report.code}: ${message}${report.hint ? ` (${report.hint})` : ''}`);
}
