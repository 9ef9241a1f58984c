import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../../src/backends/rate-limiter.ts';

/** A clock that only moves when a caller sleeps. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), at: () => now };
}

describe('rateLimiter', () => {
  it('0 per second is no limiter at all', () => {
    expect(rateLimiter(0)).toBeUndefined();
  });

  it('lets a burst through at once, then one request per interval, in arrival order', async () => {
    const clock = fakeClock();
    const limiter = rateLimiter(4, 2, clock);
    if (!limiter) throw new Error('expected a limiter');
    const granted: Array<{ n: number; at: number }> = [];
    await Promise.all(Array.from({ length: 6 }, (_, n) => limiter.acquire().then(() => granted.push({ n, at: clock.at() }))));
    expect(granted.map((g) => g.n)).toEqual([0, 1, 2, 3, 4, 5]);
    // 2 at once, then every 250 ms.
    expect(granted.map((g) => g.at)).toEqual([0, 0, 250, 500, 750, 1000]);
  });
});
