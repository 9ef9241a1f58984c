// The issue's goals, each as a checklist line the report prints: [x] met,
// [ ] not met (with the figure), or not measured in this run (and why).
import { grew, NO_GROWTH_TOLERANCE } from './memory.ts';

export interface GoalFigures {
  /** gateway / baseline req/s per read scenario; undefined: not measured (no baseline, not selected). */
  ratio: Partial<Record<1 | 2 | 3, number>>;
  rss64Mb: number | undefined;
  rssRoundsMb: number[] | undefined;
  /** At the write connections; `busy`: the same creates at the busy write connections, shown beside it (the goal is read at the first). */
  createUser: { sql: number; cpuMs: number; connections: number; busy?: { cpuMs: number; connections: number } } | undefined;
  bulk: { users: number; created: number; wallSeconds: number; usersPerSecond: number } | undefined;
  /** Median seconds to /readyz. */
  startup: { postgresMigrated?: number; postgresFresh?: number; pgliteExisting?: number } | undefined;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const line = (met: boolean | undefined, text: string, why = 'not measured in this run') =>
  met === undefined ? `[ ] ${text}: ${why}` : `${met ? '[x]' : '[ ] **not met**:'} ${text}`;

export function goalLines(f: GoalFigures): string[] {
  const ratioGoal = (n: 1 | 2 | 3, goal: number) => {
    const ratio = f.ratio[n];
    return line(ratio === undefined ? undefined : ratio >= goal, `scenario ${n} at >= ${goal} of the baseline's req/s${ratio === undefined ? '' : ` (${fmt(ratio)})`}`, 'not measured in this run (needs the scenario, and DATABASE_URL for the baseline)');
  };
  const rounds = f.rssRoundsMb;
  const startup = f.startup;
  return [
    ratioGoal(1, 0.75),
    ratioGoal(3, 0.5),
    ratioGoal(2, 0.4),
    line(f.rss64Mb === undefined ? undefined : f.rss64Mb <= 200, `peak RSS <= 200 MB at 64 connections on scenario 1${f.rss64Mb === undefined ? '' : ` (${fmt(f.rss64Mb, 0)} MB)`}`),
    line(
      rounds === undefined ? undefined : !grew(rounds),
      `no RSS growth over three rounds of scenario 1 (last within ${NO_GROWTH_TOLERANCE * 100}% of the first)${rounds === undefined ? '' : `: ${rounds.map((mb) => fmt(mb, 0)).join(', ')} MB`}`,
    ),
    line(f.createUser === undefined ? undefined : f.createUser.sql <= 10, `createUser with both backends <= 10 SQL statements${f.createUser ? ` (${fmt(f.createUser.sql, 1)})` : ''}`),
    line(f.createUser === undefined ? undefined : f.createUser.cpuMs <= 8, `createUser with both backends <= 8 ms of server CPU${f.createUser ? ` (${fmt(f.createUser.cpuMs, 1)} ms at ${f.createUser.connections} connections${f.createUser.busy ? `; ${fmt(f.createUser.busy.cpuMs, 1)} ms at ${f.createUser.busy.connections}, where creates come more often` : ''})` : ''}`),
    line(
      f.bulk === undefined ? undefined : f.bulk.users >= 1000 && f.bulk.created === f.bulk.users && f.bulk.wallSeconds < 60,
      `bulk: 1,000 users provisioned in under 60 s against the 50 ms fakes${f.bulk ? ` (${f.bulk.created} of ${f.bulk.users} in ${fmt(f.bulk.wallSeconds, 1)} s, ${fmt(f.bulk.usersPerSecond, 1)} users/s)` : ''}`,
    ),
    line(
      startup?.postgresMigrated === undefined ? undefined : startup.postgresMigrated <= 1.5 && (startup.postgresFresh ?? 0) <= 1.5,
      `start-up to /readyz <= 1.5 s on Postgres${startup?.postgresMigrated === undefined ? '' : ` (migrated ${fmt(startup.postgresMigrated)} s, fresh ${fmt(startup.postgresFresh ?? NaN)} s)`}`,
      'not measured (needs DATABASE_URL and scenario 5)',
    ),
    line(
      startup?.pgliteExisting === undefined ? undefined : startup.pgliteExisting <= 3,
      `start-up to /readyz <= 3 s on an existing PGlite directory${startup?.pgliteExisting === undefined ? '' : ` (${fmt(startup.pgliteExisting)} s)`}`,
      'not measured (scenario 5 not selected)',
    ),
  ];
}
