// `npm run build`: src/main.ts and everything it imports, our modules and
// the packages but a few (EXTERNAL_PACKAGES), bundled by esbuild into
// dist/main.js plus chunks for what is loaded later (the GraphQL stack
// main.ts imports while the store opens, GraphiQL's page on its first
// visit). Node then reads a few large files instead of resolving and loading
// about 1,500 modules: start-up to /readyz on a migrated Postgres fell from
// 1.37-1.46 s to 0.7-0.75 s (docs/performance.md, change 26). Types are
// checked by `npm run typecheck`, not here. Usage: tsx scripts/build.ts
// [outdir], default dist.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Left to node_modules:
 * - PGlite loads its WebAssembly and data files beside its own module;
 * - OpenTelemetry's SDK is large and imported only when tracing is on (its
 *   API stays outside too, so the SDK and the gateway share one copy of its
 *   global registry); pg-native is pg's optional native driver, never installed;
 * - the CommonJS packages on every request's path. With them bundled,
 *   scenario 1 of the bench cost 0.5–1.0 ms more CPU per request in four
 *   alternating runs against a build with every package outside (the cause
 *   was not isolated; esbuild's CommonJS wrappers are the suspect); with
 *   these outside it measured the same or better (docs/performance.md,
 *   change 26).
 */
const EXTERNAL_PACKAGES = ['@electric-sql/pglite', '@opentelemetry/*', 'pg-native', 'graphql', 'pg', 'dataloader', 'pino', 'prom-client'];

/** The options every build of a server shares (production's and the bench's, bench/lib/child.ts). */
export function serverBuildOptions(entryPoints: string[], outdir: string): BuildOptions {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL_PACKAGES,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    // Whitespace, comments and redundant syntax out; names kept, so stack
    // traces and profiles still name our functions (the source map beside
    // each file gives lines). V8 keeps every loaded file's source in the
    // heap: the main file shrinks from 2.9 to 2.1 MB, and the gateway's
    // peak RSS at 64 connections by 7-12 MB at the same CPU
    // (docs/performance.md, change 32).
    minifyWhitespace: true,
    minifySyntax: true,
    // CommonJS packages inside an ESM bundle still call require() for Node's
    // built-ins; esbuild's shim throws unless a real require is in scope.
    banner: { js: "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? `${ROOT}dist`;
  rmSync(outdir, { recursive: true, force: true });
  await build({ ...serverBuildOptions([`${ROOT}src/main.ts`], outdir), absWorkingDir: ROOT });
}
