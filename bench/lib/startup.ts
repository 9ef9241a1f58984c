// Start-up time as an operator sees it: from spawning `node dist/main.js`
// (what `npm start` and the container run) to the first `/readyz` 200, on a
// fresh and on an existing PGlite directory, and on a fresh and on an
// already migrated Postgres database.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS, GATEWAY_RUNTIME_ENV } from '../../scripts/node-flags.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

export interface StartupCase {
  label: string;
  /** Milliseconds from spawn to the first /readyz 200, one per run. */
  runs: number[];
}

export interface StartupOptions {
  runs: number;
  env: Record<string, string | undefined>;
  /** A loopback Postgres server to create the measured databases on; omitted: PGlite cases only. */
  postgres?: { adminUrl: string; create(name: string): Promise<void>; drop(name: string): Promise<void>; urlOf(name: string): string };
  progress(message: string): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One start: spawn as `npm start` does (its flags and environment), poll /readyz every 10 ms, stop with SIGTERM. */
async function timeToReady(env: Record<string, string | undefined>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, 'dist/main.js'], { cwd: ROOT, env: { ...env, ...GATEWAY_RUNTIME_ENV, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}) before /readyz answered 200\n${stderr}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`no /readyz 200 after ${READY_TIMEOUT_MS / 1000} s\n${stderr}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function measureStartup(options: StartupOptions): Promise<StartupCase[]> {
  // What `npm start` does first: compile when dist/ is missing or stale.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('could not build dist/');
  const base = { ...options.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', GATEWAY_ADMIN_TOKEN: `bench-${randomBytes(12).toString('hex')}`, GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'), DATABASE_URL: '' };
  const cases: StartupCase[] = [
    { label: 'PGlite, fresh directory (initdb + migrations)', runs: [] },
    { label: 'PGlite, existing directory', runs: [] },
  ];
  for (let run = 0; run < options.runs; run += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'ig-bench-startup-'));
    try {
      const env = { ...base, PGLITE_DIR: join(dir, 'pglite') };
      options.progress(`start-up ${run + 1}/${options.runs}: PGlite`);
      cases[0]?.runs.push(await timeToReady(env));
      cases[1]?.runs.push(await timeToReady(env));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const { postgres } = options;
  if (!postgres) return cases;
  const fresh: StartupCase = { label: 'Postgres, fresh database (migrations)', runs: [] };
  const existing: StartupCase = { label: 'Postgres, migrated database', runs: [] };
  for (let run = 0; run < options.runs; run += 1) {
    const name = `ig_bench_startup_${randomBytes(4).toString('hex')}`;
    await postgres.create(name);
    try {
      const env = { ...base, DATABASE_URL: postgres.urlOf(name) };
      options.progress(`start-up ${run + 1}/${options.runs}: Postgres`);
      fresh.runs.push(await timeToReady(env));
      existing.runs.push(await timeToReady(env));
    } finally {
      await postgres.drop(name);
    }
  }
  return [...cases, fresh, existing];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
