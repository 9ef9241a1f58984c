// The time a caller still has for backend calls: a mutation's inline work
// may retry only within its deadline; a wait that would pass it fails
// retryable instead, and the worker takes the account up at its retry time
// (domain/provisioning.ts).
//
// Passed explicitly down the call chain (AccountBackend → client → transport
// request), never through AsyncLocalStorage: on Node 20 one
// AsyncLocalStorage.run turns on promise hooks for the whole process, and
// from the first mutation on every read paid for them (scenario 1 of the
// bench 20–28% more CPU per request, scenario 2 13%; docs/performance.md).

export interface CallBudget {
  /** Epoch ms after which no inline retry starts. */
  readonly deadline: number;
}
