import { expect } from 'vitest';
import { BackendRequestError } from '../../src/backends/errors.ts';
import type { TransportTuning } from '../../src/backends/http.ts';
import type { Retry } from '../../src/errors.ts';
import type { Fault } from '../fakes/http-fake.ts';

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

/** One row of a client's fault matrix: what the fake does, and the typed error the client must raise. */
export interface FaultCase {
  name: string;
  fault: Fault;
  kind: BackendRequestError['kind'];
  retry: Retry;
  retryAfterMs?: number;
}

/**
 * The faults every backend client must type the same way, around the
 * backend's own rate-limit answers (each backend signals its reset its own way).
 */
export function faultMatrix(rateLimits: FaultCase[]): FaultCase[] {
  return [
    { name: 'a backend that hangs past the timeout', fault: { kind: 'hang' }, kind: 'timeout', retry: 'now' },
    { name: 'a reset connection', fault: { kind: 'reset' }, kind: 'connection', retry: 'now' },
    { name: '500', fault: { kind: 'status', status: 500 }, kind: 'status', retry: 'later' },
    { name: '503', fault: { kind: 'status', status: 503 }, kind: 'status', retry: 'now' },
    ...rateLimits,
    { name: 'an HTML 200', fault: { kind: 'html' }, kind: 'not_json', retry: 'later' },
    { name: 'malformed JSON', fault: { kind: 'malformed-json' }, kind: 'not_json', retry: 'later' },
  ];
}
