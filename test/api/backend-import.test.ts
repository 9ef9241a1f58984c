// syncBackend imports every account a backend has: linked by email (any
// case) to an existing user, or a new user; a second run changes nothing.
import { describe, expect, it } from 'vitest';
import { retoolAccounts } from '../../src/domain/account-backends.ts';
import { createRetoolDbReader } from '../../src/backends/retool-db.ts';
import { createRetoolClient } from '../../src/backends/retool.ts';
import { graphql } from '../gql/index.ts';
import { type FakeBackends, startFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { openRetoolDbHarness, retoolSid } from '../support/retool-db.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const SyncBackend = graphql(`
  mutation SyncBackend($backend: Backend!) {
    syncBackend(input: { backend: $backend }) {
      __typename
      ... on SyncBackendPayload { backend linked created unchanged skippedAdmins failed }
      ... on Error { message }
    }
  }
`);

const SyncBackendFailure = graphql(`
  mutation SyncBackendFailure($backend: Backend!) {
    syncBackend(input: { backend: $backend }) {
      __typename
      ... on BackendError { backend retryable }
    }
  }
`);

const ImportedUser = graphql(`
  query ImportedUser($email: String!) {
    user(email: $email) { username status accounts { backend status externalId } }
  }
`);

async function withFakes(run: (fakes: FakeBackends) => Promise<void>) {
  const fakes = await startFakeBackends();
  try {
    await run(fakes);
  } finally {
    await Promise.all([fakes.retool.close(), fakes.forge.close()]);
  }
}

describe('syncBackend', () => {
  it('imports Retool users over REST, twice, with the counts of each pass', async () => {
    await withFakes(async (fakes) => {
      const { store } = testStore();
      await seed(store).user({ email: 'Known.Person@example.com', username: 'known-person' });
      fakes.retool.seedUser({ email: 'known.person@EXAMPLE.com', first_name: 'Known', last_name: 'Person' });
      fakes.retool.seedUser({ email: 'new.one@example.com', first_name: 'New', last_name: 'One' });
      fakes.retool.seedUser({ email: 'gone@example.com', first_name: 'Gone', last_name: 'Away', active: false });
      fakes.retool.seedUser({ email: 'owner@example.com', first_name: 'Org', last_name: 'Owner', is_admin: true });
      const api = startTestGateway(store, fakes.env);

      const first = await api.graphql(SyncBackend, { backend: 'RETOOL' });
      expect(first.data?.syncBackend).toEqual({ __typename: 'SyncBackendPayload', backend: 'RETOOL', linked: 1, created: 2, unchanged: 0, skippedAdmins: 1, failed: 0 });
      const second = await api.graphql(SyncBackend, { backend: 'RETOOL' });
      expect(second.data?.syncBackend).toMatchObject({ linked: 0, created: 0, unchanged: 3, skippedAdmins: 1, failed: 0 });
      expect((await api.graphql(ImportedUser, { email: 'owner@example.com' })).data?.user).toBeNull();

      const gone = await api.graphql(ImportedUser, { email: 'gone@example.com' });
      expect(gone.data?.user).toMatchObject({ username: 'gone', status: 'DISABLED', accounts: [{ backend: 'RETOOL', status: 'DISABLED' }] });
      const known = await api.graphql(ImportedUser, { email: 'known.person@example.com' });
      expect(known.data?.user).toMatchObject({ username: 'known-person', accounts: [{ backend: 'RETOOL', status: 'ACTIVE' }] });
    });
  });

  for (const paging of ['guide', 'reference'] as const) {
    it(`imports 250 Retool users over 3 REST pages, paged as Retool's ${paging} documents it`, async () => {
      await withFakes(async (fakes) => {
        const { store } = testStore();
        fakes.retool.setOptions({ paging });
        for (let i = 0; i < 250; i += 1) fakes.retool.seedUser({ email: `bulk-${paging}-${i}@example.com`, legacy_id: 50_000 + (paging === 'guide' ? 0 : 1000) + i });
        const api = startTestGateway(store, fakes.env);
        const result = await api.graphql(SyncBackend, { backend: 'RETOOL' });
        expect(result.data?.syncBackend).toMatchObject({ created: 250, failed: 0 });
        expect(fakes.retool.state.calls.filter((c) => c.method === 'GET' && c.path === '/users')).toHaveLength(3);
        expect((await api.graphql(ImportedUser, { email: `bulk-${paging}-249@example.com` })).data?.user).toMatchObject({ accounts: [{ backend: 'RETOOL' }] });
      });
    });
  }

  it("imports Retool users from Retool's own Postgres, twice", async () => {
    await withFakes(async (fakes) => {
      const { store } = testStore();
      const retoolDb = await openRetoolDbHarness();
      try {
        for (const [id, email, enabled] of [
          [101, 'pg.one@example.com', true],
          [102, 'pg.two@example.com', false],
        ] as const) {
          await retoolDb.db.query(
            `INSERT INTO users (id, sid, email, "firstName", "lastName", enabled, "organizationId") VALUES ($1, $2, $3, 'Pg', 'User', $4, 1)`,
            [id, retoolSid(id), email, enabled],
          );
        }
        const api = startTestGateway(store, fakes.env);
        // What RETOOL_DATABASE_URL configures, pointed at this test's database.
        const retoolConfig = api.config.retool;
        if (!retoolConfig) throw new Error('retool not configured');
        api.deps.accountBackends.RETOOL = retoolAccounts(createRetoolClient(retoolConfig), createRetoolDbReader(retoolDb.db));

        const first = await api.graphql(SyncBackend, { backend: 'RETOOL' });
        expect(first.data?.syncBackend).toMatchObject({ linked: 0, created: 2, unchanged: 0, failed: 0 });
        const second = await api.graphql(SyncBackend, { backend: 'RETOOL' });
        expect(second.data?.syncBackend).toMatchObject({ linked: 0, created: 0, unchanged: 2, failed: 0 });
        // The REST API was not used for the listing.
        expect(fakes.retool.state.calls.filter((c) => c.method === 'GET' && c.path === '/users')).toHaveLength(0);
        const two = await api.graphql(ImportedUser, { email: 'pg.two@example.com' });
        expect(two.data?.user).toMatchObject({ status: 'DISABLED', accounts: [{ backend: 'RETOOL', externalId: '102' }] });
      } finally {
        await retoolDb.close();
      }
    });
  });

  it('imports Forgejo users, twice', async () => {
    await withFakes(async (fakes) => {
      const { store } = testStore();
      await seed(store).user({ email: 'linus@example.com', username: 'linus-gw' });
      fakes.forge.seedUser({ login: 'linus', email: 'LINUS@example.com' });
      fakes.forge.seedUser({ login: 'margaret', email: 'margaret@example.com', full_name: 'Margaret Hamilton' });
      fakes.forge.seedUser({ login: 'blocked', email: 'blocked@example.com', prohibit_login: true });
      const api = startTestGateway(store, fakes.env);
      // The fake, like a real Forgejo, also has the site admin the gateway
      // uses: a backend admin is never adopted, only counted.
      const admins = fakes.forge.state.users.filter((u) => u.is_admin).length;

      const first = await api.graphql(SyncBackend, { backend: 'FORGE' });
      expect(first.data?.syncBackend).toMatchObject({ linked: 1, created: 2, unchanged: 0, skippedAdmins: admins, failed: 0 });
      const second = await api.graphql(SyncBackend, { backend: 'FORGE' });
      expect(second.data?.syncBackend).toMatchObject({ linked: 0, created: 0, unchanged: 3, skippedAdmins: admins, failed: 0 });
      const margaret = await api.graphql(ImportedUser, { email: 'margaret@example.com' });
      expect(margaret.data?.user).toMatchObject({ username: 'margaret', accounts: [{ backend: 'FORGE', status: 'ACTIVE' }] });
      const blocked = await api.graphql(ImportedUser, { email: 'blocked@example.com' });
      expect(blocked.data?.user).toMatchObject({ status: 'DISABLED', accounts: [{ status: 'DISABLED' }] });
    });
  });

  // One retry vocabulary: what syncBackend shows a caller is the transport's
  // one decision, the same the retry worker acts on (a 500 is retried later).
  it.each([
    { status: 500, retryable: true },
    { status: 503, retryable: true },
    { status: 403, retryable: false },
  ])('a Retool $status while listing is a BackendError with retryable $retryable', async ({ status, retryable }) => {
    await withFakes(async (fakes) => {
      fakes.retool.setOptions({ failNext: { count: 1_000, fault: { kind: 'status', status } } });
      const { data } = await startTestGateway(testStore().store, fakes.env).graphql(SyncBackendFailure, { backend: 'RETOOL' });
      expect(data?.syncBackend).toEqual({ __typename: 'BackendError', backend: 'retool', retryable });
    });
  });

  it('refuses a backend that is not configured', async () => {
    const { data } = await startTestGateway(testStore().store).graphql(SyncBackend, { backend: 'FORGE' });
    expect(data?.syncBackend).toMatchObject({ __typename: 'ValidationError', message: 'backend FORGE is not configured on this gateway' });
  });
});
