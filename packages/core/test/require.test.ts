import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/index.js', import.meta.url));

// CommonJS callers load the ESM build through Node's require(esm) (Node 20.19+). Run in a
// plain node process, as a user's CommonJS app would, not through the test runner's loader.
describe.skipIf(!built)('require() from CommonJS', () => {
  it('loads @sf/core', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const c = require('@sf/core'); console.log(typeof c.createConnection, typeof c.SalesforceError)",
      ],
      { cwd: packageDir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
  });
});
