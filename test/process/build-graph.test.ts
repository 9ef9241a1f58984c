// What `npm run build` makes node load at start: modules a gateway may never
// need (PGlite and its Drizzle driver on Postgres, ioredis without
// REDIS_URL) sit behind dynamic imports, in chunks of their own, so that a
// gateway on Postgres without Redis does not hold them in memory (about 10 MB
// of RSS idle, docs/performance.md, change 29). Read from esbuild's
// metafile of the production build: a static import that drags one of them
// back into the start-up graph fails here.
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { serverBuildOptions } from '../../scripts/build.ts';

const ROOT = join(import.meta.dirname, '../..');

// What src/main.ts imports dynamically at every start, while the store opens.
const STARTUP_IMPORTS = ['src/compose.ts', 'src/server.ts', 'src/domain/retry-worker.ts'];

/**
 * Every output file a start loads (main.js, what it imports statically, and
 * the start-up chunks main.ts imports dynamically, with theirs), and the
 * packages they import from node_modules.
 */
function loadedAtStart(metafile: Metafile): { outputs: Set<string>; externals: Set<string> } {
  const entry = Object.keys(metafile.outputs).find((path) => metafile.outputs[path]?.entryPoint !== undefined);
  if (!entry) throw new Error('the build has no entry point');
  const outputs = new Set<string>([entry]);
  const externals = new Set<string>();
  const queue = [entry];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      const startup = imported.kind === 'import-statement' || (imported.kind === 'dynamic-import' && STARTUP_IMPORTS.includes(metafile.outputs[imported.path]?.entryPoint ?? ''));
      if (!startup) continue;
      if (imported.external) externals.add(imported.path);
      else if (!outputs.has(imported.path)) {
        outputs.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return { outputs, externals };
}

describe('the production build', () => {
  it('loads PGlite and ioredis only through dynamic imports', async () => {
    const result = await build({ ...serverBuildOptions([join(ROOT, 'src/main.ts')], join(ROOT, 'dist-graph-check')), absWorkingDir: ROOT, metafile: true, write: false, logLevel: 'silent' });
    const { outputs, externals } = loadedAtStart(result.metafile);
    const inputs = [...outputs].flatMap((output) => Object.keys(result.metafile.outputs[output]?.inputs ?? {}));

    // The start-up graph is the gateway itself: the store, the server and the rate limiter are in it.
    expect(inputs).toEqual(expect.arrayContaining(['src/main.ts', 'src/store/client.ts', 'src/server.ts', 'src/http/rate-limit.ts']));
    expect(externals).toContain('pg');
    // And the optional parts are not.
    expect(inputs.filter((input) => input === 'src/store/pglite-store.ts' || input.includes('node_modules/ioredis/') || input.includes('drizzle-orm/pglite/'))).toEqual([]);
    expect([...externals].filter((name) => name.startsWith('@electric-sql/pglite') || name === 'ioredis')).toEqual([]);

    // They are still in the build, behind a dynamic import.
    const everything = Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(everything).toContain('src/store/pglite-store.ts');
    expect(everything.some((input) => input.includes('node_modules/ioredis/'))).toBe(true);
  }, 120_000);
});
