// The `nodes(ids:)` flood of issue 19, measured: anonymous clients posting
// 15,000 ids (about 900 kB) each, against a gateway started from a source
// tree (this one, or an older checkout for the "before" figures):
//   npx tsx bench/nodes-flood.ts [source dir] [seconds]
// Prints the server time of one flood request (sequential, no contention),
// then an admin's trivial query p50/p95 alone and under 16 flooding clients.
// Figures are in docs/operations.md ("Hardening").
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const SOURCE = resolve(process.argv[2] ?? '.');
const SECONDS = Number(process.argv[3] ?? 10);
const FLOODERS = 16;
const ADMIN = `bench-admin-${randomBytes(12).toString('hex')}`;

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SOURCE,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      PGLITE_DIR: 'memory://',
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
      GATEWAY_ADMIN_TOKEN: ADMIN,
      GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'),
      RETRY_WORKER_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i += 1) {
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ready) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the gateway did not start');
}

const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
const FLOOD = JSON.stringify({
  query: 'query Flood($ids: [ID!]!) { nodes(ids: $ids) { id } }',
  variables: { ids: Array.from({ length: 15_000 }, () => Buffer.from(`User:${randomUUID()}`).toString('base64')) },
});
const TRIVIAL = JSON.stringify({ query: '{ users(first: 1) { totalCount } }' });

async function timed(port: number, body: string, token?: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url(port), { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

async function adminLatencies(port: number, until: number): Promise<number[]> {
  const latencies: number[] = [];
  while (performance.now() < until) latencies.push((await timed(port, TRIVIAL, ADMIN)).ms);
  return latencies;
}

async function main(): Promise<void> {
  const port = await freePort();
  const child = await start(port);
  try {
    for (let i = 0; i < 20; i += 1) await timed(port, TRIVIAL, ADMIN);
    const flood: number[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 30; i += 1) {
      const { ms, status } = await timed(port, FLOOD);
      flood.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const alone = await adminLatencies(port, performance.now() + SECONDS * 500);
    let flooding = true;
    let floodRequests = 0;
    const flooders = Array.from({ length: FLOODERS }, async () => {
      while (flooding) {
        const { status } = await timed(port, FLOOD);
        floodRequests += 1;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    const contended = await adminLatencies(port, performance.now() + SECONDS * 1000);
    flooding = false;
    await Promise.all(flooders);
    console.log(
      JSON.stringify(
        {
          source: SOURCE,
          floodRequestMs: { p50: round(percentile(flood, 50)), p95: round(percentile(flood, 95)) },
          floodStatuses: Object.fromEntries(statuses),
          adminAloneMs: { p50: round(percentile(alone, 50)), p95: round(percentile(alone, 95)), n: alone.length },
          adminUnderFloodMs: { p50: round(percentile(contended, 50)), p95: round(percentile(contended, 95)), n: contended.length },
          floodRequestsServed: floodRequests,
        },
        null,
        2,
      ),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
