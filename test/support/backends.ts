// Fake Retool and Forgejo servers wired into a test gateway through the same
// environment variables an operator sets.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Store } from '../../src/store/client.ts';
import { backendEnv } from '../fakes/backend-env.ts';
import { type FakeForge, startFakeForge } from '../fakes/forge.ts';

export { backendEnv };
import { type TestGateway, startTestGateway } from './gateway.ts';
import { type FakeRetool, startFakeRetool } from '../fakes/retool.ts';

export interface FakeBackends {
  retool: FakeRetool;
  forge: FakeForge;
  env: Record<string, string>;
}


/** Fresh fakes for each test (state never leaks between scenarios). */
export async function startFakeBackends(): Promise<FakeBackends> {
  const [retool, forge] = await Promise.all([startFakeRetool(), startFakeForge()]);
  return { retool, forge, env: backendEnv(retool, forge) };
}

/** One pair of fakes per file, for files whose tests do not disturb each other. */
export function useFakeBackends(): () => FakeBackends {
  let current: FakeBackends | undefined;
  beforeAll(async () => {
    current = await startFakeBackends();
  });
  afterAll(async () => {
    await Promise.all([current?.retool.close(), current?.forge.close()]);
  });
  return () => {
    if (!current) throw new Error('fake backends not started');
    return current;
  };
}

/**
 * Fresh fakes for each test that asks for them, closed after it; returns the
 * fakes with a gateway configured to use them.
 */
export function useFreshFakeBackends(store: () => Store): (env?: Record<string, string>) => Promise<FakeBackends & { api: TestGateway }> {
  let current: FakeBackends | undefined;
  afterEach(async () => {
    await Promise.all([current?.retool.close(), current?.forge.close()]);
    current = undefined;
  });
  return async (env = {}) => {
    current = await startFakeBackends();
    return { ...current, api: startTestGateway(store(), { ...current.env, ...env }) };
  };
}
