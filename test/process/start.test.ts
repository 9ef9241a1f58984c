// `npm start` as a person runs it: a real process on a real port, PGlite on
// disk, data surviving a restart, and a clean exit on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startGateway(dataDir: string, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), PGLITE_DIR: join(dataDir, 'pglite'), LOG_LEVEL: 'info', GATEWAY_ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let i = 0; i < 900 && !output.includes('listening'); i += 1) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const post = (port: number, query: string) =>
  fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then(
    (r) => r.json() as Promise<{ data?: Record<string, unknown> }>,
  );

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves GraphiQL on embedded PGlite, keeps data across a restart, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ig-start-'));
    dirs.push(dataDir);
    const port = await freePort();

    const first = await startGateway(dataDir, port);
    expect(first.output()).toContain('DEV MODE');
    const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('GraphiQL');
    const created = await post(port, 'mutation { createUser(input: { email: "keep@example.com", username: "keep" }) { __typename } }');
    expect(created.data).toEqual({ createUser: { __typename: 'CreateUserPayload' } });
    expect(await stop(first.child)).toBe(0);

    const second = await startGateway(dataDir, port);
    const found = await post(port, '{ user(email: "keep@example.com") { username } }');
    expect(found.data).toEqual({ user: { username: 'keep' } });
    expect(await stop(second.child)).toBe(0);
    expect(second.output()).toContain('stopped');
  }, 180_000);
});
