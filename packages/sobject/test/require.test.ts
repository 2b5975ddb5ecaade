import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/index.js', import.meta.url));

// CommonJS apps load the ESM build through require(esm) (Node 20.19+), in a plain node process.
describe.skipIf(!built)('require() from CommonJS', () => {
  it('loads @sf/sobject', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "const s = require('@sf/sobject'); console.log(typeof s.sobject, typeof s.apexRest)"],
      { cwd: packageDir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
  });
});
