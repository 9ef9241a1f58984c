// PGlite is one Postgres inside one process: two processes on one data
// directory each believe they own it, and acknowledged writes of one are
// lost when the other writes its state back. A lock file beside the
// directory, holding the owner's pid, makes the second process refuse to
// start; a lock whose process is gone (kill -9, a crash) is stale and taken over.
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';

export class StoreLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `the PGlite data directory ${dataDir} is in use by process ${pid} (lock file ${lockFile}). PGlite serves one process at a time: stop that process, or use DATABASE_URL (Postgres) for several instances.`,
    );
    this.name = 'StoreLockedError';
  }
}

export const lockFileOf = (dataDir: string) => `${dataDir.replace(/[\\/]+$/, '')}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

const pidIn = (text: string) => Number.parseInt(text.trim(), 10);

/** Take the directory's lock or throw StoreLockedError; resolves with the release. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = lockFileOf(dataDir);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST')) throw error;
      const owner = pidIn(await readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) throw new StoreLockedError(dataDir, owner, file);
      // Stale (its process is gone) or unreadable: take it over, once.
      if (attempt > 2) throw new StoreLockedError(dataDir, owner, file);
      await unlink(file).catch(() => undefined);
    }
  }
  const ours = () => {
    try {
      return pidIn(readFileSync(file, 'utf8')) === process.pid;
    } catch {
      return false;
    }
  };
  // A process that exits without closing the store (process.exit) still frees the directory.
  const onExit = () => {
    if (ours()) unlinkSync(file);
  };
  process.once('exit', onExit);
  return async () => {
    process.removeListener('exit', onExit);
    if (ours()) await unlink(file).catch(() => undefined);
  };
}
