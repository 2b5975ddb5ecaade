// The root README's demo command and every package as an app installs it: built ESM loaded by
// import and by require() (Node 20.19+ require(esm)), each in a plain node process.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const demoDir = fileURLToPath(new URL('..', import.meta.url));
// Every package folder: a new package is covered without editing this list.
const packages = readdirSync(fileURLToPath(new URL('../../packages', import.meta.url))).sort();
const built = packages.every((name) =>
  existsSync(new URL(`../../packages/${name}/dist/index.js`, import.meta.url)),
);

describe.skipIf(!built)('as a user runs it', () => {
  it('pnpm demo: every section runs against the embedded emulator and it ends with Done.', async () => {
    const { stdout } = await run(process.execPath, ['demo.mjs'], { cwd: demoDir, timeout: 60_000 });
    for (const section of [
      '@sf/auth',
      '@sf/query',
      '@sf/streaming',
      '@sf/sobject',
      '@sf/bulk',
      '@sf/client',
      '@sf/core: resilience',
    ]) {
      expect(stdout).toContain(section);
    }
    expect(stdout).toMatch(/find\(\)\.update\(\): \d+ renamed through Bulk API 2\.0/);
    expect(stdout.trim().endsWith('Done.')).toBe(true);
  });

  for (const name of packages) {
    it(`@sf/${name} loads from its build by import and by require()`, async () => {
      const script = `
        const viaRequire = require('@sf/${name}');
        import('@sf/${name}').then((viaImport) => {
          const names = Object.keys(viaImport).filter((k) => k !== 'default' && k !== 'module.exports');
          const same = names.every((k) => viaRequire[k] === viaImport[k]);
          console.log(JSON.stringify({ count: names.length, same }));
        });`;
      // From the package's own folder: it resolves its own name through its "exports", as a
      // dependent app resolves it.
      const cwd = fileURLToPath(new URL(`../../packages/${name}`, import.meta.url));
      const { stdout } = await run(process.execPath, ['-e', script], { cwd, timeout: 30_000 });
      const { count, same } = JSON.parse(stdout.trim()) as { count: number; same: boolean };
      expect(count).toBeGreaterThan(0);
      expect(same).toBe(true);
    });
  }
});
