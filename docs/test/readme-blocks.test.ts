// README code is code: every runnable block of every README and guide runs, as written, in a
// plain node process against a fresh emulator, and every `ts` block type-checks under a strict
// user's tsconfig. The org's details reach a block the way the root README tells a reader to
// get them: environment variables (`pnpm emulator` prints them).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Emulator, README_FIXTURE, startEmulator } from '@sf/emulator';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { type CodeBlock, repoRoot, runnableBlocks } from './blocks.js';

const run = promisify(execFile);
const blocksDir = join(repoRoot, 'docs', '.blocks');
// Every package folder: a new package is covered without editing this list.
const packages = readdirSync(join(repoRoot, 'packages')).sort();
// Blocks import the packages' builds, as an app would: `pnpm test` builds first.
const built = packages.every((name) => existsSync(join(repoRoot, 'packages', name, 'dist', 'index.js')));
const blocks = runnableBlocks();

/** What a block finds in its environment: the org, as `pnpm emulator` prints it (and starts it). */
export function blockEnvironment(emu: Emulator): Record<string, string> {
  const token = emu.issueToken();
  const c = emu.credentials;
  return {
    SF_INSTANCE_URL: emu.instanceUrl,
    SF_LOGIN_URL: emu.loginUrl,
    SF_ACCESS_TOKEN: token.accessToken,
    SF_REFRESH_TOKEN: token.refreshToken,
    SF_IDENTITY_URL: token.id,
    SF_USERNAME: c.username,
    SF_PASSWORD: `${c.password}${c.securityToken}`,
    SF_CLIENT_ID: c.clientId,
    SF_CLIENT_SECRET: c.clientSecret,
    ...(emu.pubsubUrl ? { SF_PUBSUB_ENDPOINT: emu.pubsubUrl } : {}),
  };
}

function moduleFile(block: CodeBlock, ext: string): string {
  mkdirSync(blocksDir, { recursive: true });
  return join(blocksDir, `${block.slug}.${ext}`);
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe.skipIf(!built)('README and guide code blocks run as written', () => {
  it('finds the blocks (a README without one would make this suite vacuous)', () => {
    expect(blocks.length).toBeGreaterThan(60);
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line} runs against a fresh emulator`, async () => {
      const js = ts.transpileModule(block.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: `${block.slug}.${block.lang === 'ts' ? 'mts' : 'mjs'}`,
      }).outputText;
      const file = moduleFile(block, 'mjs');
      writeFileSync(file, js);
      emu = await startEmulator({ port: 0, ...README_FIXTURE });
      // Files a block writes (contacts.csv) land in a scratch folder, not the repository.
      const cwd = mkdtempSync(join(tmpdir(), 'readme-block-'));
      try {
        await run(process.execPath, [file], {
          cwd,
          timeout: 60_000,
          env: { ...process.env, ...blockEnvironment(emu) },
        });
      } catch (error) {
        const e = error as { stderr?: string; stdout?: string; message: string };
        throw new Error(
          `${block.file}:${block.line} failed:\n${e.stderr || e.message}\n--- stdout ---\n${e.stdout ?? ''}`,
        );
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }

  it('every ts block type-checks under a strict tsconfig, as a user compiles it', () => {
    const tsBlocks = blocks.filter((b) => b.lang === 'ts');
    const files = tsBlocks.map((block) => {
      const file = moduleFile(block, 'mts');
      writeFileSync(file, block.code);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where =
        d.file && d.start !== undefined
          ? (() => {
              const block = tsBlocks[files.indexOf(d.file.fileName)];
              const { line } = d.file.getLineAndCharacterOfPosition(d.start);
              return block ? `${block.file}:${block.line + 1 + line}` : d.file.fileName;
            })()
          : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });
});
