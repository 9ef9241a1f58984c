import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startRetryWorker } from '../../src/domain/retry-worker.ts';
import { backendAccounts } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { useFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const fakes = useFakeBackends();

const CreateForWorker = graphql(`
  mutation CreateForWorker($input: CreateUserInput!) {
    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }
  }
`);

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (await check()) return;
  }
  throw new Error('condition not met in time');
}

describe('the retry worker', () => {
  it('finishes a FAILED account by itself once its retry time has come', async () => {
    const { store } = testStore();
    const { retool, env } = fakes();
    const api = startTestGateway(store, env);
    retool.setOptions({ failNext: { count: 1000, fault: { kind: 'status', status: 502 } } });
    const { data } = await api.graphql(CreateForWorker, { input: { email: 'later@example.com', username: 'later', backends: ['RETOOL'] } });
    expect(data?.createUser).toEqual({ accounts: [{ status: 'FAILED' }] });

    retool.setOptions({ failNext: undefined });
    await store.db.update(backendAccounts).set({ nextAttemptAt: sql`now()` });
    const worker = startRetryWorker(api.deps, 20);
    try {
      await eventually(async () => (await store.db.select().from(backendAccounts)).every((a) => a.status === 'ACTIVE'));
    } finally {
      await worker.stop();
    }
    expect(retool.byEmail('later@example.com')).toHaveLength(1);
  });
});
