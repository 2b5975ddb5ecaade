import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Every folder of packages/ with a package.json is a test project: a new package cannot be
// left out of `pnpm test` by forgetting a list here.
const packages = readdirSync(new URL('./packages/', import.meta.url), { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() && existsSync(new URL(`./packages/${entry.name}/package.json`, import.meta.url)),
  )
  .map((entry) => entry.name)
  .sort();

// Tests import workspace packages through their `source` export condition, so they run
// against src/ and never against a stale dist/. Vitest hands these to Node as --conditions
// too, so 'import' and 'module' stay out: with them, Node's require() inside CommonJS
// dependencies (express) would load ESM builds.
const conditions = ['source', 'node', 'development|production'];

export default defineConfig({
  test: {
    projects: [...packages.map((name) => `packages/${name}`), 'demo', 'docs'].map((root) => ({
      resolve: { conditions },
      ssr: { resolve: { conditions } },
      test: {
        name: root.replace('packages/', ''),
        root,
        include: ['test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 30_000,
        hookTimeout: 30_000,
        passWithNoTests: true,
      },
    })),
  },
});
