// Opening the store at start-up: a Postgres that is not up yet (a cluster
// restarting, a pod starting before its database) is waited for with
// backoff and one clear log line, never a stack trace; any other failure
// (bad credentials, a locked PGlite directory) stops start-up at once.
import type { Logger } from '../logger.ts';
import { isStoreUnavailable, storeErrorReason } from './availability.ts';
import { openStore, type Store, type StoreOptions } from './client.ts';

const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 30_000;

export async function openMigratedStore(options: StoreOptions, logger: Logger, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Promise<Store> {
  for (let attempt = 1; ; attempt += 1) {
    const store = await openStore(options);
    try {
      await store.migrate();
      if (attempt > 1) logger.info({ attempts: attempt }, 'store reachable: starting');
      return store;
    } catch (error) {
      await store.close().catch(() => undefined);
      if (!isStoreUnavailable(error)) throw error;
      const waitMs = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (attempt - 1));
      // One line when waiting starts; each further attempt only at debug level.
      const line = { reason: storeErrorReason(error), attempt, retryInMs: waitMs };
      if (attempt === 1) logger.warn(line, 'store unavailable at start-up: waiting for it (retrying with backoff)');
      else logger.debug(line, 'store still unavailable at start-up');
      await sleep(waitMs);
    }
  }
}
