// The Dockerfile's runtime stage, run on this machine (no image can be built
// here): its COPY steps from a fresh `npm run build`, its `npm ci`, its ENV,
// its CMD and its HEALTHCHECK, in a clean directory with no sources and no
// dev dependencies. Parsed from the Dockerfile, so a step that stops working
// fails here.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GATEWAY_ENV_ASSIGNMENTS, GATEWAY_NODE_FLAGS, GATEWAY_RUNTIME_ENV } from '../../scripts/node-flags.ts';
import { answers, freePort, run } from './child.ts';

const ROOT = join(import.meta.dirname, '../..');

interface RuntimeStage {
  env: Record<string, string>;
  copies: Array<{ from: string; to: string }>;
  runs: string[];
  cmd: string[];
  healthcheck: string[];
}

/** The instructions of the stage named `runtime` (one instruction per line, as the Dockerfile is written). */
function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile.split('\n').map((line) => line.trim());
  const start = lines.findIndex((line) => /^FROM \S+ AS runtime$/i.test(line));
  expect(start, 'a stage named runtime').toBeGreaterThanOrEqual(0);
  const stage: RuntimeStage = { env: {}, copies: [], runs: [], cmd: [], healthcheck: [] };
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('FROM ')) break;
    const [instruction = '', ...rest] = line.split(' ');
    const args = rest.join(' ');
    if (instruction === 'ENV') for (const pair of rest) stage.env[pair.split('=')[0] ?? ''] = pair.split('=').slice(1).join('=');
    if (instruction === 'COPY') {
      const parts = rest.filter((part) => !part.startsWith('--chown'));
      const fromBuild = parts[0] === '--from=build';
      const paths = fromBuild ? parts.slice(1) : parts;
      const to = paths.pop() ?? '';
      // The build stage works in /app: its outputs are what `npm run build` leaves here.
      for (const from of paths) stage.copies.push({ from: fromBuild ? from.replace(/^\/app\//, '') : from, to });
    }
    if (instruction === 'RUN') stage.runs.push(args);
    if (instruction === 'CMD') stage.cmd = JSON.parse(args) as string[];
    if (instruction === 'HEALTHCHECK') stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
  }
  return stage;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the Dockerfile runtime stage', () => {
  it('installs production dependencies only, starts with node dist/main.js and the heap flags, passes its health check and exits 0 on SIGTERM', async () => {
    const stage = runtimeStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    // The same heap settings as `npm start` and the bench (scripts/node-flags.ts).
    expect(stage.cmd).toEqual(['node', ...GATEWAY_NODE_FLAGS, 'dist/main.js']);
    expect(stage.copies.map((copy) => copy.from)).toEqual(expect.arrayContaining(['dist', 'drizzle']));
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBe('tsx scripts/build.ts');
    expect(scripts.start).toBe(`${GATEWAY_ENV_ASSIGNMENTS} exec node ${GATEWAY_NODE_FLAGS.join(' ')} dist/main.js`);

    // The build stage's `npm run build`, written to a directory of its own
    // so that a concurrent `npm start` test keeps its dist/.
    const build = await mkdtemp(join(tmpdir(), 'ig-build-'));
    dirs.push(build);
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts'), join(build, 'dist')], { cwd: ROOT, stdio: 'pipe' });

    const app = await mkdtemp(join(tmpdir(), 'ig-artefact-'));
    dirs.push(app);
    for (const { from, to } of stage.copies) {
      const target = to === './' || to === '.' ? join(app, from.split('/').pop() ?? from) : join(app, to);
      cpSync(from === 'dist' ? join(build, 'dist') : join(ROOT, from), target, { recursive: true });
    }
    for (const command of stage.runs.filter((line) => line.startsWith('npm '))) {
      // The machine's npm cache holds every package already; only the registry's metadata may be asked for.
      const result = spawnSync('sh', ['-c', `${command} --prefer-offline`], { cwd: app, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
    }
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/graphql-yoga'))).toBe(true);
    for (const devOnly of ['tsx', 'typescript', 'vitest', 'playwright-core']) expect(existsSync(join(app, 'node_modules', devOnly)), devOnly).toBe(false);

    const port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...stage.env,
      // Loopback instead of the container's 0.0.0.0, and a data directory of its own.
      HOST: '127.0.0.1',
      PORT: String(port),
      PGLITE_DIR: join(app, 'data/pglite'),
      GATEWAY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'),
    };
    expect(env.NODE_ENV).toBe('production');
    // The same malloc setting as `npm start` and the bench (scripts/node-flags.ts).
    expect(env).toMatchObject(GATEWAY_RUNTIME_ENV);
    const [command = '', ...args] = stage.cmd;
    const gateway = await run(command === 'node' ? process.execPath : command, args, { cwd: app, env, ready: 'listening' });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const [checkCommand = '', ...checkArgs] = stage.healthcheck;
    const check = spawnSync(checkCommand === 'node' ? process.execPath : checkCommand, checkArgs, { env, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    // Production: GraphiQL is off.
    expect(await (await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } })).text()).not.toContain('<html');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(await answers(port)).toBe(false);
  }, 300_000);
});
