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
            provide: { storeKind: 'postgres' as const },
            globalSetup: ['test/support/postgres-template.ts'],
          },
        },
      ]
    : []),
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects,
  },
});
