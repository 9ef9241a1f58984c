// The write side of N+1 freedom: what one createUser costs in SQL
// statements (BEGIN/COMMIT not counted), exactly, so a change that adds a
// round trip fails here. docs/performance.md explains each statement.
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { statementsDuring } from '../support/statements.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const CreateUser = graphql(`
  mutation CountedCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { created accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }
      ... on Error { message }
    }
  }
`);

describe('createUser statement counts', () => {
  it('a new user: 6 statements with Retool and Forgejo, 3 with Retool alone, 2 with none, and no transaction', async () => {
    const { api } = await setup();
    const { store } = testStore();
    const transactions: Record<string, number | undefined> = {};
    const statementsOf = async (name: string, backends: Array<'RETOOL' | 'FORGE'>) => {
      const { result: { data }, statements, transactions: opened } = await statementsDuring(store, () =>
        api.graphql(CreateUser, { input: { email: `${name}@example.com`, username: name, backends } }),
      );
      expect(data?.createUser).toMatchObject({ __typename: 'CreateUserPayload', pendingSecrets: [] });
      if (data?.createUser.__typename === 'CreateUserPayload') expect(data.createUser.accounts.every((a) => a.status === 'ACTIVE')).toBe(true);
      transactions[name] = opened;
      return statements;
    };
    // Warm-up: the first request of a gateway reads what it caches.
    await statementsOf('warm', ['RETOOL']);

    const both = await statementsOf('both', ['RETOOL', 'FORGE']);
    // The user with its accounts claimed, in one statement; Forgejo's initial password sealed;
    // per backend the confirmed outcome with the proven link (Forgejo's with its token sealed),
    // in one statement; shown secrets settled; audit.
    expect(both).toHaveLength(6);
    expect(both.filter((q) => q.startsWith('select'))).toEqual([]);

    const retool = await statementsOf('retool', ['RETOOL']);
    expect(retool).toHaveLength(3);

    const none = await statementsOf('none', []);
    expect(none).toHaveLength(2);

    // BEGIN and COMMIT are round trips too (node-postgres reports them; PGlite
    // does not), and a create needs none: the user lands with its accounts in
    // one statement, and each account's link (Forgejo's with the token it
    // minted) with its outcome in another (docs/performance.md, changes 31,
    // 35, 36 and 38).
    if (store.kind === 'postgres') expect(transactions).toEqual({ warm: 0, both: 0, retool: 0, none: 0 });
  });
});
