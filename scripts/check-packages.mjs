// Release checks for every package, as a publish from a clean checkout would ship it: packs the
// package (prepack builds it), then checks the tarball's contents, runs publint on the package
// and @arethetypeswrong/cli on the tarball. Exits non-zero on the first kind of failure found.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const failures = [];

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

for (const dir of readdirSync(packagesDir).sort()) {
  const cwd = join(packagesDir, dir);
  const out = mkdtempSync(join(tmpdir(), `pack-${dir}-`));
  try {
    run('pnpm', ['pack', '--pack-destination', out], cwd);
    const tarball = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.tgz')),
    );
    const files = run('tar', ['-tzf', tarball], cwd)
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const needed of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
    ]) {
      if (!files.includes(needed)) failures.push(`${dir}: the tarball has no ${needed}`);
    }
    if (files.some((f) => f.endsWith('.tsbuildinfo')))
      failures.push(`${dir}: the tarball holds a .tsbuildinfo`);
    try {
      run('pnpm', ['exec', 'publint', '--strict'], cwd);
    } catch (error) {
      failures.push(`${dir}: publint\n${error.stdout}${error.stderr}`);
    }
    try {
      // ESM only: CommonJS callers load it with require(esm) on Node 20.19+, which attw's
      // node16-from-CJS check does not model, so that check (and node10) are not applied.
      run('pnpm', ['exec', 'attw', tarball, '--profile', 'esm-only', '--format', 'table-flipped'], cwd);
    } catch (error) {
      failures.push(`${dir}: attw\n${error.stdout}${error.stderr}`);
    }
    console.log(`${dir}: ${files.length} files packed, checked`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (failures.length > 0) {
  console.error(`\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('every package packs with dist, LICENSE, README and CHANGELOG; publint and attw pass');
