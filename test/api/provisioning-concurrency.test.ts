// Several gateway instances over one store retry the same FAILED accounts at
// the same time: leased claims make each backend account be created once.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { retryDueAccounts } from '../../src/domain/provisioning.ts';
import { backendAccounts } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { useFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const fakes = useFakeBackends();

const CreateForRace = graphql(`
  mutation CreateForRace($input: CreateUserInput!) {
    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }
  }
`);
const RetryRace = graphql(`
  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }
`);

describe('two gateway instances on one store', () => {
  it('retry the same FAILED accounts concurrently and create each backend user exactly once', async () => {
    const { store } = testStore();
    const { retool, forge, env } = fakes();
    // A realistic client timeout: this scenario is about claims, not about timeouts under a loaded CI machine.
    const transport = { transport: { timeoutMs: 5_000 } };
    const instanceA = startTestGateway(store, env, transport);
    const instanceB = startTestGateway(store, env, transport);

    retool.setOptions({ failNext: { count: 1000, fault: { kind: 'status', status: 503 } } });
    forge.setOptions({ failNext: { count: 1000, fault: { kind: 'status', status: 503 } } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const { data } = await instanceA.graphql(CreateForRace, { input: { email: `race${i}@example.com`, username: `race${i}`, backends: ['RETOOL', 'FORGE'] } });
      expect(data?.createUser).toMatchObject({ accounts: [{ status: 'FAILED' }, { status: 'FAILED' }] });
      ids.push((data?.createUser as { user: { id: string } }).user.id);
    }

    // The fault clears; every account is due now; backends answer slowly so
    // the instances overlap.
    retool.setOptions({ failNext: undefined, latencyMs: 20 });
    forge.setOptions({ failNext: undefined, latencyMs: 20 });
    await store.db.update(backendAccounts).set({ nextAttemptAt: sql`now() - interval '1 second'` });

    await Promise.all([
      retryDueAccounts(instanceA.deps),
      retryDueAccounts(instanceB.deps),
      ...ids.map((userId, i) => (i % 2 === 0 ? instanceA : instanceB).graphql(RetryRace, { userId })),
      ...ids.map((userId, i) => (i % 2 === 0 ? instanceB : instanceA).graphql(RetryRace, { userId })),
    ]);

    // An attempt that still failed (a slow machine) is the worker's to finish;
    // a few bounded passes must complete everything without duplicates.
    for (let pass = 0; pass < 5; pass += 1) {
      const open = await store.db.select().from(backendAccounts).where(sql`${backendAccounts.status} <> 'ACTIVE'`);
      if (open.length === 0) break;
      await store.db.update(backendAccounts).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(sql`${backendAccounts.status} <> 'ACTIVE'`);
      await retryDueAccounts(instanceA.deps);
    }
    const statuses = await store.db.select({ status: backendAccounts.status }).from(backendAccounts);
    expect(statuses.every((row) => row.status === 'ACTIVE')).toBe(true);
    for (let i = 0; i < 6; i += 1) {
      expect(retool.byEmail(`race${i}@example.com`)).toHaveLength(1);
      expect(forge.state.users.filter((u) => u.login === `race${i}`)).toHaveLength(1);
    }
    // Successful creates only: under load a client timeout may resend a
    // create, which the backend answers as a duplicate and the client links.
    const creates = (calls: Array<{ method: string; path: string; outcome: number | string }>, path: string, created: number) =>
      calls.filter((c) => c.method === 'POST' && c.path === path && c.outcome === created).length;
    expect(creates(retool.state.calls, '/users', 200)).toBe(6);
    expect(creates(forge.state.calls, '/admin/users', 201)).toBe(6);
  });
});
