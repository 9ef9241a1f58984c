// The time a caller still has for backend calls, carried along the async
// call chain: a mutation's inline work may retry only within its deadline;
// a wait that would pass it fails retryable instead, and the worker takes
// the account up at its retry time (domain/provisioning.ts).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallBudget {
  /** Epoch ms after which no inline retry starts. */
  readonly deadline: number;
}

const storage = new AsyncLocalStorage<CallBudget>();

export function withBudget<T>(budget: CallBudget, run: () => Promise<T>): Promise<T> {
  return storage.run(budget, run);
}

/** The budget of the current call chain; undefined outside any (the worker: the transport's own policy). */
export function currentBudget(): CallBudget | undefined {
  return storage.getStore();
}
