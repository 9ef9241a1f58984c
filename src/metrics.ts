// The gateway's own Prometheus metrics, beside the GraphQL ones the yoga
// plugin records. One registry per gateway instance (not prom-client's global
// one), so several gateways in one process, as in tests, never collide.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BackendCall } from './backend-call.ts';

export interface GatewayMetrics {
  registry: Registry;
  /** Records one backend HTTP attempt; handed to every backend transport as `onCall`. */
  backendCall(call: BackendCall): void;
  /** Counts a request the rate limiter refused: a mutation over its bucket, or a query over the caller's query budget. */
  rateLimited(kind?: 'mutation' | 'query'): void;
  /** Records how long one root field (`Query.users`, `Mutation.createUser`) took to resolve. */
  rootField(type: string, field: string, seconds: number): void;
  /**
   * Reports accounts not yet converged on every scrape, read from the store
   * (shared by every instance, so each reports the same numbers).
   */
  unconvergedFrom(source: () => Promise<Array<{ backend: string; ageSeconds: number }>>, backends: readonly string[]): void;
  /** Reports the queries executing and waiting for a turn (src/http/query-concurrency.ts) on every scrape. */
  queriesFrom(source: () => { running: number; queued: number }): void;
}

/** Age buckets of unconverged work, since its desired state last changed: bounded label values. */
export const AGE_BUCKETS = [
  { label: 'under_1m', below: 60 },
  { label: '1m_to_10m', below: 600 },
  { label: '10m_to_1h', below: 3600 },
  { label: 'over_1h', below: Number.POSITIVE_INFINITY },
] as const;

export function ageBucket(seconds: number): string {
  return (AGE_BUCKETS.find((bucket) => seconds < bucket.below) ?? AGE_BUCKETS[3]).label;
}

/** `2xx`… for statuses, else the failure kind: bounded label values. */
export function outcomeLabel(outcome: BackendCall['outcome']): string {
  return typeof outcome === 'number' ? `${Math.floor(outcome / 100)}xx` : outcome;
}

// Process and runtime metrics (CPU, memory, event loop lag, GC, handles) are
// the process's, not a gateway's: collected once, then registered in every
// gateway's registry (collecting per gateway would start an event-loop
// monitor per test gateway).
let processMetrics: Registry | undefined;

/**
 * How often the event-loop lag monitor wakes the loop. prom-client's 10 ms
 * default cost about 5.6 ms of CPU a second, nearly all of an idle
 * gateway's CPU (docs/performance.md, change 33). Every stall of 50 ms or
 * more still shows in the lag figures, a shorter one with a chance in
 * proportion to its length: enough for percentiles over a 15 s scrape
 * (300 samples).
 */
export const EVENT_LOOP_RESOLUTION_MS = 50;

function registerProcessMetrics(registry: Registry): void {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS });
  }
  for (const { name } of processMetrics.getMetricsAsArray()) {
    const metric = processMetrics.getSingleMetric(name);
    if (metric) registry.registerMetric(metric);
  }
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** Long because it declares every gateway metric beside its help text, then the recorder methods over them. */
export function createMetrics(poolStats?: () => PoolStats): GatewayMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  if (poolStats) {
    const gauges = [
      ['gateway_store_pool_connections', 'Connections the store pool holds, busy or idle.', 'total'],
      ['gateway_store_pool_idle_connections', 'Idle connections in the store pool.', 'idle'],
      ['gateway_store_pool_waiting_requests', 'Queries waiting for a store connection (the pool is exhausted when this stays above 0).', 'waiting'],
    ] as const;
    for (const [name, help, field] of gauges) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(poolStats()[field]);
        },
      });
    }
  }
  const calls = new Counter({
    name: 'gateway_backend_calls_total',
    help: 'HTTP attempts against identity backends, by backend, method and outcome (status class or failure kind).',
    labelNames: ['backend', 'method', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_backend_call_duration_seconds',
    help: 'Duration of HTTP attempts against identity backends.',
    labelNames: ['backend', 'method', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'gateway_rate_limited_total',
    help: 'Requests refused by the per-caller rate limits, by kind (mutation bucket or query budget).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const rootFields = new Histogram({
    name: 'gateway_root_field_duration_seconds',
    help: 'Duration of root field resolvers (the field itself, before its subfields), by type and field.',
    labelNames: ['type', 'field'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    backendCall(call) {
      const labels = { backend: call.backend, method: call.method, outcome: outcomeLabel(call.outcome) };
      calls.inc(labels);
      latency.observe(labels, call.durationMs / 1000);
    },
    rateLimited: (kind = 'mutation') => limited.inc({ kind }),
    rootField: (type, field, seconds) => rootFields.observe({ type, field }, seconds),
    unconvergedFrom(source, backends) {
      new Gauge({
        name: 'gateway_accounts_unconverged',
        help: 'Backend accounts whose backend has not confirmed their desired state yet (CONFLICT excluded), by backend and age of the desired state.',
        labelNames: ['backend', 'age'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          // A store outage must not fail the whole scrape: the series are then absent.
          const rows = await source().catch(() => undefined);
          if (!rows) return;
          for (const backend of backends) for (const bucket of AGE_BUCKETS) this.set({ backend, age: bucket.label }, 0);
          for (const row of rows) this.inc({ backend: row.backend, age: ageBucket(row.ageSeconds) });
        },
      });
    },
    queriesFrom(source) {
      const gauges = [
        ['gateway_queries_running', 'Queries executing now (at most MAX_CONCURRENT_QUERIES).', 'running'],
        ['gateway_queries_queued', 'Queries waiting for a turn to execute; at MAX_QUEUED_QUERIES the next is refused with 503.', 'queued'],
      ] as const;
      for (const [name, help, field] of gauges) {
        // A second gateway over the same deps (tests) reports its own limiter.
        registry.removeSingleMetric(name);
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(source()[field]);
          },
        });
      }
    },
  };
}
