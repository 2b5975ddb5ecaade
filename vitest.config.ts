import { defineConfig } from 'vitest/config';

const packages = ['core', 'record-stream', 'auth', 'query', 'sobject', 'bulk', 'streaming', 'emulator'];

// Tests import workspace packages through their `source` export condition, so they run
// against src/ and never against a stale dist/.
const conditions = ['source', 'node', 'import', 'default'];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      extends: false,
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ['source'] } },
      test: {
        name,
        root: `packages/${name}`,
        include: ['test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 30_000,
        hookTimeout: 30_000,
        passWithNoTests: true,
      },
    })),
  },
});
