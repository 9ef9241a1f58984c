// A real gateway over HTTP for tests: yoga's fetch handler with the same
// plugins and masking as production, on a test store.
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type Config, loadConfig } from '../../src/config.ts';
import { buildDeps, type DepsOptions } from '../../src/compose.ts';
import type { GatewayDeps } from '../../src/domain/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { createGateway, type GatewayOptions } from '../../src/server.ts';
import type { Store } from '../../src/store/client.ts';
import { randomSecretKey } from '../../src/store/secret-box.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestGateway {
  deps: GatewayDeps;
  /** The yoga server itself, to serve on a real socket (test/support/listening.ts). */
  yoga: ReturnType<typeof createGateway>;
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
  /** Releases what the gateway holds open (the Redis connection of the rate limiter). */
  close(): Promise<void>;
}

/**
 * Every log line any test gateway wrote and every secret a test sent or was
 * shown, for the check after each file that no secret reached a log
 * (test/support/no-secrets-in-logs.ts).
 */
export const runLog = { lines: [] as string[], secrets: new Set<string>([ADMIN_TOKEN]) };

const SECRET_KEYS = new Set(['token', 'clientSecret', 'password', 'secret', 'accessToken', 'refreshToken']);

/** Notes the values of secret-named fields (and of `secrets[].value`) in a request or response. */
export function noteSecrets(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEYS.has(key) && value.length >= 8 && value !== '[revealed once]') runLog.secrets.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (key === 'secrets' && typeof item === 'object' && item !== null && 'value' in item) noteSecrets(item.value, 'secret');
      noteSecrets(item, key);
    }
    return;
  }
  if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) noteSecrets(v, k);
}

// Backend calls in tests fail fast and back off briefly.
const TEST_TRANSPORT: DepsOptions['transport'] = { timeoutMs: 500, maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxInlineWaitMs: 50 };

export function startTestGateway(store: Store, env: Record<string, string | undefined> = {}, options: DepsOptions & GatewayOptions = {}): TestGateway {
  const config = loadConfig({ NODE_ENV: 'test', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      runLog.lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const deps = buildDeps(config, store, createLogger(config.logLevel, sink), randomSecretKey(), {
    transport: { ...TEST_TRANSPORT, ...options.transport },
    ...(options.oauth2Resolver ? { oauth2Resolver: options.oauth2Resolver } : {}),
  });
  const yoga = createGateway(deps, { jwks: options.jwks });
  const fetch = (path: string, init?: RequestInit) => Promise.resolve(yoga.fetch(new Request(`http://gateway.test${path}`, init)));
  return {
    deps,
    yoga,
    config,
    logs,
    fetch,
    close: () => Promise.resolve(yoga.dispose()),
    async graphql(document, variables, options = {}) {
      const token = options.token === undefined ? ADMIN_TOKEN : options.token;
      if (token) runLog.secrets.add(token);
      noteSecrets(variables);
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
      const result = (await response.json()) as ExecutionResult<never>;
      noteSecrets(result.data);
      return result;
    },
  };
}
