// Messages between the bench runner and the server processes it spawns. They
// travel over the IPC channel, not HTTP, so asking a server for its counters
// never shows up in the request path being measured.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** What a server reports once it listens. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** Extra facts a server knows at start (e.g. the gateway's schema fields). */
  info: ServerInfo;
}

export interface ServerInfo {
  /** Gateway only: field names of the object types the scenarios need. */
  fields?: Record<string, string[]>;
  /** Gateway only: argument names of those fields, keyed `Type.field`. */
  fieldArgs?: Record<string, string[]>;
  /** Gateway only: every seeded user's row id, for random point lookups. */
  userIds?: string[];
  storeKind?: 'pglite' | 'postgres';
  /** Fakes only: base URLs of the fake backends. */
  retoolUrl?: string;
  forgeUrl?: string;
}

export interface StatsMessage {
  type: 'stats';
  id: number;
  stats: ServerStats;
}

export interface ServerStats {
  /** SQL statements issued since start (gateway: the store's counter; baseline: its own). */
  queries: number;
  /** HTTP requests answered on the measured path. */
  requests: number;
  rssBytes: number;
  cpuMicros: number;
  /** Fakes only: calls received by each fake backend. */
  retoolCalls?: number;
  forgeCalls?: number;
}

export type ChildMessage = ReadyMessage | StatsMessage | { type: 'error'; message: string } | { type: 'profiled'; id: number };
export type ParentMessage =
  | { type: 'stats'; id: number }
  | { type: 'stop' }
  /** Start the V8 CPU profiler now, or stop it and write the profile to `path`. */
  | { type: 'profile'; id: number; path: string | undefined };

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === 'object' && value !== null && 'type' in value && (value.type === 'stats' || value.type === 'stop' || value.type === 'profile');
}

/**
 * Wires the IPC side every server child shares: answers stats requests,
 * stops on request, and exits when the runner goes away so no server is
 * ever left behind.
 */
export function serveIpc(stats: () => ServerStats, stop: () => Promise<void>): void {
  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) return;
    if (message.type === 'stats') {
      send({ type: 'stats', id: message.id, stats: stats() });
      return;
    }
    if (message.type === 'profile') {
      void profile(message.path).then(() => send({ type: 'profiled', id: message.id }));
      return;
    }
    // A normal exit is what makes `--cpu-prof` write its profile.
    void stop().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}

// The same V8 sampling profiler as `node --cpu-prof`, but started and
// stopped around the measured window, so module loading and warm-up stay out.
let session: Session | undefined;

async function profile(path: string | undefined): Promise<void> {
  if (path === undefined) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return;
  }
  if (!session) return;
  const { profile: result } = await session.post('Profiler.stop');
  await writeFile(path, JSON.stringify(result));
  session.disconnect();
  session = undefined;
}

export function send(message: ChildMessage): void {
  process.send?.(message);
}

export function processStats(): Pick<ServerStats, 'rssBytes' | 'cpuMicros'> {
  const cpu = process.cpuUsage();
  return { rssBytes: process.memoryUsage.rss(), cpuMicros: cpu.user + cpu.system };
}

/** Reports a start-up failure to the runner before dying, so it can say why. */
export function failStartup(error: unknown): void {
  const message: ChildMessage = { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  if (!process.send) process.exit(1);
  process.send(message, undefined, undefined, () => process.exit(1));
}
