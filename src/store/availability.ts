// Telling "the store is unreachable" apart from every other error, so that
// callers answer 503 SERVICE_UNAVAILABLE (retry later) instead of a masked
// 500, and the log says it once per outage instead of once per request.
import type { Logger } from '../logger.ts';

// SQLSTATE classes and codes that mean the store, not the statement, failed:
// 08 connection exception; 57P01-57P03 shutdown / cannot connect now;
// 53300 too many connections; 57014 canceled (our statement_timeout).
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300|57014)$/;
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres reports its own timeouts and lost connections by message only.
const UNAVAILABLE_MESSAGES = /connection terminated|timeout exceeded when trying to connect|query read timeout|connection error and is not queryable|not queryable|connection timeout/i;

function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    yield current;
    // A GraphQL error wraps the resolver's (originalError); Drizzle wraps the driver's (cause).
    if (typeof current !== 'object') return;
    current = 'originalError' in current && current.originalError ? current.originalError : 'cause' in current ? current.cause : undefined;
  }
}

/** Whether `error` (or any cause of it) says the store could not be reached or did not answer in time. */
export function isStoreUnavailable(error: unknown): boolean {
  for (const cause of causes(error)) {
    if (typeof cause !== 'object' || cause === null) continue;
    const code = 'code' in cause ? cause.code : undefined;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_CODES.has(code))) return true;
    if (cause instanceof Error && UNAVAILABLE_MESSAGES.test(cause.message)) return true;
  }
  return false;
}

/** A short reason for the log: an error code or the first line of the driver's message, never a statement's parameters. */
export function storeErrorReason(error: unknown): string {
  for (const cause of causes(error)) {
    if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  }
  const last = [...causes(error)].pop();
  return last instanceof Error ? (last.message.split('\n')[0] ?? '').slice(0, 120) : 'unknown';
}

export interface StoreOutage {
  /** Notes a store-unavailable error: the first of an outage is logged, the rest counted. */
  report(error: unknown): void;
  /** Whether an outage is going on (until a probe reaches the store again). */
  ongoing(): boolean;
  stop(): void;
}

/**
 * One error line when an outage starts, a summary every `summaryMs` while it
 * lasts, and one line when `probe` reaches the store again (tried every `probeMs`).
 */
export function createStoreOutage(logger: Logger, probe: () => Promise<void>, options: { probeMs?: number; summaryMs?: number } = {}): StoreOutage {
  const probeMs = options.probeMs ?? 2_000;
  const summaryMs = options.summaryMs ?? 60_000;
  let since: number | undefined;
  let failures = 0;
  let lastSummary = 0;
  let timer: NodeJS.Timeout | undefined;

  const check = async () => {
    try {
      await probe();
    } catch {
      if (Date.now() - lastSummary >= summaryMs) {
        lastSummary = Date.now();
        logger.error({ downForMs: Date.now() - (since ?? Date.now()), failures }, 'store still unavailable');
      }
      return;
    }
    logger.warn({ downForMs: Date.now() - (since ?? Date.now()), failures }, 'store available again');
    since = undefined;
    failures = 0;
    clearInterval(timer);
    timer = undefined;
  };

  return {
    report(error) {
      failures += 1;
      if (since !== undefined) return;
      since = Date.now();
      lastSummary = since;
      logger.error({ reason: storeErrorReason(error) }, 'store unavailable: answering 503 SERVICE_UNAVAILABLE until it is back');
      timer = setInterval(() => void check(), probeMs);
      timer.unref();
    },
    ongoing: () => since !== undefined,
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
