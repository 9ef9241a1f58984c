// One timed load run with autocannon (in this process; the servers are
// children), plus what the server itself reports over the run.
import autocannon from 'autocannon';
import type { ServerChild } from './child.ts';

export interface LoadOptions {
  server: ServerChild;
  token: string;
  /** A fixed body, or one built per request (unique inputs, random ids). */
  body: string | (() => string);
  /** Seconds of load whose numbers are discarded (JIT, pools, caches). */
  warmupSeconds: number;
  seconds: number;
  connections: number;
  /** Returns false for an answer that must not count as a success. */
  verify: (body: string) => boolean;
  /** Where to write a CPU profile of the server over the measured window. */
  profilePath?: string;
}

export interface LoadResult {
  /** Measured seconds (without warm-up). */
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and answers `verify` rejected. */
  failures: number;
  /** Highest resident set size sampled during the measured run. */
  rssMb: number;
  /** Server CPU time per answered request. */
  cpuMsPerRequest: number;
}

const RSS_SAMPLE_MS = 250;

function cannon(options: Contestant, seconds: number) {
  const { body } = options;
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${options.token}` };
  return autocannon({
    url: `${options.server.url}/graphql`,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    verifyBody: options.verify,
    requests: [
      typeof body === 'string'
        ? { method: 'POST', path: '/graphql', headers, body }
        : { method: 'POST', path: '/graphql', headers, setupRequest: (request) => ({ ...request, body: body() }) },
    ],
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await cannon(options, options.warmupSeconds);
  const before = await options.server.stats();
  let rssPeak = 0;
  const sample = () => {
    rssPeak = Math.max(rssPeak, options.server.rssBytes() ?? 0);
  };
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  let result: autocannon.Result;
  try {
    if (options.profilePath) await options.server.profile();
    result = await cannon(options, options.seconds);
    if (options.profilePath) await options.server.profile(options.profilePath);
  } finally {
    clearInterval(sampler);
  }
  sample();
  const after = await options.server.stats();
  const answered = Math.max(1, after.requests - before.requests);
  return {
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.non2xx + result.mismatches,
    // Where /proc is missing, the server's own figure at the end of the run.
    rssMb: (rssPeak || after.rssBytes) / 2 ** 20,
    cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / answered,
  };
}

/** One side of an interleaved comparison: everything but the timing. */
export type Contestant = Omit<LoadOptions, 'seconds' | 'warmupSeconds' | 'profilePath'>;

/**
 * Measures contestants in turns of short slices (A B, B A, A B, ...) rather
 * than one long run each, so that background load that comes and goes on a
 * shared machine falls on all of them alike instead of on whichever ran at
 * the wrong moment. Each contestant is warmed up once first.
 */
export async function interleaved(contestants: Contestant[], timing: { warmupSeconds: number; seconds: number; rounds: number }): Promise<LoadResult[]> {
  for (const contestant of contestants) {
    if (timing.warmupSeconds > 0) await cannon(contestant, timing.warmupSeconds);
  }
  const slices: LoadResult[][] = contestants.map(() => []);
  const order = contestants.map((_, index) => index);
  for (let round = 0; round < timing.rounds; round += 1) {
    for (const index of round % 2 === 0 ? order : [...order].reverse()) {
      const contestant = contestants[index];
      if (contestant) slices[index]?.push(await runLoad({ ...contestant, warmupSeconds: 0, seconds: timing.seconds / timing.rounds }));
    }
  }
  return slices.map(combine);
}

/** Totals over slices; latency percentiles are the request-weighted mean of each slice's. */
function combine(slices: LoadResult[]): LoadResult {
  const requests = slices.reduce((sum, r) => sum + r.requests, 0);
  const seconds = slices.reduce((sum, r) => sum + r.seconds, 0);
  const weighted = (value: (r: LoadResult) => number) => slices.reduce((sum, r) => sum + value(r) * r.requests, 0) / Math.max(1, requests);
  return {
    seconds,
    requestsPerSecond: requests / Math.max(seconds, 1e-9),
    p50: weighted((r) => r.p50),
    p99: weighted((r) => r.p99),
    requests,
    failures: slices.reduce((sum, r) => sum + r.failures, 0),
    rssMb: Math.max(...slices.map((r) => r.rssMb)),
    cpuMsPerRequest: weighted((r) => r.cpuMsPerRequest),
  };
}

/** POSTs one operation and returns the response text (for checks, SQL counting and byte comparison). */
export async function postOnce(server: ServerChild, token: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** SQL statements per request, counted by the server over `repeat` sequential requests. */
export async function statementsPerRequest(server: ServerChild, token: string, body: () => string, repeat: number): Promise<number> {
  const before = await server.stats();
  for (let i = 0; i < repeat; i += 1) {
    const { status, text } = await postOnce(server, token, body());
    if (status !== 200 || text.includes('"errors"')) throw new Error(`${server.name}: probe failed (${status}): ${text.slice(0, 300)}`);
  }
  const after = await server.stats();
  return (after.queries - before.queries) / repeat;
}

/**
 * CPU a server spends per second with no requests (timers, monitors,
 * background work), in ms: at low request rates, as with createUser, this
 * is part of every request's CPU figure.
 */
export async function idleCpuMsPerSecond(server: ServerChild, seconds: number): Promise<number> {
  const before = await server.stats();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await server.stats();
  return (after.cpuMicros - before.cpuMicros) / 1000 / ((performance.now() - started) / 1000);
}
