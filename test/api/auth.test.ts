import { getNamedType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const gateway = () => startTestGateway(testStore().store);

// The smallest valid selection of each root field, so the walk covers every
// field the schema has without hand-maintained lists going stale.
const QUERY_SELECTIONS: Record<string, string> = {
  users: 'users(first: 1) { totalCount }',
  user: 'user(email: "nobody@example.com") { id }',
  node: 'node(id: "VXNlcjow") { id }',
  nodes: 'nodes(ids: ["VXNlcjow"]) { id }',
  viewer: 'viewer { id }',
};
const MUTATION_SELECTIONS: Record<string, string> = {
  createUser: 'createUser(input: { email: "x@example.com", username: "x" }) { __typename }',
  enableUser: 'enableUser(input: { id: "VXNlcjow" }) { __typename }',
  disableUser: 'disableUser(input: { id: "VXNlcjow" }) { __typename }',
  retryProvisioning: 'retryProvisioning(input: { userId: "VXNlcjow" }) { __typename }',
  syncBackend: 'syncBackend(input: { backend: RETOOL }) { __typename }',
};

const queryFields = Object.keys(schema.getQueryType()?.getFields() ?? {});
const mutationFields = Object.keys(schema.getMutationType()?.getFields() ?? {});

describe('every root field declares who may use it', () => {
  it('has a selection for each root field (add one when the schema grows)', () => {
    expect(Object.keys(QUERY_SELECTIONS).sort()).toEqual([...queryFields].sort());
    expect(Object.keys(MUTATION_SELECTIONS).sort()).toEqual([...mutationFields].sort());
  });

  for (const field of queryFields) {
    it(`query ${field}: no token gets FORBIDDEN or null, never data; the admin token is allowed`, async () => {
      const api = gateway();
      const document = parse(`{ ${QUERY_SELECTIONS[field]} }`);
      const denied = await api.graphql(document, {}, { token: null });
      const value = (denied.data as Record<string, unknown> | null | undefined)?.[field];
      // null, or for `nodes` a list of nulls: either way, no data.
      expect(JSON.stringify(value ?? null)).toMatch(/^(null|\[null(,null)*\])$/);
      if (field !== 'viewer' && field !== 'nodes' && field !== 'node') {
        expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      const allowed = await api.graphql(document, {});
      expect(allowed.errors).toBeUndefined();
    });
  }

  for (const field of mutationFields) {
    it(`mutation ${field}: no token gets a ForbiddenError and changes nothing; the admin token is allowed`, async () => {
      const api = gateway();
      const document = parse(`mutation { ${MUTATION_SELECTIONS[field]} }`);
      const denied = await api.graphql(document, {}, { token: null });
      expect(denied.errors).toBeUndefined();
      expect((denied.data as Record<string, { __typename: string }>)[field]?.__typename).toBe('ForbiddenError');
      const allowed = await api.graphql(document, {});
      expect((allowed.data as Record<string, { __typename: string }>)[field]?.__typename).not.toBe('ForbiddenError');
    });
  }

  it('a wrong bearer token is the same as none', async () => {
    const { data } = await gateway().graphql(parse(`mutation { ${MUTATION_SELECTIONS.createUser} }`), {}, { token: 'wrong-token-wrong-token' });
    expect((data as Record<string, { __typename: string }>).createUser?.__typename).toBe('ForbiddenError');
  });

  it('node() gives an unauthenticated caller no user data', async () => {
    const api = gateway();
    const created = await api.graphql(parse('mutation { createUser(input: { email: "n@example.com", username: "nnn" }) { ... on CreateUserPayload { user { id } } } }'), {});
    const id = (created.data as { createUser: { user: { id: string } } }).createUser.user.id;
    const denied = await api.graphql(parse(`{ node(id: "${id}") { id ... on User { email } } }`), {}, { token: null });
    expect(JSON.stringify(denied.data)).not.toContain('n@example.com');
  });

  it('the User type is reachable only through scoped fields', () => {
    expect(isObjectType(getNamedType(schema.getType('User') ?? undefined))).toBe(true);
  });
});
