// Whether each configured backend will accept what the gateway asks of it,
// found out once at start-up and on demand (the `backends` query) rather than
// user by user. Deliberately not part of /readyz: one misconfigured backend
// must not take every replica out of service while the others work.
import { BackendRequestError } from '../backends/errors.ts';
import { BackendError } from '../errors.ts';
import type { AccountBackends, BackendCheck } from './account-backends.ts';
import type { Backend } from '../store/schema.ts';
import type { Logger } from '../logger.ts';

export interface BackendHealth extends BackendCheck {
  name: Backend;
  checkedAt: Date;
}

/** A fresh answer is reused this long, so the query cannot turn into a probe flood. */
const FRESH_MS = 30_000;

/** A check that failed: refused credentials are a misconfiguration, anything else leaves the backend unreachable. */
export function failedCheck(error: unknown): BackendCheck {
  if (error instanceof BackendRequestError && (error.status === 401 || error.status === 403)) return { status: 'MISCONFIGURED', message: error.message };
  return { status: 'UNREACHABLE', message: error instanceof BackendError ? error.message : 'the check failed (see the gateway log)' };
}

export function createBackendHealth(backends: AccountBackends, logger: Logger) {
  let last: { at: number; results: Promise<BackendHealth[]> } | undefined;

  async function checkAll(): Promise<BackendHealth[]> {
    const entries = Object.values(backends);
    return Promise.all(
      entries.map(async (backend) => {
        const found = await backend.check().catch(failedCheck);
        return { name: backend.backend, ...found, checkedAt: new Date() };
      }),
    );
  }

  return {
    /** The last answer if fresh, else a new check. */
    current(now = Date.now()): Promise<BackendHealth[]> {
      if (!last || now - last.at > FRESH_MS) last = { at: now, results: checkAll() };
      return last.results;
    },
    /** At start-up: one clear log line per backend that is not OK. */
    async report(): Promise<void> {
      for (const health of await this.current()) {
        if (health.status === 'OK') logger.info({ backend: health.name }, 'backend check passed');
        else logger.error({ backend: health.name, status: health.status }, `backend ${health.name} ${health.status}: ${health.message ?? ''}`);
      }
    },
  };
}

export type BackendHealthMonitor = ReturnType<typeof createBackendHealth>;
