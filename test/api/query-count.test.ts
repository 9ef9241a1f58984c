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

async function statementsFor(first: number): Promise<number> {
  const { store } = testStore();
  const api = startTestGateway(store);
  const before = store.queryCount();
  const { data, errors } = await api.graphql(UsersWithAccounts, { first });
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
});
