import { describe, expect, it } from 'vitest';
import { databaseUsersRepository } from '../../src/store/repositories/database-users.ts';
import { servicesRepository } from '../../src/store/repositories/services.ts';
import { graphql } from '../gql/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const ServicesWithConnectAs = graphql(`
  query ServicesWithConnectAs($first: Int!) {
    services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }
  }
`);

async function statementsFor(first: number): Promise<number> {
  const { store } = testStore();
  const api = startTestGateway(store);
  const before = store.queryCount();
  const { data, errors } = await api.graphql(ServicesWithConnectAs, { first });
  expect(errors).toBeUndefined();
  expect(data?.services.edges).toHaveLength(first);
  return store.queryCount() - before;
}

describe('N+1 freedom', () => {
  it('services(first: N) { connectAs { services } } issues the same small number of statements for 5 and 50 services', async () => {
    const { store } = testStore();
    // Rows only: reading never touches the cluster, so none is needed here.
    for (let u = 0; u < 10; u += 1) {
      const user = await databaseUsersRepository.insert(store.db, {
        username: `qc_user_${u}`,
        dbOwner: false,
        attributes: [],
        roles: [],
        status: 'ACTIVE',
        ownership: 'CREATED',
      });
      for (let s = 0; s < 5; s += 1) {
        await servicesRepository.insert(store.db, { serviceId: `qc-${u}-${s}`, type: 'MCP', version: '1.0', config: {}, connectAsId: user.id });
      }
    }
    const few = await statementsFor(5);
    const many = await statementsFor(50);
    expect(many).toBe(few);
    // The page, the connect_as users in one batch, their services in one batch.
    expect(many).toBe(3);
  });
});
