// `npm start` as a person runs it: builds dist/ when it is missing or stale,
// runs the compiled server on a real port with PGlite on disk, keeps data
// across a restart, and stops when the npm process itself gets SIGTERM:
// /readyz answers 503 first, then the server closes and nothing is left
// listening.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, freePort, post, run } from './child.ts';

const ROOT = join(import.meta.dirname, '../..');

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const gatewayEnv = (dataDir: string, port: number, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: '',
  GATEWAY_ADMIN_TOKEN: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  PORT: String(port),
  PGLITE_DIR: join(dataDir, 'pglite'),
  LOG_LEVEL: 'info',
  ...extra,
});

/**
 * Polls /readyz until it answers 503. Fails if the server stops answering
 * first, or if the signalled process exited while the server still answers
 * (an orphan, as when a shell between npm and node swallows the signal).
 */
async function readinessFails(port: number, signalled: { exited: Promise<unknown> }): Promise<void> {
  let exited = false;
  void signalled.exited.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    let status: number;
    try {
      status = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
    } catch {
      throw new Error('the server closed before /readyz answered 503');
    }
    if (status === 503) return;
    if (exited) throw new Error(`the signalled process exited but the server still answers /readyz ${status}: orphaned`);
    if (Date.now() > deadline) throw new Error('/readyz never answered 503 after SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('npm start', () => {
  it('runs the compiled gateway with offline GraphiQL, keeps data across a restart, and stops on SIGTERM to npm', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ig-start-'));
    dirs.push(dataDir);
    const port = await freePort();

    // The drain delay keeps the server up after SIGTERM long enough to see /readyz fail.
    const first = await run('npm', ['start'], { cwd: ROOT, env: gatewayEnv(dataDir, port, { SHUTDOWN_DELAY_MS: '3000' }), ready: 'listening', timeoutMs: 240_000 });
    expect(first.output()).toContain('DEV MODE');
    const page = await (await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<title>Identity Gateway</title>');
    expect(page).not.toContain('unpkg.com');
    const created = await post(port, 'mutation { createUser(input: { email: "keep@example.com", username: "keep" }) { __typename } }');
    expect(created.data).toEqual({ createUser: { __typename: 'CreateUserPayload' } });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // The signal goes to npm, as a process manager or a terminal sends it.
    first.child.kill('SIGTERM');
    await readinessFails(port, first);
    expect(await first.exited).toBe(0);
    expect(await answers(port)).toBe(false);
    expect(first.output()).toContain('stopped');

    // Restarted as the container runs it: plain node on the compiled output.
    const second = await run(process.execPath, ['dist/main.js'], { cwd: ROOT, env: gatewayEnv(dataDir, port), ready: 'listening' });
    const found = await post(port, '{ user(email: "keep@example.com") { username } }');
    expect(found.data).toEqual({ user: { username: 'keep' } });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('stopped');
  }, 360_000);
});
