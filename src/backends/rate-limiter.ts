// A request-rate limit per backend: a token bucket every HTTP attempt to
// that backend draws from (src/backends/http.ts), so createUser, createUsers,
// the retry worker and imports together stay under the rate the operator
// set (RETOOL_RATE_LIMIT_PER_SECOND, FORGE_RATE_LIMIT_PER_SECOND). Waiting
// callers are served in arrival order.

export interface RateLimiter {
  /** Resolves when this caller may send one request. */
  acquire(): Promise<void>;
}

export interface RateLimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RateLimiterClock = { now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * `perSecond` requests a second on average, at most `burst` at once after
 * an idle spell (default: one second's worth, at least 1). Undefined for
 * `perSecond` 0: no limit.
 */
export function rateLimiter(perSecond: number, burst = Math.max(1, Math.floor(perSecond)), clock: RateLimiterClock = realClock): RateLimiter | undefined {
  if (perSecond <= 0) return undefined;
  const intervalMs = 1000 / perSecond;
  let tokens = burst;
  let refilledAt = clock.now();
  // Each caller waits behind the one before it: arrival order, no thundering herd.
  let queue: Promise<void> = Promise.resolve();

  const take = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      tokens = Math.min(burst, tokens + (now - refilledAt) / intervalMs);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil((1 - tokens) * intervalMs));
    }
  };

  return {
    acquire() {
      const turn = queue.then(take);
      queue = turn;
      return turn;
    },
  };
}
