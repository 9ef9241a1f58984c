// createUsers: typed per-item results, bad items isolated, idempotent
// re-runs, the concurrency bound and the per-backend rate limit as the
// fakes see them, and what a batch costs in SQL statements.
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { statementsDuring } from '../support/statements.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const CreateUsers = graphql(`
  mutation BulkCreateUsers($input: CreateUsersInput!) {
    createUsers(input: $input) {
      __typename
      ... on CreateUsersPayload {
        created
        existing
        failed
        results {
          __typename
          ... on CreateUserPayload { created user { id email } accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }
          ... on ValidationError { fieldErrors { path message } }
          ... on Error { message }
        }
      }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

type Backends = Array<'RETOOL' | 'FORGE'>;
const person = (name: string, backends: Backends = ['RETOOL', 'FORGE']) => ({ email: `${name}@example.com`, username: name, backends });

describe('createUsers', () => {
  it('answers each item on its own: created, already there, invalid or taken; a bad item changes nothing and blocks no other', async () => {
    const { api, retool, forge } = await setup();
    const users = [person('ann'), { ...person('bad'), email: 'not-an-email' }, person('ben', ['RETOOL']), { ...person('clash'), email: 'ann@example.com' }];
    const first = await api.graphql(CreateUsers, { input: { users } });
    const payload = first.data?.createUsers;
    if (payload?.__typename !== 'CreateUsersPayload') throw new Error(`expected a payload: ${JSON.stringify(first)}`);
    expect(payload.results.map((r) => r.__typename)).toEqual(['CreateUserPayload', 'ValidationError', 'CreateUserPayload', 'ConflictError']);
    expect({ created: payload.created, existing: payload.existing, failed: payload.failed }).toEqual({ created: 2, existing: 0, failed: 2 });
    const [ann, bad, ben] = payload.results;
    if (ann?.__typename !== 'CreateUserPayload' || bad?.__typename !== 'ValidationError' || ben?.__typename !== 'CreateUserPayload') throw new Error('shapes');
    expect(ann.accounts).toEqual([
      { backend: 'FORGE', status: 'ACTIVE' },
      { backend: 'RETOOL', status: 'ACTIVE' },
    ]);
    // One-time secrets exactly as createUser shows them: here, once; none left for a pickup.
    expect(ann.secrets.map((s) => s.kind).sort()).toEqual(['PASSWORD', 'TOKEN']);
    expect(ann.pendingSecrets).toEqual([]);
    expect(bad.fieldErrors.map((f) => f.path.join('.'))).toEqual(['input.users.1.email']);
    expect(retool.byEmail('not-an-email')).toHaveLength(0);
    expect(forge.user('bad')).toBeUndefined();
    expect(forge.user('clash')).toBeUndefined();

    // The same list again: nothing new anywhere, every good item answered as it is, secrets not shown again.
    const calls = retool.state.calls.length + forge.state.calls.length;
    const again = await api.graphql(CreateUsers, { input: { users } });
    const repeat = again.data?.createUsers;
    if (repeat?.__typename !== 'CreateUsersPayload') throw new Error('expected a payload');
    expect({ created: repeat.created, existing: repeat.existing, failed: repeat.failed }).toEqual({ created: 0, existing: 2, failed: 2 });
    const annAgain = repeat.results[0];
    if (annAgain?.__typename !== 'CreateUserPayload') throw new Error('shape');
    expect(annAgain).toMatchObject({ created: false, secrets: [], user: { id: ann.user.id } });
    expect(retool.state.calls.length + forge.state.calls.length).toBe(calls);
  });

  it('over BULK_MAX_USERS: one ValidationError, nothing created', async () => {
    const { api, retool } = await setup({ BULK_MAX_USERS: '2' });
    const { data } = await api.graphql(CreateUsers, { input: { users: [person('a1'), person('a2'), person('a3')] } });
    expect(data?.createUsers).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'users'] }] });
    expect(retool.state.calls).toHaveLength(0);
  });

  it('provisions at most BULK_CONCURRENCY users at once, as the fake backend sees it', async () => {
    const { api, retool } = await setup({ BULK_CONCURRENCY: '3' });
    retool.setOptions({ latencyMs: 40 });
    const users = Array.from({ length: 12 }, (_, i) => person(`c${i}`, ['RETOOL']));
    const { data } = await api.graphql(CreateUsers, { input: { users } });
    expect(data?.createUsers).toMatchObject({ __typename: 'CreateUsersPayload', created: 12 });
    const calls = retool.state.calls;
    expect(new Set(calls.filter((call) => call.method === 'POST').map((call) => JSON.stringify(call.body))).size).toBe(12);
    // Retool provisioning is one call at a time per user (a retry or look-up after a timeout
    // included): calls in flight are users in flight. More than one at once, never more than 3.
    const most = Math.max(...calls.map((call) => call.inFlight));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('keeps every call to a backend within RETOOL_RATE_LIMIT_PER_SECOND, as the fake sees it', async () => {
    const { api, retool } = await setup({ RETOOL_RATE_LIMIT_PER_SECOND: '10', BULK_CONCURRENCY: '10' });
    const users = Array.from({ length: 25 }, (_, i) => person(`r${i}`, ['RETOOL']));
    const { data } = await api.graphql(CreateUsers, { input: { users } });
    expect(data?.createUsers).toMatchObject({ __typename: 'CreateUsersPayload', created: 25 });
    // Every attempt draws from the bucket: retries and look-ups after a timeout (a loaded machine) count too.
    const times = retool.state.calls.map((call) => call.at).sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(25);
    // A bucket of 10 tokens refilled at 10 a second: N calls span at least (N - 10) / 10 s from the
    // first to the last. Arrivals only lag their sends (a loaded machine delays some calls more than
    // others), so the check is one-sided, less 0.3 s for the first calls' connection set-up.
    // Unlimited, all of them arrive within half a second.
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(((times.length - 10) / 10) * 1000 - 300);
  });

  it('a batch costs each user what createUser costs and nothing per batch beyond the audit row (Retool: 3 statements, 2 + the audit row)', async () => {
    const { api } = await setup();
    const { store } = testStore();
    await api.graphql(CreateUsers, { input: { users: [person('warm', ['RETOOL'])] } });
    const statementsFor = async (users: ReturnType<typeof person>[]) => {
      const { result: { data }, statements } = await statementsDuring(store, () => api.graphql(CreateUsers, { input: { users } }));
      const payload = data?.createUsers;
      if (payload?.__typename !== 'CreateUsersPayload') throw new Error('expected a payload');
      expect(payload.created).toBe(users.length);
      // The count below holds for accounts provisioned in time (a timed-out call records a failure instead).
      for (const item of payload.results) if (item.__typename === 'CreateUserPayload') expect(item.accounts.map((a) => a.status)).toEqual(['ACTIVE']);
      return statements.length;
    };
    const one = await statementsFor([person('s0', ['RETOOL'])]);
    const five = await statementsFor(Array.from({ length: 5 }, (_, i) => person(`s${i + 1}`, ['RETOOL'])));
    // createUser with Retool is 3 statements, one of them the audit row: 2 per user plus one audit row per call
    // (with both backends 5 + 1; test/api/create-user-statements.test.ts counts createUser itself).
    expect(one).toBe(3);
    expect(five).toBe(2 * 5 + 1);
  });
});
