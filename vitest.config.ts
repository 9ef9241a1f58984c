import { defineConfig } from 'vitest/config';

// The suite runs once per store: always on embedded PGlite, and again on a
// real Postgres when DATABASE_URL is set (CI sets it). Workers are not
// isolated so each one boots and migrates PGlite once and clones it per file.
const projects = [
  { extends: true as const, test: { name: 'pglite', provide: { storeKind: 'pglite' as const } } },
  ...(process.env.DATABASE_URL
    ? [
        {
          extends: true as const,
          test: {
            name: 'postgres',
            // Tests that never touch the store run once, in the pglite project.
            exclude: ['test/process/**', 'test/config.test.ts', 'test/schema-drift.test.ts', 'test/backends/http.test.ts', 'test/backends/scram.test.ts', 'test/domain/**'],
            provide: { storeKind: 'postgres' as const },
            globalSetup: ['test/support/postgres-template.ts'],
          },
        },
      ]
    : []),
];

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (no exports map) for the
  // externalised yoga; vite would pick the .mjs build for our sources. Two
  // copies break `instanceof GraphQLError`, so both must load the same file.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Fails a file whose gateways logged any secret the file used or was shown.
    setupFiles: ['./test/support/no-secrets-in-logs.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects,
  },
});
