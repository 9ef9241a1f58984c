// The no-growth check: the same load in consecutive rounds on one gateway,
// its resident set size read after each. A cache without a bound, or a leak
// per request, shows as a figure that keeps climbing round after round.
import type { ServerChild } from './child.ts';
import { type Contestant, runLoad } from './load.ts';

/** RSS in MB after each of `rounds` rounds of `seconds` (read after a one-second pause, once in-flight work settled). */
export async function rssAfterRounds(load: Contestant, rounds: number, seconds: number): Promise<number[]> {
  const figures: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await runLoad({ ...load, warmupSeconds: 0, seconds });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    figures.push(rssMb(load.server));
  }
  return figures;
}

const rssMb = (server: ServerChild) => (server.rssBytes() ?? 0) / 2 ** 20;

/** Growth counts as none when the last round is within `tolerance` (a fraction) of the first: GC timing moves RSS a little either way. */
export const NO_GROWTH_TOLERANCE = 0.05;
export const grew = (figures: readonly number[]): boolean => figures.length >= 2 && (figures.at(-1) ?? 0) > (figures[0] ?? 0) * (1 + NO_GROWTH_TOLERANCE);
