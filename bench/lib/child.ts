// Spawning the server processes the bench measures, and talking to them.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { serverBuildOptions } from '../../scripts/build.ts';
import type { ChildMessage, ParentMessage, ServerInfo, ServerStats } from './protocol.ts';

const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerChild {
  name: string;
  pid: number;
  port: number;
  url: string;
  info: ServerInfo;
  stats(): Promise<ServerStats>;
  /** Starts the server's CPU profiler, or with a path stops it and writes the .cpuprofile there. */
  profile(path?: string): Promise<void>;
  /** Resident set size from /proc (no request to the server); undefined where /proc is missing. */
  rssBytes(): number | undefined;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

export function benchFile(name: string): string {
  return fileURLToPath(new URL(`../${name}`, import.meta.url));
}

/**
 * Builds a server as `npm run build` builds the gateway (scripts/build.ts:
 * our modules and the packages bundled by esbuild, chunks for what loads
 * later) into bench/.build/<server>/ before it is spawned, so the measured
 * process runs what production runs, not tsx: tsx's loader thread and
 * source-map hooks alone add about 70 MB of RSS to an idle gateway (134 MB
 * compiled, 205 MB under tsx, measured at the start of issue 23's second
 * round).
 */
async function compileServer(file: string): Promise<string> {
  const name = file.replace(/^.*\//, '').replace(/\.ts$/, '');
  const outdir = fileURLToPath(new URL(`../.build/${name}`, import.meta.url));
  rmSync(outdir, { recursive: true, force: true });
  await build(serverBuildOptions([file], outdir));
  return `${outdir}/${name}.js`;
}

export async function spawnServer(name: string, file: string, options: SpawnOptions): Promise<ServerChild> {
  const compiled = await compileServer(file);
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), compiled], {
    env: options.env,
    // Server logs go nowhere (writing them is still part of the measured
    // work); stderr is kept to explain a failed start.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });

  const ready = await new Promise<{ port: number; info: ServerInfo }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after ${STARTUP_TIMEOUT_MS / 1000} s\n${stderr}`)), STARTUP_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ port: message.port, info: message.info });
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${name} failed to start:\n${message.message}`));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready\n${stderr}`));
    });
  });

  const pid = child.pid ?? 0;
  let nextId = 1;
  const pending = new Map<number, (message: ChildMessage) => void>();
  child.on('message', (message: ChildMessage) => {
    if (message.type !== 'stats' && message.type !== 'profiled') return;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });

  const sendMessage = (message: ParentMessage) => child.send(message);
  /** Sends a request and waits for the answer with the same id. */
  const ask = (build: (id: number) => ParentMessage, timeoutMs: number) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${name}: no answer to ${build(id).type}`)), timeoutMs);
      pending.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      sendMessage(build(id));
    });

  return {
    name,
    pid,
    port: ready.port,
    url: `http://127.0.0.1:${ready.port}`,
    info: ready.info,
    async stats() {
      const answer = await ask((id) => ({ type: 'stats', id }), 10_000);
      if (answer.type !== 'stats') throw new Error(`${name}: unexpected answer ${answer.type}`);
      return answer.stats;
    },
    async profile(path) {
      await ask((id) => ({ type: 'profile', id, path }), 60_000);
    },
    rssBytes: () => procRss(pid),
    stop: () => stopChild(child, sendMessage),
  };
}

async function stopChild(child: ChildProcess, sendMessage: (message: ParentMessage) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  sendMessage({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function procRss(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
