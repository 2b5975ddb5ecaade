// `sfx describe OBJECT`, `sfx limits`, `sfx api METHOD PATH` (raw REST, like `gh api`) and
// `sfx apex run FILE` (Tooling API executeAnonymous).
import { readFile } from 'node:fs/promises';
import { describe, executeAnonymous } from '@sf/sobject';
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { cliError, EXIT } from '../errors.js';
import { openOrg } from '../org.js';
import { writeText } from '../output.js';

async function describeObject(ctx: Context, object: string): Promise<number> {
  const { conn } = await openOrg(ctx.options);
  const d = await describe(conn, object, { signal: ctx.signal });
  const fields = d.fields.map((f) => ({
    name: f.name,
    label: f.label,
    type: f.type,
    length: f.length,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    externalId: f.externalId,
    ...((f as { referenceTo?: string[] }).referenceTo?.length
      ? { referenceTo: (f as { referenceTo?: string[] }).referenceTo }
      : {}),
  }));
  await ctx.out.result(
    { name: d.name, label: d.label, custom: d.custom, keyPrefix: d.keyPrefix ?? null, fields },
    () => {
      const width = Math.max(4, ...fields.map((f) => f.name.length));
      const typeWidth = Math.max(4, ...fields.map((f) => f.type.length));
      const rows = fields.map((f) => {
        const flags = [
          f.nillable ? '' : 'required',
          f.externalId ? 'external id' : '',
          f.createable ? '' : 'read-only',
        ]
          .filter(Boolean)
          .join(', ');
        const ref = f.referenceTo ? ` → ${f.referenceTo.join(', ')}` : '';
        return `${f.name.padEnd(width)}  ${f.type.padEnd(typeWidth)}  ${f.label}${ref}${flags ? ` (${flags})` : ''}`;
      });
      return [
        `${d.name} (${d.label}), ${fields.length} fields`,
        '',
        `${'NAME'.padEnd(width)}  ${'TYPE'.padEnd(typeWidth)}  LABEL`,
        ...rows,
      ].join('\n');
    },
  );
  return 0;
}

async function limits(ctx: Context): Promise<number> {
  const { conn } = await openOrg(ctx.options);
  const all = await conn.fetchLimits({ signal: ctx.signal });
  await ctx.out.result(all, () => {
    const names = Object.keys(all);
    const width = Math.max(...names.map((n) => n.length));
    return names
      .map((name) => {
        const { Max, Remaining } = all[name] as { Max: number; Remaining: number };
        return `${name.padEnd(width)}  ${String(Remaining).padStart(12)} / ${Max} remaining`;
      })
      .join('\n');
  });
  return 0;
}

interface ApiOptions {
  field?: string[];
  input?: string;
  header?: string[];
}

async function api(ctx: Context, method: string, path: string, o: ApiOptions): Promise<number> {
  const verb = method.toUpperCase();
  if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'].includes(verb)) {
    throw cliError(
      'INVALID_ARGUMENT',
      `METHOD must be GET, POST, PATCH, PUT, DELETE or HEAD, got '${method}'`,
    );
  }
  const { conn } = await openOrg(ctx.options);
  let body: unknown;
  if (o.input) {
    const text = o.input === '-' ? await readStdin() : await readFile(o.input, 'utf8');
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw cliError('INVALID_ARGUMENT', `--input must hold JSON: ${(error as Error).message}`, error);
    }
  } else if (o.field?.length) {
    const fields: Record<string, unknown> = {};
    for (const pair of o.field) {
      const at = pair.indexOf('=');
      if (at < 1) throw cliError('INVALID_ARGUMENT', `--field wants key=value, got '${pair}'`);
      const raw = pair.slice(at + 1);
      fields[pair.slice(0, at)] =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw === 'null'
              ? null
              : /^-?\d+(\.\d+)?$/.test(raw)
                ? Number(raw)
                : raw;
    }
    body = fields;
  }
  const headers: Record<string, string> = {};
  for (const h of o.header ?? []) {
    const at = h.indexOf(':');
    if (at < 1) throw cliError('INVALID_ARGUMENT', `--header wants 'Name: value', got '${h}'`);
    headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  }
  const answer = await conn.request({
    method: verb,
    path: path.replace(/^\/services\/data\/v[\d.]+\//, ''),
    ...(body === undefined ? {} : { body }),
    headers,
    signal: ctx.signal,
  });
  // The answer is printed as JSON whatever --json says: it is the API's own output.
  if (answer !== undefined) await writeText(ctx.out.stdout, `${JSON.stringify(answer, null, 2)}\n`);
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function apexRun(ctx: Context, file: string): Promise<number> {
  const code =
    file === '-'
      ? await readStdin()
      : await readFile(file, 'utf8').catch((error: Error) => {
          throw cliError('INVALID_ARGUMENT', `cannot read ${file}: ${error.message}`, error);
        });
  const { conn } = await openOrg(ctx.options);
  const result = await executeAnonymous(conn, code, { signal: ctx.signal });
  await ctx.out.result(result, () => {
    if (!result.compiled)
      return `Compile error at line ${result.line}, column ${result.column}: ${result.compileProblem}`;
    if (!result.success) return `Exception: ${result.exceptionMessage}\n${result.exceptionStackTrace ?? ''}`;
    return 'Executed successfully.';
  });
  return result.success ? 0 : EXIT.failed;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `describe`, `limits`, `api` and `apex run`. */
export function orgInfoCommands(program: Command): void {
  program
    .command('describe <object>')
    .description("an sObject's fields: name, type, label, required, external id")
    .action(action((ctx, object: string) => describeObject(ctx, object)));
  program
    .command('limits')
    .description("the org's limits (remaining / max)")
    .action(action((ctx) => limits(ctx)));
  program
    .command('api <method> <path>')
    .description(
      "a raw REST request, relative to the API root (e.g. 'sobjects/Account/describe'); prints the JSON answer",
    )
    .option(
      '-F, --field <key=value>',
      'a JSON body field (repeatable; numbers, true, false, null typed)',
      collect,
    )
    .option('--input <file>', "the JSON body from a file ('-' for stdin)")
    .option('-H, --header <header>', "a request header 'Name: value' (repeatable)", collect)
    .action(action((ctx, method: string, path: string, o: ApiOptions) => api(ctx, method, path, o)));
  program
    .command('apex')
    .description('anonymous Apex')
    .command('run <file>')
    .description(
      "run anonymous Apex from a file ('-' for stdin) through the Tooling API; exit 1 when it does not compile or throws",
    )
    .action(action((ctx, file: string) => apexRun(ctx, file)));
}
