// A gateway as its own process (`src/main.ts`), for tests where a process
// dies, drains or must refuse to start: real signals, real sockets.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ChildGateway {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  kill(signal: NodeJS.Signals): void;
}

/** Spawns the gateway; `waitFor` (default: listening) is awaited in its output, or its exit. */
export async function startChildGateway(env: Record<string, string>, options: { waitFor?: string | RegExp } = {}): Promise<ChildGateway> {
  const port = Number(env.PORT ?? (await freePort()));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', GATEWAY_ADMIN_TOKEN: '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = options.waitFor ?? 'listening';
  const seen = () => (typeof waitFor === 'string' ? output.includes(waitFor) : waitFor.test(output));
  for (let i = 0; i < 1200 && !seen() && child.exitCode === null; i += 1) await new Promise((r) => setTimeout(r, 50));
  return {
    child,
    port,
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
    async graphql<T>(query: string, variables?: Record<string, unknown>) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: T; errors?: unknown[] };
    },
  };
}

/** Polls `check` until it holds; a bounded number of tries, not a timed assertion. */
export async function eventually(check: () => Promise<boolean>, tries = 600, everyMs = 100): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met');
}
