// The background half of "nothing lost": every instance polls for accounts
// not converged whose lease is free or expired and that are due (new, changed,
// interrupted, or FAILED with its retry time come). Claims are leased with
// SKIP LOCKED, so any number of instances share the work without doing it twice.
import { isStoreUnavailable } from '../store/availability.ts';
import type { GatewayDeps } from './deps.ts';
import { retryDueAccounts } from './provisioning.ts';

export interface RetryWorker {
  stop(): Promise<void>;
}

export function startRetryWorker(deps: GatewayDeps, intervalMs: number): RetryWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async () => {
    try {
      // Drain in batches while there is due work, then wait for the next tick.
      while (!stopped && (await retryDueAccounts(deps)) > 0);
    } catch (error) {
      if (isStoreUnavailable(error)) deps.health.store.report(error);
      else deps.logger.error({ err: error }, 'retry worker pass failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  if (intervalMs > 0) schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
