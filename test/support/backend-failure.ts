import { expect } from 'vitest';
import { BackendRequestError } from '../../src/backends/errors.ts';
import type { TransportTuning } from '../../src/backends/http.ts';

/** Client tuning for wire tests: short timeouts, no real sleeping, no jitter. */
export const FAST_TRANSPORT: TransportTuning = { timeoutMs: 200, maxRetries: 2, random: () => 0, sleep: async () => undefined };

/** The typed error a backend call rejected with, checked to name its backend. */
export async function backendFailure(promise: Promise<unknown>, backend: string): Promise<BackendRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendRequestError);
  expect((error as BackendRequestError).backend).toBe(backend);
  return error as BackendRequestError;
}
