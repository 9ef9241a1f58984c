import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const UsersWithAccounts = graphql(`
  query UsersWithAccounts($first: Int!) {
    users(first: $first) { edges { node { id accounts { backend } } } }
  }
`);

// The benchmark's scenario 1, word for word.
const UsersWithAccountsAndPools = graphql(`
  query UsersWithAccountsAndPools($first: Int!) {
    users(first: $first) {
      edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } }
    }
  }
`);

async function statementsFor(first: number, document: typeof UsersWithAccounts | typeof UsersWithAccountsAndPools = UsersWithAccounts): Promise<number> {
  const { store } = testStore();
  const api = startTestGateway(store);
  const before = store.queryCount();
  const { data, errors } = await api.graphql(document, { first });
  expect(errors).toBeUndefined();
  expect(data?.users.edges).toHaveLength(first);
  return store.queryCount() - before;
}

describe('N+1 freedom', () => {
  it('users(first: N) { accounts } issues the same small number of statements for 5 and 50 users', async () => {
    const { store } = testStore();
    const users = await seed(store).users(50);
    for (const user of users) {
      await seed(store).account(user.id, 'RETOOL');
      await seed(store).account(user.id, 'FORGE');
    }
    const few = await statementsFor(5);
    const many = await statementsFor(50);
    expect(many).toBe(few);
    // One page query and one batched accounts query.
    expect(many).toBe(2);
  });

  it('users(first: N) with accounts and the first 10 pools of each user issues three statements for 5 and 50 users', async () => {
    const { store } = testStore();
    const pools = [];
    for (let i = 0; i < 12; i += 1) pools.push(await seed(store).pool());
    for (const user of await seed(store).users(50)) {
      await seed(store).account(user.id, 'RETOOL');
      for (const pool of pools) await seed(store).viewer(pool.id, user.id);
    }
    const few = await statementsFor(5, UsersWithAccountsAndPools);
    const many = await statementsFor(50, UsersWithAccountsAndPools);
    expect(many).toBe(few);
    // The page, every account of the page, every pool of the page with its viewers among the page.
    expect(many).toBe(3);
  });
});
