// Per-caller rate limiting: token buckets per caller id, kept in process, or
// in Redis when REDIS_URL is set so that every instance draws from the same
// bucket. Two buckets per caller: mutations (one token per root mutation
// field: they reach the backends) and the query budget (the operation's cost,
// query-cost.ts: what it will load). Anonymous callers share one, smaller,
// query budget.
import { type DocumentNode, GraphQLError, getOperationAST, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { GatewayContext } from '../context.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { rootFields } from './operation.ts';

export interface Decision {
  allowed: boolean;
  /** When refused: how long until `cost` tokens are there again. */
  retryAfterMs: number;
  /** Tokens left after this request (whole tokens). */
  remaining: number;
  /** How long until the bucket is full again. */
  resetMs: number;
}

export interface RateLimiter {
  take(callerId: string, cost: number): Promise<Decision>;
  close(): Promise<void>;
}

export interface BucketPolicy {
  /** Tokens a full bucket holds: the burst a caller may send at once. */
  burst: number;
  perMinute: number;
}

const MAX_BUCKETS = 10_000;

export function inProcessLimiter(policy: BucketPolicy, now: () => number = Date.now): RateLimiter {
  const perMs = policy.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(callerId, cost) {
      const t = now();
      const bucket = buckets.get(callerId) ?? { tokens: policy.burst, at: t };
      bucket.tokens = Math.min(policy.burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      if (buckets.size >= MAX_BUCKETS && !buckets.has(callerId)) {
        // A full bucket carries no state worth keeping.
        for (const [id, other] of buckets) if (other.tokens + (t - other.at) * perMs >= policy.burst) buckets.delete(id);
      }
      buckets.set(callerId, bucket);
      const allowed = bucket.tokens >= cost;
      if (allowed) bucket.tokens -= cost;
      return {
        allowed,
        retryAfterMs: allowed ? 0 : Math.ceil((cost - bucket.tokens) / perMs),
        remaining: Math.floor(bucket.tokens),
        resetMs: Math.ceil((policy.burst - bucket.tokens) / perMs),
      };
    },
    close: async () => undefined,
  };
}

// The same bucket as above, atomically in Redis, on Redis's clock (instances'
// clocks may differ). Returns {allowed, retryAfterMs, remaining, resetMs}.
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 1000)
return {allowed, wait, math.floor(tokens), math.ceil((burst - tokens) / per_ms)}
`;

export function redisLimiter(url: string, prefix: string, policy: BucketPolicy, logger: Logger): RateLimiter {
  // ioredis is loaded only when REDIS_URL is set: a gateway without Redis
  // never pays its memory (docs/performance.md, change 29).
  const connecting: Promise<Redis> = import('ioredis').then(({ Redis }) => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: false });
    let lastWarning = 0;
    redis.on('error', (error: Error) => {
      // ioredis reports every reconnect attempt; one line a minute is enough.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn({ err: { message: error.message } }, 'rate limiter: Redis unavailable');
      }
    });
    return redis;
  });
  // A failed load is reported by take() (which then lets the request through), not as an unhandled rejection.
  connecting.catch(() => undefined);
  const perMs = policy.perMinute / 60_000;
  return {
    async take(callerId, cost) {
      try {
        const reply = await (await connecting).eval(TAKE_SCRIPT, 1, `${prefix}ratelimit:${callerId}`, policy.burst, perMs, cost);
        const [allowed, wait, remaining, reset] = Array.isArray(reply) ? reply.map(Number) : [1, 0, policy.burst, 0];
        return { allowed: allowed === 1, retryAfterMs: wait ?? 0, remaining: remaining ?? 0, resetMs: reset ?? 0 };
      } catch (error) {
        // Fail open: a Redis outage must not stop provisioning; the outage is logged.
        logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'rate limiter: Redis call failed; allowing the request');
        return { allowed: true, retryAfterMs: 0, remaining: policy.burst, resetMs: 0 };
      }
    },
    async close() {
      // Nothing to close when ioredis could not be loaded.
      const redis = await connecting.catch(() => undefined);
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

function limiterFor(config: Config, logger: Logger, name: string, policy: BucketPolicy): RateLimiter | undefined {
  if (policy.perMinute === 0) return undefined;
  return config.redisUrl ? redisLimiter(config.redisUrl, `${config.redisKeyPrefix}${name}`, policy, logger) : inProcessLimiter(policy);
}

export function createRateLimiter(config: Config, logger: Logger): RateLimiter | undefined {
  // The mutation buckets keep their original keys (`<prefix>ratelimit:<caller>`).
  return limiterFor(config, logger, '', { burst: config.rateLimit.burst, perMinute: config.rateLimit.perMinute });
}

export interface QueryBudget {
  /** Every caller with credentials, each with a bucket of their own. */
  identified: RateLimiter | undefined;
  /** All anonymous callers together. */
  anonymous: RateLimiter | undefined;
  policies: { identified: BucketPolicy; anonymous: BucketPolicy };
}

export function createQueryBudget(config: Config, logger: Logger): QueryBudget {
  const { identified, anonymous } = config.queryBudget;
  return {
    identified: limiterFor(config, logger, 'query-', identified),
    anonymous: limiterFor(config, logger, 'query-anonymous-', anonymous),
    policies: { identified, anonymous },
  };
}

/** Each root mutation field costs one token, so aliasing ten mutations into one request costs ten. */
function mutationCost(operation: OperationDefinitionNode, document: DocumentNode): number {
  return Math.max(1, rootFields(operation.selectionSet, document).length);
}

export function useRateLimit(limiter: RateLimiter, metrics: GatewayMetrics): Plugin<GatewayContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const decision = await limiter.take(args.contextValue.caller.id, mutationCost(operation, args.document));
      if (decision.allowed) return;
      metrics.rateLimited();
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      setResultAndStopExecution({
        errors: [
          new GraphQLError(`too many mutations; retry in ${seconds} s`, {
            extensions: { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: seconds, http: { status: 429, headers: { 'retry-after': String(seconds) } } },
          }),
        ],
      });
    },
    onDispose: () => limiter.close(),
  };
}
