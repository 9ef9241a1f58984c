// The gateway's log lines are written to stdout by the thread that logs
// them, as console.log writes to a file or pipe: pino's default stream
// (sonic-boom, asynchronous) hands every line to libuv's thread pool and is
// woken back by it, two thread hand-offs per line that cost a createUser
// about 1 ms of CPU at the bench's rate (docs/performance.md, change 37),
// and a line it holds is lost if the process is killed. Checked in a fresh
// process, whose stdout is the line's destination.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// After one line: what the process still waits for (an asynchronous write is a pending FSReqCallback).
const PROBE = `
const { createLogger } = await import('./src/logger.ts');
const logger = createLogger('info');
logger.info({ password: 'hunter2' }, 'probe line');
const pending = process.getActiveResourcesInfo().filter((kind) => kind === 'FSReqCallback');
process.stderr.write(JSON.stringify({ pending }));
process.kill(process.pid, 'SIGKILL');
`;

describe('the log destination', () => {
  it('writes each line to stdout before the log call returns: nothing pending, nothing lost to a kill', () => {
    let stdout = '';
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // Killed on purpose: its output is still what it wrote.
      ({ stdout, stderr } = error as { stdout: string; stderr: string });
    }
    expect(JSON.parse(stderr)).toEqual({ pending: [] });
    const [line] = stdout.trim().split('\n');
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 30, msg: 'probe line', password: '[redacted]', service: 'identity-gateway' });
  });
});
