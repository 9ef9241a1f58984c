// The event-loop lag monitor wakes the loop at its resolution whether or not
// requests come; prom-client's 10 ms default was nearly all of an idle
// gateway's CPU (docs/performance.md, change 33). Checked in a fresh process:
// the monitor is made once per process, and the suite's workers share
// modules between files.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const PROBE = `
import perfHooks from 'node:perf_hooks';
const resolutions = [];
const monitor = perfHooks.monitorEventLoopDelay;
perfHooks.monitorEventLoopDelay = (options) => { resolutions.push(options?.resolution); return monitor(options); };
const { createMetrics } = await import('./src/metrics.ts');
const text = await createMetrics().registry.metrics();
console.log(JSON.stringify({ resolutions, lag: text.includes('nodejs_eventloop_lag_p99_seconds') }));
process.exit(0);
`;

describe('process metrics', () => {
  it('sample the event-loop lag every 50 ms, not every 10 ms, and still publish it', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(output.trim().split('\n').at(-1) ?? '{}')).toEqual({ resolutions: [50], lag: true });
  });
});
