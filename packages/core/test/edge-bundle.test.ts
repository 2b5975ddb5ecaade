// Edge runtimes (issue 15 item 4): an app that imports @sf/core with the fetch transport, bundled
// for a runtime without Node.js (esbuild's `neutral` platform, as for Cloudflare Workers or Vercel
// Edge), must not pull in undici or any Node built-in. The `node` export condition picks undici
// (package.json "imports": `#undici`, `#platform-transport`); without it, fetch.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, emulator } from './helpers.js';

const coreDir = fileURLToPath(new URL('..', import.meta.url));

const ENTRY = `
import { createConnection, createFetchTransport } from '@sf/core';

export async function run(instanceUrl, token, explicit) {
  const conn = createConnection({
    instanceUrl,
    auth: token,
    ...(explicit ? { transport: createFetchTransport(fetch) } : {}),
  });
  return conn.versions();
}
`;

async function bundle(platform: 'neutral' | 'node', contents = ENTRY): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: coreDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    // The source condition bundles src/ as the tests run it; the published dist/ resolves the same way.
    conditions: ['source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await emulator();
  dir = mkdtempSync(join(tmpdir(), 'core-edge-'));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a neutral-platform bundle of core with the fetch transport', () => {
  it('has no node: import, no bare Node built-in and no undici', async () => {
    const code = await bundle('neutral');
    expect(code).toContain('createFetchTransport');
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(
      /\bfrom\s*["'](stream|events|fs|path|http|https|net|tls|url|buffer|util|crypto|os)["']/,
    );
    expect(code).not.toMatch(/\brequire\(/);
    expect(code.toLowerCase()).not.toContain('undici');
  });

  it('holds none of them even with every export of the main entry kept', async () => {
    // createUndiciTransport included: outside Node it is the stub that names the fetch transport.
    const code = await bundle('neutral', "export * from '@sf/core';");
    expect(code).toContain('createUndiciTransport needs Node.js');
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code.toLowerCase()).not.toMatch(/from\s*["']undici/);
  });

  it('runs: the default transport there is fetch, and an explicit fetch transport works too', async () => {
    const file = join(dir, 'neutral.mjs');
    writeFileSync(file, await bundle('neutral'));
    const { run } = (await import(pathToFileURL(file).href)) as {
      run: (url: string, token: string, explicit: boolean) => Promise<Array<{ version: string }>>;
    };
    const token = emu.issueToken().accessToken;
    expect((await run(emu.instanceUrl, token, false)).length).toBeGreaterThan(0);
    expect((await run(emu.instanceUrl, token, true)).length).toBeGreaterThan(0);
  });

  it('a bundle for Node keeps undici as the default transport', async () => {
    const code = await bundle('node');
    expect(code.toLowerCase()).toContain('undici');
  });
});
