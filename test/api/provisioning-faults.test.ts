// The fault matrix: every backend × every way a backend fails. The mutation
// always answers (no 500), the failure is recorded on the account, the user
// is kept, and a retry after the fault clears finishes with exactly one
// account in the backend.
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../fakes/http-fake.ts';
import { startFakeForge } from '../fakes/forge.ts';
import { startFakeRetool } from '../fakes/retool.ts';
import { graphql } from '../gql/index.ts';
import { backendEnv } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const CreateUser = graphql(`
  mutation FaultyCreate($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }
    }
  }
`);

const Retry = graphql(`
  mutation RetryAfterFault($userId: ID!) {
    retryProvisioning(input: { userId: $userId }) {
      __typename
      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }
    }
  }
`);

type FaultCase = { name: string; fault: Fault | 'connection refused'; retryAfterAtLeastMs?: number };

const FAULTS: FaultCase[] = [
  { name: 'timeout', fault: { kind: 'hang' } },
  { name: 'timeout after the backend applied the request', fault: { kind: 'hang', afterApply: true } },
  { name: 'connection refused', fault: 'connection refused' },
  { name: 'connection reset after the backend applied the request', fault: { kind: 'reset', afterApply: true } },
  { name: '500', fault: { kind: 'status', status: 500 } },
  { name: '503', fault: { kind: 'status', status: 503 } },
  { name: '429 with Retry-After', fault: { kind: 'rate-limit', retryAfter: '2' }, retryAfterAtLeastMs: 2000 },
  { name: 'HTML 200', fault: { kind: 'html' } },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' } },
];

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function faultyBackend(backend: 'RETOOL' | 'FORGE', fault: FaultCase['fault']) {
  const start = backend === 'RETOOL' ? startFakeRetool : startFakeForge;
  let fake = await start();
  const env = backend === 'RETOOL' ? backendEnv(fake as Awaited<ReturnType<typeof startFakeRetool>>, undefined) : backendEnv(undefined, fake as Awaited<ReturnType<typeof startFakeForge>>);
  const port = Number(new URL(fake.url).port);
  if (fault === 'connection refused') {
    await fake.close();
  } else {
    fake.setOptions({ failNext: { count: 1000, fault } });
  }
  const first = fake;
  if (fault !== 'connection refused') closers.push(() => first.close());
  return {
    env,
    /** The fault clears: the backend answers normally again, at the same address. */
    async clear() {
      if (fault === 'connection refused') {
        const revived = await start({ port });
        fake = revived;
        closers.push(() => revived.close());
      } else {
        fake.setOptions({ failNext: undefined });
      }
    },
    accountsFor(email: string, username: string): number {
      const users: Array<{ email: string; login?: string }> = fake.state.users;
      return users.filter((u) => u.email.toLowerCase() === email.toLowerCase() || u.login === username).length;
    },
  };
}

describe.each(['RETOOL', 'FORGE'] as const)('%s fault matrix', (backend) => {
  it.each(FAULTS)('$name: the user is kept, the account FAILED, and a retry finishes it exactly once', async ({ name, fault, retryAfterAtLeastMs }) => {
    const faulty = await faultyBackend(backend, fault);
    const api = startTestGateway(testStore().store, faulty.env);
    const username = `f-${backend.toLowerCase()}-${name.replace(/[^a-z0-9]+/gi, '-')}`.slice(0, 40).replace(/-+$/, '');
    const email = `${username}@example.com`;
    const before = Date.now();

    const created = await api.graphql(CreateUser, { input: { email, username, backends: [backend] } });
    expect(created.errors).toBeUndefined();
    if (created.data?.createUser.__typename !== 'CreateUserPayload') throw new Error(`expected a payload, got ${JSON.stringify(created)}`);
    const [account] = created.data.createUser.accounts;
    expect(account).toMatchObject({ backend, status: 'FAILED', attempts: 1 });
    expect(account?.lastError).toMatch(new RegExp(`^${backend === 'RETOOL' ? 'retool' : 'forge'}: `));
    expect(account?.nextAttemptAt).not.toBeNull();
    if (retryAfterAtLeastMs) expect(Date.parse(account?.nextAttemptAt ?? '') - before).toBeGreaterThanOrEqual(retryAfterAtLeastMs);

    await faulty.clear();
    const retried = await api.graphql(Retry, { userId: created.data.createUser.user.id });
    expect(retried.data?.retryProvisioning).toMatchObject({ accounts: [{ backend, status: 'ACTIVE', lastError: null }] });
    expect(faulty.accountsFor(email, username)).toBe(1);
  });
});
