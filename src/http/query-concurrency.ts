// Admission control for queries: at most `maxRunning` queries execute at
// once; the next ones wait their turn in arrival order, and once
// `maxQueued` are waiting a further query is refused with 503 and
// Retry-After instead of joining the queue. A query whose client disconnects
// while it waits leaves the queue without running.
//
// Why: a query holds its rows and its result tree while it waits for the
// store, so with every query of 64 open connections executing at once their
// data is all alive together and the heap grows to hold it; executed a few at
// a time, the same work takes less CPU (fewer objects outlive a young
// collection) and less memory (docs/performance.md, "Queries in flight").
// Mutations are not counted: they spend their time waiting on Retool and
// Forgejo, hold little, and have their own rate limit (rate-limit.ts); a
// slow backend must not hold up reads.
import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';

export interface QueryConcurrency {
  /**
   * Resolves with a release function once a slot is free; undefined when the
   * queue is full, or when `signal` aborts while waiting (the place in the
   * queue is given up: a client that went away costs no execution).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined>;
  readonly running: number;
  readonly queued: number;
}

export function createQueryConcurrency(maxRunning: number, maxQueued: number): QueryConcurrency {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next in line, so `running` only drops when nobody waits.
    if (next) next();
    else running -= 1;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (running < maxRunning) {
        running += 1;
        return Promise.resolve(once());
      }
      if (waiting.length >= maxQueued) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const leave = () => {
          const at = waiting.indexOf(turn);
          if (at >= 0) waiting.splice(at, 1);
          resolve(undefined);
        };
        const turn = () => {
          signal?.removeEventListener('abort', leave);
          resolve(once());
        };
        signal?.addEventListener('abort', leave, { once: true });
        waiting.push(turn);
      });
    },
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
  };
}

const BUSY_RETRY_AFTER_SECONDS = 1;

export function useQueryConcurrency(limit: QueryConcurrency): Plugin<GatewayContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      const { signal } = args.contextValue.request;
      setExecuteFn(async (executeArgs) => {
        const release = await limit.acquire(signal);
        if (!release) {
          return {
            errors: [
              new GraphQLError('the gateway is busy; retry shortly', {
                extensions: {
                  code: 'SERVICE_UNAVAILABLE',
                  retryable: true,
                  retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
                  http: { status: 503, headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) } },
                },
              }),
            ],
          };
        }
        try {
          return await executeFn(executeArgs);
        } finally {
          release();
        }
      });
    },
  };
}
