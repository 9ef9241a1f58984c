import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNamedType, type GraphQLObjectType, isEnumType, isNonNullType, isObjectType, isScalarType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hashApiToken } from '../../src/auth.ts';
import { schema } from '../../src/schema/index.ts';
import { typeRuleOf } from '../../src/schema/gateway-plugin.ts';
import type { Store } from '../../src/store/client.ts';
import { apiTokens, auditEvents, databaseUsers, oauth2Connections, oauth2Providers, resourcePools, services } from '../../src/store/schema.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
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
  oauth2Providers: 'oauth2Providers { id }',
  resourcePools: 'resourcePools(first: 1) { totalCount }',
  databaseUsers: 'databaseUsers(first: 1) { totalCount }',
  services: 'services(first: 1, type: POSTGREST) { totalCount }',
  apiTokens: 'apiTokens(first: 1) { totalCount }',
  auditEvents: 'auditEvents(first: 1) { totalCount }',
  backends: 'backends { name }',
};
const MUTATION_SELECTIONS: Record<string, string> = {
  createUser: 'createUser(input: { email: "x@example.com", username: "x" }) { __typename }',
  createUsers: 'createUsers(input: { users: [{ email: "x@example.com", username: "x" }] }) { __typename }',
  enableUser: 'enableUser(input: { id: "VXNlcjow" }) { __typename }',
  disableUser: 'disableUser(input: { id: "VXNlcjow" }) { __typename }',
  updateUser: 'updateUser(input: { id: "VXNlcjow", displayName: "X" }) { __typename }',
  deleteUser: 'deleteUser(input: { id: "VXNlcjow" }) { __typename }',
  restoreUser: 'restoreUser(input: { id: "VXNlcjow" }) { __typename }',
  retryProvisioning: 'retryProvisioning(input: { userId: "VXNlcjow" }) { __typename }',
  revealAccountSecrets: 'revealAccountSecrets(input: { userId: "VXNlcjow" }) { __typename }',
  syncBackend: 'syncBackend(input: { backend: RETOOL }) { __typename }',
  adoptAccount: 'adoptAccount(input: { userId: "VXNlcjow", backend: RETOOL }) { __typename }',
  releaseAccount: 'releaseAccount(input: { userId: "VXNlcjow", backend: RETOOL }) { __typename }',
  createOAuth2Provider:
    'createOAuth2Provider(input: { slug: "auth-walk", kind: GENERIC_OIDC, clientId: "c", clientSecret: "s", displayName: "Walk", issuer: "https://idp.example" }) { __typename }',
  updateOAuth2Provider: 'updateOAuth2Provider(input: { id: "VXNlcjow" }) { __typename }',
  deleteOAuth2Provider: 'deleteOAuth2Provider(input: { id: "VXNlcjow" }) { __typename }',
  connectOAuth2Provider: 'connectOAuth2Provider(input: { providerId: "VXNlcjow", userId: "VXNlcjow" }) { __typename }',
  disconnectOAuth2Provider: 'disconnectOAuth2Provider(input: { connectionId: "VXNlcjow" }) { __typename }',
  createResourcePool: 'createResourcePool(input: { name: "auth walk pool" }) { __typename }',
  updateResourcePool: 'updateResourcePool(input: { id: "VXNlcjow", name: "renamed pool" }) { __typename }',
  deleteResourcePool: 'deleteResourcePool(input: { id: "VXNlcjow" }) { __typename }',
  grantResourcePoolViewer: 'grantResourcePoolViewer(input: { poolId: "VXNlcjow", userId: "VXNlcjow" }) { __typename }',
  revokeResourcePoolViewer: 'revokeResourcePoolViewer(input: { poolId: "VXNlcjow", userId: "VXNlcjow" }) { __typename }',
  // Reserved name and missing connect_as: allowed callers get a ValidationError, so nothing reaches the cluster.
  createDatabaseUser: 'createDatabaseUser(input: { username: "postgres" }) { __typename }',
  enableDatabaseUser: 'enableDatabaseUser(input: { id: "VXNlcjow" }) { __typename }',
  adoptDatabaseUser: 'adoptDatabaseUser(input: { username: "postgres" }) { __typename }',
  releaseDatabaseUser: 'releaseDatabaseUser(input: { id: "VXNlcjow" }) { __typename }',
  disableDatabaseUser: 'disableDatabaseUser(input: { id: "VXNlcjow" }) { __typename }',
  deleteDatabaseUser: 'deleteDatabaseUser(input: { id: "VXNlcjow", dropRole: true }) { __typename }',
  createService: 'createService(input: { serviceId: "auth-walk", type: MCP, version: "1.0" }) { __typename }',
  updateService: 'updateService(input: { id: "VXNlcjow", version: "2.0" }) { __typename }',
  deleteService: 'deleteService(input: { id: "VXNlcjow" }) { __typename }',
  repairService: 'repairService(input: { id: "VXNlcjow" }) { __typename }',
  createApiToken: 'createApiToken(input: { name: "walk", scopes: [READ] }) { __typename }',
  revokeApiToken: 'revokeApiToken(input: { id: "VXNlcjow" }) { __typename }',
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

  it('a wrong bearer token is refused with 401 (RFC 6750 invalid_token) and runs nothing', async () => {
    const api = gateway();
    const response = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: 'Bearer wrong-token-wrong-token' },
      body: JSON.stringify({ query: 'mutation { createUser(input: { email: "wrong-token@example.com", username: "wrong-token" }) { __typename } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
    const made = await testStore().store.raw('select id from users where email = $1', ['wrong-token@example.com']);
    expect(made).toEqual([]);
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

// Types that only carry other types' rows between a scoped field and those
// rows: the root types, and Relay connections, edges and page info.
const STRUCTURAL = (name: string) => ['Query', 'Mutation', 'PageInfo'].includes(name) || name.endsWith('Connection') || name.endsWith('ConnectionEdge');

type ScopeName = 'read' | 'automation';

/** Each type `node` can resolve to: a row of it, and the scopes (besides admin) that may read it. */
const NODE_TYPES: Record<string, { readers: ScopeName[]; sample: (store: Store) => Promise<string> }> = {
  User: { readers: ['read', 'automation'], sample: async (store) => encodeGlobalID('User', (await seed(store).user()).id) },
  ApiToken: {
    readers: [],
    sample: async (store) => {
      const [row] = await store.db.insert(apiTokens).values({ name: 'walked', tokenHash: hashApiToken(`walk-${Math.random()}`), scopes: ['read'] }).returning();
      return encodeGlobalID('ApiToken', row?.id ?? '');
    },
  },
  AuditEvent: {
    readers: [],
    sample: async (store) => {
      const [row] = await store.db.insert(auditEvents).values({ actor: 'walk', operation: 'createUser', outcome: 'CreateUserPayload' }).returning();
      return encodeGlobalID('AuditEvent', row?.id ?? '');
    },
  },
  DatabaseUser: {
    readers: ['read'],
    sample: async (store) => {
      const [row] = await store.db.insert(databaseUsers).values({ username: `walk_${Date.now()}` }).returning();
      return encodeGlobalID('DatabaseUser', row?.id ?? '');
    },
  },
  Service: {
    readers: ['read'],
    sample: async (store) => {
      const [owner] = await store.db.insert(databaseUsers).values({ username: `walk_svc_${Date.now()}` }).returning();
      const [row] = await store.db
        .insert(services)
        .values({ serviceId: `walk-${Date.now()}`, type: 'MCP', version: '1.0', connectAsId: owner?.id ?? '' })
        .returning();
      return encodeGlobalID('Service', row?.id ?? '');
    },
  },
  OAuth2Provider: {
    readers: ['read'],
    sample: async (store) => {
      const [row] = await store.db.insert(oauth2Providers).values({ id: `walk-${Date.now()}`, kind: 'github', clientId: 'c', displayName: 'Walk' }).returning();
      return encodeGlobalID('OAuth2Provider', row?.id ?? '');
    },
  },
  OAuth2Connection: {
    readers: ['read'],
    sample: async (store) => {
      const user = await seed(store).user();
      const [provider] = await store.db.insert(oauth2Providers).values({ id: `walk-c-${Date.now()}`, kind: 'github', clientId: 'c', displayName: 'Walk' }).returning();
      const [row] = await store.db.insert(oauth2Connections).values({ userId: user.id, providerId: provider?.id ?? '' }).returning();
      return encodeGlobalID('OAuth2Connection', row?.id ?? '');
    },
  },
  ResourcePool: {
    readers: ['read'],
    sample: async (store) => {
      const [row] = await store.db.insert(resourcePools).values({ name: `walk-pool-${Date.now()}` }).returning();
      return encodeGlobalID('ResourcePool', row?.id ?? '');
    },
  },
};

const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));
const nodeTypes = objectTypes.filter((type) => type.getInterfaces().some((i) => i.name === 'Node')).map((type) => type.name);

/** Every scalar and enum field of the type that takes no required argument: all the data a node query could ask for. */
function scalarSelection(type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .filter((field) => {
      const named = getNamedType(field.type);
      return (isScalarType(named) || isEnumType(named)) && !field.args.some((arg) => isNonNullType(arg.type));
    })
    .map((field) => field.name)
    .join(' ');
}

async function tokenWith(api: ReturnType<typeof gateway>, scopes: string[], userId?: string): Promise<string> {
  const document = parse(
    `mutation($userId: ID) { createApiToken(input: { name: "walk", scopes: [${scopes.map((s) => s.toUpperCase()).join(', ')}], userId: $userId }) { ... on CreateApiTokenPayload { token } } }`,
  );
  const { data } = await api.graphql(document, { userId });
  const token = (data as { createApiToken?: { token?: string } } | null | undefined)?.createApiToken?.token;
  if (!token) throw new Error('could not mint a token');
  return token;
}

describe('every type declares who may read it', () => {
  it('every object type has a type-level rule (authScopes), or only carries rows of types that do', () => {
    // The rule the gateway plugin enforces (src/schema/gateway-plugin.ts), not one Pothos merely holds.
    const missing = objectTypes.filter((type) => !STRUCTURAL(type.name) && typeRuleOf(type) === undefined);
    expect(missing.map((type) => type.name)).toEqual([]);
  });

  it('has a sample for each type node can resolve to (add one when the schema grows)', () => {
    expect(Object.keys(NODE_TYPES).sort()).toEqual([...nodeTypes].sort());
  });

  for (const typename of nodeTypes) {
    it(`node(id) of a ${typename} gives no data to callers without its scope, and all of it to admins`, async () => {
      const { store } = testStore();
      const api = gateway();
      const rule = NODE_TYPES[typename];
      const type = schema.getType(typename);
      if (!rule || !isObjectType(type)) throw new Error(`no sample for ${typename}`);
      const id = await rule.sample(store);
      // node and nodes in separate requests: asking both for one id in one request trips a branding race in the relay plugin.
      const document = parse(`query($id: ID!) { node(id: $id) { __typename id ... on ${typename} { ${scalarSelection(type)} } } }`);
      const listDocument = parse(`query($id: ID!) { nodes(ids: [$id]) { __typename id ... on ${typename} { ${scalarSelection(type)} } } }`);
      const stranger = encodeGlobalID('User', (await seed(store).user()).id);
      // Anonymous, a user's own token (self) for someone else, and each scope that is not a reader.
      const denied: Array<string | null> = [null, await tokenWith(api, [], stranger)];
      for (const scope of (['read', 'automation'] as const).filter((s) => !rule.readers.includes(s))) denied.push(await tokenWith(api, [scope]));
      for (const token of denied) {
        expect((await api.graphql(document, { id }, { token })).data).toEqual({ node: null });
        expect((await api.graphql(listDocument, { id }, { token })).data).toEqual({ nodes: [null] });
      }
      for (const scope of rule.readers) {
        const result = await api.graphql(document, { id }, { token: await tokenWith(api, [scope]) });
        expect((result.data as { node: { __typename: string } | null }).node?.__typename).toBe(typename);
      }
      const admin = await api.graphql(document, { id });
      expect(admin.errors).toBeUndefined();
      expect(admin.data).toMatchObject({ node: { __typename: typename, id } });
      expect((await api.graphql(listDocument, { id })).data).toMatchObject({ nodes: [{ __typename: typename, id }] });
    });
  }

  for (const field of mutationFields) {
    it(`mutation ${field}: a read-only token gets a ForbiddenError`, async () => {
      const api = gateway();
      const document = parse(`mutation { ${MUTATION_SELECTIONS[field]} }`);
      const result = await api.graphql(document, {}, { token: await tokenWith(api, ['read']) });
      expect((result.data as Record<string, { __typename: string }>)[field]?.__typename).toBe('ForbiddenError');
    });
  }
});
