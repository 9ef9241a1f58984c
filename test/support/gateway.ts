// A real gateway over HTTP for tests: yoga's fetch handler with the same
// plugins and masking as production, on a test store.
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type Config, loadConfig } from '../../src/config.ts';
import { buildDeps, type DepsOptions, type GatewayDeps } from '../../src/domain/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { createGateway } from '../../src/server.ts';
import type { Store } from '../../src/store/client.ts';
import { randomSecretKey } from '../../src/store/secret-box.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestGateway {
  deps: GatewayDeps;
  config: Config;
  /** Every log line the gateway wrote, for asserting that no secret leaks. */
  logs: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POST a typed operation; `token: null` sends no Authorization header. */
  graphql<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<ExecutionResult<Result>>;
}

// Backend calls in tests fail fast and back off briefly.
const TEST_TRANSPORT: DepsOptions['transport'] = { timeoutMs: 500, maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxInlineWaitMs: 50 };

export function startTestGateway(store: Store, env: Record<string, string | undefined> = {}, options: DepsOptions = {}): TestGateway {
  const config = loadConfig({ NODE_ENV: 'test', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const deps = buildDeps(config, store, createLogger(config.logLevel, sink), randomSecretKey(), { transport: { ...TEST_TRANSPORT, ...options.transport } });
  const yoga = createGateway(deps);
  const fetch = (path: string, init?: RequestInit) => Promise.resolve(yoga.fetch(new Request(`http://gateway.test${path}`, init)));
  return {
    deps,
    config,
    logs,
    fetch,
    async graphql(document, variables, options = {}) {
      const token = options.token === undefined ? ADMIN_TOKEN : options.token;
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...options.headers,
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as ExecutionResult<never>;
    },
  };
}
