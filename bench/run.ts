// `npm run bench [-- --quick] [-- --profile[=N]]`: seeds a bench store, starts
// the gateway, a hand-written baseline and the fake backends as separate
// processes on loopback, loads them with autocannon from this process, and
// writes a markdown report to stdout and bench/results/latest.md.
// docs/performance.md explains what is measured and why.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { GATEWAY_ENV_ASSIGNMENTS, GATEWAY_NODE_FLAGS, GATEWAY_RUNTIME_ENV } from '../scripts/node-flags.ts';
import { openStore } from '../src/store/client.ts';
import { backendEnv } from '../test/fakes/backend-env.ts';
import { benchFile, type ServerChild, spawnServer } from './lib/child.ts';
import { idleCpuMsPerSecond, interleaved, type LoadResult, postOnce, runLoad, statementsPerRequest } from './lib/load.ts';
import { type BulkResult, runBulk } from './lib/bulk.ts';
import { type GoalFigures, goalLines } from './lib/goals.ts';
import { rssAfterRounds } from './lib/memory.ts';
import { BENCH_SEED, seedBench } from './lib/seed.ts';
import { measureStartup, median, type StartupCase } from './lib/startup.ts';
import { CREATE_USER, globalId, NODE_LOOKUP, type OperationName, requestBody, SERVICES, USERS_WITH_POOL_LIST, USERS_WITH_POOLS, USERS_WITHOUT_POOLS } from './lib/scenarios.ts';
import { summariseFile } from './profile-summary.ts';

// ---------------------------------------------------------------- options

interface Options {
  mode: 'quick' | 'full';
  /** Scenario whose gateway run to CPU-profile instead of the full bench (`--profile[=N]`, default 1). */
  profile: number | undefined;
  seconds: number;
  warmupSeconds: number;
  writeSeconds: number;
  /** Alternating slices each measured run is split into (see `interleaved`). */
  rounds: number;
  connections: number;
  /** Scenario 4 measures latency, so it runs at low concurrency: the backends' overlap is the point, not the gateway's CPU queue. */
  writeConnections: number;
  /** Scenario 4's both-backends variant again at this many connections (the rate effect); skipped unless above `writeConnections`. */
  busyWriteConnections: number;
  backendLatencyMs: number;
  only: Set<number>;
  /** Scenario 1 again at this many connections, for peak RSS under concurrency (the issue's 64). */
  wideConnections: number;
  /** Seconds per round of the no-growth check (three rounds of scenario 1 on the gateway). */
  memoryRoundSeconds: number;
  /** Users the bulk measurement creates, and how many per createUsers call. */
  bulkUsers: number;
  bulkBatch: number;
  /** Node flags for the gateway process after npm start's own (experiments, e.g. GC tuning); reported in the header. */
  gatewayNodeFlags: string[];
  command: string;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => {
    const prefix = `--${name}=`;
    return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  };
  const quick = flag('quick');
  const number = (name: string, fallback: number) => {
    const text = value(name);
    const parsed = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const only = value('scenarios');
  return {
    mode: quick ? 'quick' : 'full',
    profile: flag('profile') ? 1 : value('profile') === undefined ? undefined : Number(value('profile')),
    seconds: number('seconds', quick ? 5 : 25),
    warmupSeconds: number('warmup', quick ? 2 : 5),
    writeSeconds: number('write-seconds', quick ? 4 : 15),
    rounds: number('rounds', quick ? 2 : 5),
    connections: number('connections', 10),
    writeConnections: number('write-connections', 2),
    busyWriteConnections: number('busy-write-connections', 8),
    wideConnections: number('wide-connections', 64),
    memoryRoundSeconds: number('memory-round-seconds', quick ? 3 : 10),
    bulkUsers: number('bulk-users', 1000),
    // 9 variable values per user: 200 keep a call under the default LIMIT_MAX_TOKENS (2,000).
    bulkBatch: number('bulk-batch', 200),
    backendLatencyMs: number('backend-latency', 50),
    only: new Set((only ?? '1,2,3,4,5').split(',').map(Number)),
    gatewayNodeFlags: (value('gateway-node-flags') ?? '').split(' ').filter((flag) => flag.length > 0),
    command: [...databaseUrlForDisplay(), 'npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
  };
}

/** `DATABASE_URL=…` as the report shows it: the command is reproducible, a password is not printed. */
function databaseUrlForDisplay(): string[] {
  const raw = process.env.DATABASE_URL;
  if (!raw) return [];
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return [`DATABASE_URL=${url.toString()}`];
}

// ---------------------------------------------------------------- helpers

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const started = performance.now();
// Other work on the machine moves every number; the report states how busy it was.
const loadAtStart = loadavg()[0] ?? 0;
const progress = (message: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '']);
/** Seconds of no requests over which the bench reads each server's idle CPU. */
const IDLE_SECONDS = 5;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  url: string | undefined;
  description: string;
  drop(): Promise<void>;
}

/** A fresh database on the DATABASE_URL server, dropped at the end; or PGlite inside the gateway process. */
async function prepareDatabase(): Promise<BenchDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    return { kind: 'pglite', url: undefined, description: 'embedded PGlite (in-memory, inside the gateway process)', drop: async () => undefined };
  }
  const host = new URL(adminUrl).hostname;
  // The bench creates and drops databases and saturates the server: only ever on this machine.
  if (!LOOPBACK.has(host)) throw new Error(`DATABASE_URL must point at a loopback Postgres for the bench (host is ${host})`);
  const name = `ig_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const version = await withClient(adminUrl, async (client) => {
    await client.query(`create database "${name}"`);
    const { rows } = await client.query<{ v: string }>(`select current_setting('server_version') as v`);
    return rows[0]?.v ?? '?';
  });
  return {
    kind: 'postgres',
    url: withDatabase(adminUrl, name),
    description: `Postgres ${version} on ${host} (fresh database \`${name}\`, dropped afterwards)`,
    drop: () => withClient(adminUrl, async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
  };
}

/** The gateway runs with `npm start`'s heap flags (scripts/node-flags.ts), then any given for an experiment. */
function gatewayNodeFlags(options: Pick<Options, 'gatewayNodeFlags'>): string[] {
  return [...GATEWAY_NODE_FLAGS, ...options.gatewayNodeFlags];
}

function baseEnv(): Record<string, string | undefined> {
  // Built from scratch: nothing from the caller's environment (backend URLs,
  // tokens) may point a bench process at anything but loopback.
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LANG: process.env.LANG };
}

function gitRevision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(header: string[], rows: string[][], align: Array<'l' | 'r'>): string {
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Where two JSON answers first differ, for a readable mismatch message. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const diff = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (diff) return diff;
  }
  return undefined;
}

// ---------------------------------------------------------------- scenarios

interface ServerRun {
  server: 'gateway' | 'baseline';
  load: LoadResult;
  sqlPerRequest: number;
}

interface ReadResult {
  n: number;
  title: string;
  skipped?: string;
  notes: string[];
  runs: ServerRun[];
  /** SQL statements per request by page size, per server. */
  sqlByPageSize?: { sizes: number[]; gateway: number[]; baseline: number[] | undefined };
  comparable: boolean;
}

interface WriteRun {
  label: string;
  backends: string[];
  connections: number;
  load: LoadResult;
  sqlPerRequest: number;
  retoolCalls: number;
  forgeCalls: number;
}

interface Context {
  options: Options;
  token: string;
  gateway: ServerChild;
  baseline: ServerChild | undefined;
  fakes: ServerChild | undefined;
  fields: Record<string, string[]>;
}

const noErrors = (body: string) => !body.includes('"errors"');
const has = (fields: Record<string, string[]>, type: string, ...names: string[]) => names.every((name) => fields[type]?.includes(name));
const missing = (fields: Record<string, string[]>, type: string, ...names: string[]) =>
  names.filter((name) => !fields[type]?.includes(name)).map((name) => `${type}.${name}`);

interface ReadSpec {
  n: number;
  title: string;
  notes: string[];
  /** Body for a page size, or for a point lookup (size ignored). */
  body: (first: number) => string;
  /** Body for the byte comparison with the baseline, when `body` is random. */
  compareBody?: () => string;
  /** Page sizes to count statements at; a point lookup has one. */
  pageSizes: number[];
}

async function readScenario(ctx: Context, spec: ReadSpec): Promise<ReadResult> {
  const { options, token, gateway, baseline } = ctx;
  const result: ReadResult = { n: spec.n, title: spec.title, notes: [...spec.notes], runs: [], comparable: false };
  const loadSize = spec.pageSizes[spec.pageSizes.length - 1] ?? 100;

  const compareBody = spec.compareBody?.() ?? spec.body(loadSize);
  const gatewayAnswer = await postOnce(gateway, token, compareBody);
  if (gatewayAnswer.status !== 200 || !noErrors(gatewayAnswer.text)) {
    throw new Error(`scenario ${spec.n}: the gateway answered ${gatewayAnswer.status}: ${gatewayAnswer.text.slice(0, 400)}`);
  }
  if (baseline) {
    const baselineAnswer = await postOnce(baseline, token, compareBody);
    if (baselineAnswer.text === gatewayAnswer.text) {
      result.comparable = true;
      result.notes.push(`baseline and gateway answers are byte-identical (${gatewayAnswer.text.length} bytes)`);
    } else {
      const diff = firstDifference(JSON.parse(gatewayAnswer.text), JSON.parse(baselineAnswer.text));
      result.comparable = diff === undefined;
      result.notes.push(diff === undefined ? 'same JSON, different bytes' : `**baseline answer differs from the gateway's** (${diff}); ratio not comparable`);
    }
  }

  const probe = async (server: ServerChild) => {
    const counts: number[] = [];
    for (const size of spec.pageSizes) counts.push(await statementsPerRequest(server, token, () => spec.body(size), 3));
    return counts;
  };
  result.sqlByPageSize = { sizes: spec.pageSizes, gateway: await probe(gateway), baseline: baseline ? await probe(baseline) : undefined };

  const servers = baseline ? [gateway, baseline] : [gateway];
  progress(`scenario ${spec.n}: ${servers.map((server) => server.name).join(' and ')} under load, ${options.seconds} s each in ${options.rounds} alternating slices`);
  const loads = await interleaved(
    servers.map((server) => ({ server, token, body: () => spec.body(loadSize), connections: options.connections, verify: noErrors })),
    { warmupSeconds: options.warmupSeconds, seconds: options.seconds, rounds: options.rounds },
  );
  servers.forEach((server, index) => {
    const load = loads[index];
    if (!load) return;
    const counts = server === gateway ? result.sqlByPageSize?.gateway : result.sqlByPageSize?.baseline;
    result.runs.push({ server: server === gateway ? 'gateway' : 'baseline', load, sqlPerRequest: counts?.[counts.length - 1] ?? NaN });
  });
  return result;
}

const runTag = Date.now().toString(36);
let createSequence = 0;
/** A createUser body with a name never used before, so every request creates. */
const createUserBody = (backends: string[]) => () => {
  createSequence += 1;
  const name = `b4-${runTag}-${createSequence}`;
  return requestBody(CREATE_USER, { input: { email: `${name}@bench.example`, username: name, backends } });
};
const created = (text: string) => text.includes('"CreateUserPayload"') && !text.includes('"FAILED"') && noErrors(text);

async function scenario4(ctx: Context): Promise<WriteRun[]> {
  const { options, token, gateway, fakes } = ctx;
  if (!fakes) return [];
  const variants: Array<{ label: string; backends: string[] }> = [
    { label: 'RETOOL + FORGE', backends: ['RETOOL', 'FORGE'] },
    { label: 'RETOOL only', backends: ['RETOOL'] },
    { label: 'FORGE only', backends: ['FORGE'] },
  ];
  const probes: Array<{ next: () => string; sql: number; retoolCalls: number; forgeCalls: number }> = [];
  for (const variant of variants) {
    const next = createUserBody(variant.backends);
    const first = await postOnce(gateway, token, next());
    if (!created(first.text)) throw new Error(`scenario 4: createUser did not succeed: ${first.text.slice(0, 400)}`);
    const callsBefore = await fakes.stats();
    const sql = await statementsPerRequest(gateway, token, next, 3);
    const callsAfter = await fakes.stats();
    probes.push({
      next,
      sql,
      retoolCalls: ((callsAfter.retoolCalls ?? 0) - (callsBefore.retoolCalls ?? 0)) / 3,
      forgeCalls: ((callsAfter.forgeCalls ?? 0) - (callsBefore.forgeCalls ?? 0)) / 3,
    });
  }
  // Warmed at the busier rate first: at 2 connections a create runs about
  // 12 times a second, too rarely for V8 to optimise its path within the
  // measured slices, and a gateway lives far longer than a bench run (the
  // first 20 s of creates cost a third more CPU than after a minute:
  // docs/performance.md, "What is measured").
  progress(`scenario 4: warming each backend choice up at ${options.busyWriteConnections} connections, ${options.warmupSeconds} s each`);
  for (const probe of probes) {
    await runLoad({ server: gateway, token, body: probe.next, connections: options.busyWriteConnections, verify: created, warmupSeconds: 0, seconds: options.warmupSeconds });
  }
  progress(`scenario 4: createUser under load, ${options.writeSeconds} s per backend choice in ${options.rounds} alternating slices`);
  const loads = await interleaved(
    probes.map((probe) => ({ server: gateway, token, body: probe.next, connections: options.writeConnections, verify: created })),
    { warmupSeconds: Math.min(1, options.warmupSeconds), seconds: options.writeSeconds, rounds: options.rounds },
  );
  const runs: WriteRun[] = [];
  variants.forEach((variant, index) => {
    const probe = probes[index];
    const load = loads[index];
    if (!probe || !load) return;
    runs.push({ label: variant.label, backends: variant.backends, connections: options.writeConnections, load, sqlPerRequest: probe.sql, retoolCalls: probe.retoolCalls, forgeCalls: probe.forgeCalls });
  });
  // The same creates at a higher rate, where a round trip less often wakes a
  // sleeping process (docs/performance.md, "createUser's CPU and its rate"):
  // the report shows both.
  const [both] = probes;
  const [bothVariant] = variants;
  if (both && bothVariant && options.busyWriteConnections > options.writeConnections) {
    progress(`scenario 4: createUser with both backends at ${options.busyWriteConnections} connections, ${options.writeSeconds} s`);
    const load = await runLoad({ server: gateway, token, body: both.next, connections: options.busyWriteConnections, verify: created, warmupSeconds: Math.min(1, options.warmupSeconds), seconds: options.writeSeconds });
    runs.push({ label: `${bothVariant.label}, ${options.busyWriteConnections} connections`, backends: bothVariant.backends, connections: options.busyWriteConnections, load, sqlPerRequest: both.sql, retoolCalls: both.retoolCalls, forgeCalls: both.forgeCalls });
  }
  return runs;
}

// ---------------------------------------------------------------- report

interface Report {
  options: Options;
  database: BenchDatabase;
  seed: string;
  reads: ReadResult[];
  writes: WriteRun[];
  writeSkipped: string | undefined;
  /** Scenario 1 at `wideConnections`, gateway and baseline. */
  wide: ReadResult | undefined;
  /** Gateway RSS (MB) after each of three consecutive rounds of scenario 1. */
  rssRounds: number[] | undefined;
  /** CPU ms per second with no requests, after the reads, per server. */
  idle: Array<{ server: string; cpuMsPerSecond: number }> | undefined;
  bulk: BulkResult | undefined;
  /** Scenario 5; undefined when not selected. */
  startup: StartupCase[] | undefined;
  wallSeconds: number;
}

function renderReport(report: Report): string {
  const { options } = report;
  const cpu = cpus();
  const out: string[] = [];
  out.push(`# Identity Gateway benchmark (${options.mode})`, '');
  out.push(`- command: \`${options.command}\`, wall time ${fmt(report.wallSeconds)} s, ${new Date().toISOString()}`);
  out.push(
    `- machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; load average ${fmt(loadAtStart, 1)} at start, ${fmt(loadavg()[0] ?? 0, 1)} at end; Node ${process.version}; commit ${gitRevision()}`,
  );
  out.push(`- store: ${report.database.description}; seed: ${report.seed}`);
  out.push(`- gateway node flags: \`${gatewayNodeFlags(options).join(' ')}\` (${options.gatewayNodeFlags.length > 0 ? 'npm start\'s, then `--gateway-node-flags`' : 'as `npm start`'}), environment \`${GATEWAY_ENV_ASSIGNMENTS}\``);
  out.push(
    `- load: autocannon in the runner process, ${options.connections} keep-alive connections; per server ${options.warmupSeconds} s warm-up, then ${options.seconds} s measured per read scenario (${options.writeSeconds} s per write variant, each first warmed up ${options.warmupSeconds} s at ${options.busyWriteConnections} connections), in ${options.rounds} slices alternating between the servers compared; servers are separate processes on 127.0.0.1; load generator, servers and Postgres share this machine's cores`,
  );
  out.push('');

  out.push('## Reads: gateway vs baseline', '');
  const rows: string[][] = [];
  for (const read of report.reads) {
    if (read.skipped) {
      rows.push([`${read.n}. ${read.title}`, '–', 'skipped', '', '', '', '', '', '', '']);
      continue;
    }
    const gatewayRun = read.runs.find((r) => r.server === 'gateway');
    const baselineRun = read.runs.find((r) => r.server === 'baseline');
    for (const run of read.runs) {
      const compared = run.server === 'gateway' && baselineRun && gatewayRun;
      const ratio = compared ? `**${fmt(gatewayRun.load.requestsPerSecond / baselineRun.load.requestsPerSecond, 2)}**${read.comparable ? '' : ' (answers differ)'}` : '';
      const cpuRatio = compared ? `${fmt(gatewayRun.load.cpuMsPerRequest / baselineRun.load.cpuMsPerRequest, 1)}×` : '';
      rows.push([
        run.server === 'gateway' ? `${read.n}. ${read.title}` : '',
        run.server,
        fmt(run.load.requestsPerSecond),
        fmt(run.load.p50, 1),
        fmt(run.load.p99, 1),
        fmt(run.load.rssMb),
        fmt(run.load.cpuMsPerRequest, 2),
        fmt(run.sqlPerRequest, 1),
        ratio + (run.load.failures > 0 ? ` ⚠ ${run.load.failures} failed requests` : ''),
        cpuRatio,
      ]);
    }
  }
  out.push(
    table(
      ['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB (peak)', 'server CPU ms/req', 'SQL/req', 'gateway / baseline req/s', 'gateway / baseline CPU per req'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'r'],
    ),
    '',
  );

  out.push('## SQL statements per request by page size', '');
  const sqlRows: string[][] = [];
  for (const read of report.reads) {
    if (!read.sqlByPageSize) continue;
    const { sizes, gateway, baseline } = read.sqlByPageSize;
    const constant = gateway.every((n) => n === gateway[0]);
    const cells = sizes.map((size, i) => `first ${size}: ${fmt(gateway[i] ?? NaN, 1)}${baseline ? ` (baseline ${fmt(baseline[i] ?? NaN, 1)})` : ''}`);
    sqlRows.push([`${read.n}. ${read.title}`, cells.join('; '), sizes.length > 1 ? (constant ? 'yes' : '**NO: grows with page size**') : 'n/a (point lookup)']);
  }
  out.push(table(['scenario', 'gateway statements per request', 'constant in page size'], sqlRows, ['l', 'l', 'l']), '');

  out.push(`## Writes: createUser, fake backends answering every call after ${options.backendLatencyMs} ms, ${options.writeConnections} connections${options.busyWriteConnections > options.writeConnections ? ` (the last row ${options.busyWriteConnections})` : ''}`, '');
  if (report.writeSkipped) {
    out.push(report.writeSkipped, '');
  } else {
    const writeRows = report.writes.map((w) => {
      const critical = options.backendLatencyMs * Math.max(w.retoolCalls, w.forgeCalls);
      const sum = options.backendLatencyMs * (w.retoolCalls + w.forgeCalls);
      return [
        w.label,
        fmt(w.load.requestsPerSecond),
        fmt(w.load.p50, 1),
        fmt(w.load.p99, 1),
        `${fmt(w.retoolCalls, 1)} / ${fmt(w.forgeCalls, 1)}`,
        `${fmt(critical)} / ${fmt(sum)}`,
        fmt(w.load.p50 / critical, 2),
        fmt(w.load.cpuMsPerRequest, 1),
        fmt(w.sqlPerRequest, 1),
        fmt(w.load.rssMb),
        w.load.failures > 0 ? `⚠ ${w.load.failures} failed` : '',
      ];
    });
    out.push(
      table(
        ['backends', 'req/s', 'p50 ms', 'p99 ms', 'backend calls per create (Retool / Forgejo)', 'injected ms: slowest backend / sum', 'p50 / slowest backend', 'server CPU ms/req', 'SQL/req', 'RSS MB (peak)', ''],
        writeRows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
      '',
    );
  }

  if (report.startup) {
    out.push('## Start-up: spawning `node dist/main.js` to the first `/readyz` 200 (scenario 5)', '');
    const rows = report.startup.map((c) => [c.label, fmt(median(c.runs) / 1000, 2), c.runs.map((ms) => fmt(ms / 1000, 2)).join(', ')]);
    out.push(table(['store', 'median s', 'runs (s)'], rows, ['l', 'r', 'r']), '');
    out.push('Production settings (`NODE_ENV=production`, admin token, secret key), logs at `warn`; each PGlite run in a new temporary directory, each Postgres run on a new database on the `DATABASE_URL` server.', '');
  }
  out.push(...memorySections(report));
  out.push(...bulkSection(report));
  out.push('## Goals (issue 23)', '');
  out.push(...goalLines(goalFigures(report)).map((text) => `- ${text}`), '');
  out.push('## Checks', '');
  out.push(...checks(report).map((line) => `- ${line}`), '');
  const notes = report.reads.flatMap((read) => (read.skipped ? [`scenario ${read.n}: ${read.skipped}`] : read.notes.map((note) => `scenario ${read.n}: ${note}`)));
  if (notes.length > 0) out.push('## Notes', '', ...notes.map((note) => `- ${note}`), '');
  return out.join('\n');
}

function memorySections(report: Report): string[] {
  const out: string[] = [];
  const { wide, rssRounds, idle, options } = report;
  if (wide) {
    out.push(`## Memory: scenario 1 at ${options.wideConnections} connections`, '');
    const rows = wide.runs.map((run) => [run.server, fmt(run.load.requestsPerSecond), fmt(run.load.p50, 1), fmt(run.load.p99, 1), fmt(run.load.rssMb), fmt(run.load.cpuMsPerRequest, 2), run.load.failures > 0 ? `⚠ ${run.load.failures} failed` : '']);
    out.push(table(['server', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB (peak)', 'server CPU ms/req', ''], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l']), '');
  }
  if (rssRounds) {
    out.push(
      `Gateway RSS after each of three consecutive rounds of scenario 1 (${options.memoryRoundSeconds} s each at ${options.connections} connections, read 1 s after the round): ${rssRounds.map((mb) => `${fmt(mb)} MB`).join(', ')}.`,
      '',
    );
  }
  if (idle && idle.length > 0) {
    out.push(`Idle CPU, ${IDLE_SECONDS} s with no requests after the reads: ${idle.map((figure) => `${figure.server} ${fmt(figure.cpuMsPerSecond, 2)} ms per second`).join(', ')}.`, '');
  }
  return out;
}

function bulkSection(report: Report): string[] {
  const { bulk, options } = report;
  if (!bulk) return [];
  return [
    `## Bulk: ${bulk.users} users with ${bulk.backends.join(' + ')} in createUsers calls of ${bulk.batch}, one after the other, fakes at ${options.backendLatencyMs} ms per call`,
    '',
    table(
      ['users', 'created', 'failed', 'wall s', 'users/s', 'server CPU ms/user', 'SQL/user', 'backend calls per user (Retool / Forgejo)', 'RSS MB (peak)'],
      [[String(bulk.users), String(bulk.created), String(bulk.failed), fmt(bulk.wallSeconds, 1), fmt(bulk.usersPerSecond, 1), fmt(bulk.cpuMsPerUser, 1), fmt(bulk.sqlPerUser, 1), `${fmt(bulk.retoolCallsPerUser, 1)} / ${fmt(bulk.forgeCallsPerUser, 1)}`, fmt(bulk.rssMb)]],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    'The gateway runs with its defaults (`BULK_CONCURRENCY` 8, no backend rate limit, `LIMIT_MAX_TOKENS` 2,000 variable values per request: hence the batches).',
    '',
  ];
}

/** Scenario 4's run with both backends at `connections`. */
const bothBackendsAt = (report: Report, connections: number) => report.writes.find((w) => w.backends.length === 2 && w.connections === connections);

function goalFigures(report: Report): GoalFigures {
  const ratio: GoalFigures['ratio'] = {};
  for (const n of [1, 2, 3] as const) {
    const read = report.reads.find((r) => r.n === n);
    const gateway = read?.runs.find((r) => r.server === 'gateway');
    const baseline = read?.runs.find((r) => r.server === 'baseline');
    if (gateway && baseline && read?.comparable) ratio[n] = gateway.load.requestsPerSecond / baseline.load.requestsPerSecond;
  }
  const both = bothBackendsAt(report, report.options.writeConnections);
  const busy = report.options.busyWriteConnections > report.options.writeConnections ? bothBackendsAt(report, report.options.busyWriteConnections) : undefined;
  const startupMedian = (prefix: string) => {
    const found = report.startup?.find((c) => c.label.startsWith(prefix));
    return found && found.runs.length > 0 ? median(found.runs) / 1000 : undefined;
  };
  return {
    ratio,
    rss64Mb: report.wide?.runs.find((r) => r.server === 'gateway')?.load.rssMb,
    rssRoundsMb: report.rssRounds,
    createUser: both
      ? {
          sql: both.sqlPerRequest,
          cpuMs: both.load.cpuMsPerRequest,
          connections: both.connections,
          ...(busy ? { busy: { cpuMs: busy.load.cpuMsPerRequest, connections: busy.connections } } : {}),
        }
      : undefined,
    bulk: report.bulk,
    startup: report.startup
      ? { postgresMigrated: startupMedian('Postgres, migrated'), postgresFresh: startupMedian('Postgres, fresh'), pgliteExisting: startupMedian('PGlite, existing') }
      : undefined,
  };
}

function checks(report: Report): string[] {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? '[x]' : '[ ] **FAIL**');
  const s1 = report.reads.find((r) => r.n === 1);
  const gateway1 = s1?.runs.find((r) => r.server === 'gateway');
  const baseline1 = s1?.runs.find((r) => r.server === 'baseline');
  if (gateway1 && baseline1) {
    const ratio = gateway1.load.requestsPerSecond / baseline1.load.requestsPerSecond;
    lines.push(`${mark(ratio >= 0.5 && (s1?.comparable ?? false))} scenario 1 gateway/baseline req/s = ${fmt(ratio, 2)} (must be >= 0.5, goal >= 0.7${ratio >= 0.7 ? ': goal met' : ''})`);
  } else {
    lines.push('[ ] scenario 1 ratio: not measured (no baseline or scenario skipped)');
  }
  for (const n of [1, 3]) {
    const read = report.reads.find((r) => r.n === n);
    if (!read?.sqlByPageSize) {
      lines.push(`[ ] scenario ${n} SQL per request vs page size: not measured (${read?.skipped ?? 'not run'})`);
      continue;
    }
    const counts = read.sqlByPageSize.gateway;
    lines.push(`${mark(counts.every((c) => c === counts[0]))} scenario ${n} SQL statements per request constant in page size: ${counts.map((c) => fmt(c, 1)).join(', ')} at first = ${read.sqlByPageSize.sizes.join(', ')}`);
  }
  const both = bothBackendsAt(report, report.options.writeConnections);
  if (both) {
    const slowest = report.options.backendLatencyMs * Math.max(both.retoolCalls, both.forgeCalls);
    const single = report.options.backendLatencyMs;
    const singles = report.writes.filter((w) => w.backends.length === 1);
    const sumOfSingles = singles.reduce((sum, w) => sum + w.load.p50, 0);
    const maxOfSingles = Math.max(...singles.map((w) => w.load.p50));
    lines.push(
      `${mark(both.load.p50 < 1.5 * slowest)} scenario 4 p50 ${fmt(both.load.p50, 1)} ms < 1.5 × the slowest backend's injected latency (${fmt(both.forgeCalls >= both.retoolCalls ? both.forgeCalls : both.retoolCalls, 1)} sequential calls × ${single} ms = ${fmt(slowest)} ms → ${fmt(1.5 * slowest)} ms)`,
    );
    if (singles.length === 2) {
      lines.push(
        `${mark(both.load.p50 < sumOfSingles)} backends run concurrently: p50 with both ${fmt(both.load.p50, 1)} ms vs slowest single backend ${fmt(maxOfSingles, 1)} ms and sum of single backends ${fmt(sumOfSingles, 1)} ms`,
      );
    }
    lines.push(
      `${both.load.p50 < 1.5 * single ? '[x]' : '[ ] (not met, informational)'} literal reading, p50 < 1.5 × one ${single} ms call = ${fmt(1.5 * single)} ms: unreachable while Forgejo provisioning is ${fmt(both.forgeCalls, 1)} dependent calls (look up, create, mint a token); see docs/performance.md`,
    );
  } else {
    lines.push(`[ ] scenario 4: ${report.writeSkipped ?? 'not run'}`);
  }
  return lines;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const children: ServerChild[] = [];
  progress(`mode ${options.mode}${options.profile ? ` (cpu profile of scenario ${options.profile})` : ''}`);

  const database = await prepareDatabase();
  const cleanup = async () => {
    await Promise.allSettled(children.map((child) => child.stop()));
    await database.drop().catch((error: unknown) => progress(`could not drop the bench database: ${String(error)}`));
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    progress('interrupted: stopping servers and dropping the bench database');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    let seed = `${BENCH_SEED.users} users × 2 backend accounts, ${BENCH_SEED.pools} pools × ${BENCH_SEED.poolsPerUser} viewer grants per user, ${BENCH_SEED.databaseUsers} database users, ${BENCH_SEED.services} services`;
    if (database.kind === 'postgres' && database.url) {
      progress(`seeding ${database.description}`);
      const store = await openStore({ kind: 'postgres', url: database.url });
      await store.migrate();
      const seeded = await seedBench(store);
      await store.close();
      seed += ` (seeded in ${fmt(seeded.ms / 1000, 1)} s)`;
    } else {
      progress('DATABASE_URL is not set: the gateway runs on embedded PGlite (seeded inside its process); the baseline needs Postgres and is skipped');
    }

    const wantWrites = options.profile === undefined ? options.only.has(4) : options.profile === 4;
    const fakes = wantWrites
      ? await spawnServer('fakes', benchFile('fakes-server.ts'), { env: { ...baseEnv(), BENCH_BACKEND_LATENCY_MS: String(options.backendLatencyMs) } })
      : undefined;
    if (fakes) children.push(fakes);

    const gatewayEnv = {
      ...baseEnv(),
      // As `npm start` runs it (scripts/node-flags.ts).
      ...GATEWAY_RUNTIME_ENV,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      GATEWAY_ADMIN_TOKEN: token,
      GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: database.url,
      PGLITE_DIR: 'memory://',
      // The mutation rate limit would turn scenario 4 into a measurement of
      // the limiter; every other production setting stays as it is.
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '0',
      // Likewise the per-caller query budget: one load generator is one caller.
      QUERY_BUDGET_PER_MINUTE: '0',
      ...(fakes ? backendEnv({ url: fakes.info.retoolUrl ?? '' }, { url: fakes.info.forgeUrl ?? '' }) : {}),
    };
    progress('starting the gateway' + (database.kind === 'postgres' && !options.profile ? ' and the baseline' : ''));
    const [gateway, baseline] = await Promise.all([
      spawnServer('gateway', benchFile('gateway-server.ts'), { env: gatewayEnv, nodeFlags: gatewayNodeFlags(options) }),
      database.kind === 'postgres' && !options.profile
        ? spawnServer('baseline', benchFile('baseline-server.ts'), { env: { ...baseEnv(), DATABASE_URL: database.url, GATEWAY_ADMIN_TOKEN: token } })
        : Promise.resolve(undefined),
    ]);
    children.push(gateway);
    if (baseline) children.push(baseline);

    const fields = gateway.info.fields ?? {};
    const ctx: Context = { options, token, gateway, baseline, fakes, fields };
    const userIds = gateway.info.userIds ?? [];
    const randomUser = () => globalId('User', userIds[Math.floor(Math.random() * userIds.length)] ?? '');

    // The issue's query pages each user's pools (`resourcePools(first: 10)`);
    // the schema may instead expose them as a plain list, or not yet at all.
    const poolArgs = gateway.info.fieldArgs?.['User.resourcePools'];
    const poolShape: 'connection' | 'list' | 'none' = poolArgs === undefined ? 'none' : poolArgs.includes('first') ? 'connection' : 'list';
    const operations: Record<typeof poolShape, OperationName> = { connection: USERS_WITH_POOLS, list: USERS_WITH_POOL_LIST, none: USERS_WITHOUT_POOLS };
    const usersOperation = operations[poolShape];
    const poolsTitle = { connection: ' and resourcePools(first: 10)', list: ' and resourcePools (a list)', none: '' }[poolShape];
    const poolsNote = {
      connection: [],
      list: [
        `User.resourcePools is a plain list in the schema, not a connection: the bench asks for \`resourcePools { name }\` (all ${BENCH_SEED.poolsPerUser} pools of each user) instead of \`resourcePools(first: 10) { edges { node { name } } }\``,
      ],
      none: ['User.resourcePools is not in the schema yet: measured without it'],
    }[poolShape];
    const specs: Array<ReadSpec & { missing: string[] }> = [
      {
        n: 1,
        title: `users(first: 100) with accounts${poolsTitle}`,
        notes: poolsNote,
        body: (first) => requestBody(usersOperation, { first }),
        pageSizes: [10, 50, 100],
        missing: missing(fields, 'Query', 'users'),
      },
      {
        n: 2,
        title: 'node(id) of a random user',
        notes: [],
        body: () => requestBody(NODE_LOOKUP, { id: randomUser() }),
        compareBody: () => requestBody(NODE_LOOKUP, { id: globalId('User', userIds[0] ?? '') }),
        pageSizes: [1],
        missing: missing(fields, 'Query', 'node'),
      },
      {
        n: 3,
        title: 'services(first: 100) with connectAs and its services',
        notes: [],
        body: (first) => requestBody(SERVICES, { first }),
        pageSizes: [10, 50, 100],
        missing: [...missing(fields, 'Query', 'services'), ...missing(fields, 'Service', 'serviceId', 'connectAs'), ...missing(fields, 'DatabaseUser', 'username', 'services')],
      },
    ];

    if (options.profile) {
      const createSpec: ReadSpec = { n: 4, title: 'createUser with both backends', notes: [], body: createUserBody(['RETOOL', 'FORGE']), pageSizes: [1] };
      const spec = options.profile === 4 ? { ...createSpec, missing: missing(fields, 'Mutation', 'createUser') } : specs.find((candidate) => candidate.n === options.profile);
      if (!spec || spec.missing.length > 0) throw new Error(`scenario ${options.profile} cannot be profiled: ${spec ? spec.missing.join(', ') : 'no such scenario'}`);
      await profileScenario(ctx, spec, spec.n === 4 ? created : noErrors);
      return;
    }

    const reads: ReadResult[] = [];
    let wide: ReadResult | undefined;
    let rssRounds: number[] | undefined;
    for (const spec of specs) {
      if (!options.only.has(spec.n)) continue;
      if (spec.missing.length > 0) {
        const skipped = `skipped (${spec.missing.join(', ')} not in schema yet)`;
        progress(`scenario ${spec.n}: ${skipped}`);
        reads.push({ n: spec.n, title: spec.title, skipped, notes: [], runs: [], comparable: false });
        continue;
      }
      reads.push(await readScenario(ctx, spec));
      if (spec.n === 1) {
        progress(`scenario 1 at ${options.wideConnections} connections (peak RSS under concurrency)`);
        wide = await readScenario({ ...ctx, options: { ...options, connections: options.wideConnections } }, { ...spec, title: `${spec.title}, ${options.wideConnections} connections` });
        progress(`no-growth check: 3 rounds of scenario 1 on the gateway, ${options.memoryRoundSeconds} s each`);
        rssRounds = await rssAfterRounds(
          { server: gateway, token, body: spec.body(100), connections: options.connections, verify: noErrors },
          3,
          options.memoryRoundSeconds,
        );
      }
    }

    // After the reads (the code they run is compiled) and before the writes
    // (no backend work in flight): what each server costs doing nothing.
    progress(`idle: ${IDLE_SECONDS} s with no requests`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = await Promise.all(
      [gateway, baseline].flatMap((server) => (server ? [idleCpuMsPerSecond(server, IDLE_SECONDS).then((cpuMsPerSecond) => ({ server: server.name, cpuMsPerSecond }))] : [])),
    );

    let writes: WriteRun[] = [];
    let writeSkipped: string | undefined;
    if (!options.only.has(4)) writeSkipped = 'not selected';
    else if (!has(fields, 'Mutation', 'createUser')) writeSkipped = 'skipped (Mutation.createUser not in schema yet)';
    else writes = await scenario4(ctx);
    let bulk: BulkResult | undefined;
    if (fakes && options.only.has(4) && has(fields, 'Mutation', 'createUsers')) {
      progress(`bulk: ${options.bulkUsers} users with both backends, createUsers calls of ${options.bulkBatch}`);
      bulk = await runBulk(gateway, fakes, token, options.bulkUsers, options.bulkBatch, runTag);
    }

    let startup: StartupCase[] | undefined;
    if (options.only.has(5)) {
      await Promise.allSettled(children.map((child) => child.stop()));
      children.length = 0;
      const adminUrl = database.kind === 'postgres' ? process.env.DATABASE_URL : undefined;
      startup = await measureStartup({
        runs: options.mode === 'quick' ? 1 : 3,
        env: baseEnv(),
        progress,
        postgres: adminUrl
          ? {
              adminUrl,
              create: (name) => withClient(adminUrl, async (client) => void (await client.query(`create database "${name}"`))),
              drop: (name) => withClient(adminUrl, async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
              urlOf: (name) => withDatabase(adminUrl, name),
            }
          : undefined,
      });
    }

    const report = renderReport({ options, database, seed, reads, writes, writeSkipped, wide, rssRounds, idle, bulk, startup, wallSeconds: (performance.now() - started) / 1000 });
    process.stdout.write(`${report}\n`);
    await mkdir(RESULTS_DIR, { recursive: true });
    // latest.md is the Postgres run with every scenario (the one the docs quote).
    const file = `${RESULTS_DIR}${options.only.size !== 5 ? 'partial' : database.kind === 'postgres' ? 'latest' : 'latest-pglite'}.md`;
    await writeFile(file, report);
    progress(`report written to ${file.replace(`${process.cwd()}/`, '')}`);
  } finally {
    if (!interrupted) await cleanup();
  }
}

async function profileScenario(ctx: Context, spec: ReadSpec, verify: (body: string) => boolean): Promise<void> {
  const { options, token, gateway } = ctx;
  progress(`profiling scenario ${spec.n} on the gateway for ${options.seconds} s`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = `scenario${spec.n}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const load = await runLoad({
    profilePath: `${RESULTS_DIR}${file}`,
    server: gateway,
    token,
    body: () => spec.body(spec.pageSizes[spec.pageSizes.length - 1] ?? 100),
    warmupSeconds: options.warmupSeconds,
    seconds: options.seconds,
    connections: options.connections,
    verify,
  });
  const summary = await summariseFile(`${RESULTS_DIR}${file}`);
  const report = [
    `# CPU profile of scenario ${spec.n} (${spec.title})`,
    '',
    `- command: \`${options.command}\`; ${fmt(load.requestsPerSecond)} req/s, p50 ${fmt(load.p50, 1)} ms under the profiler (slower than unprofiled)`,
    `- profile: bench/results/${file} (*.cpuprofile is not committed), the V8 sampling profiler (as \`node --cpu-prof\`) over the measured ${options.seconds} s only, after a ${options.warmupSeconds} s warm-up`,
    '',
    summary,
  ].join('\n');
  process.stdout.write(`${report}\n`);
  await writeFile(`${RESULTS_DIR}profile-scenario${spec.n}.md`, report);
  progress(`profile summary written to bench/results/profile-scenario${spec.n}.md`);
}

await main();
