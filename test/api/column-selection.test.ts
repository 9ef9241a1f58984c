// Pages read only the columns their selection shows (src/schema/selection.ts).
// A field whose column the plan forgets would answer null or fail, so every
// field of each projected type is read on its own and compared with the same
// field read beside all the others.
import { type GraphQLField, type GraphQLObjectType, getNamedType, isLeafType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

/** A user whose every column, account column and pool column holds a value. */
async function fullyFilledUser() {
  const { store } = testStore();
  const user = await seed(store).user({ displayName: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' });
  const lastWeek = new Date(Date.now() - 7 * 86_400_000);
  await seed(store).account(user.id, 'RETOOL', 'FAILED', { lastError: 'HTTP 503', attempts: 3, nextAttemptAt: new Date(), syncedAt: lastWeek, ownership: 'CREATED' });
  const provider = await seed(store).provider({
    authorizationEndpoint: 'https://idp.example/authorize',
    tokenEndpoint: 'https://idp.example/token',
    revocationEndpoint: 'https://idp.example/revoke',
  });
  const pool = await seed(store).pool({ public: true, quota: { cpu: 2, memory: 8, gpu: 1 }, remoteKind: 'k8s', providerId: provider.id });
  await seed(store).link(pool.id, provider.id);
  await seed(store).viewer(pool.id, user.id);
  return user;
}

/** The newest service, a POSTGREST one whose every column, grant and database user column holds a value. */
async function fullyFilledService() {
  const { store } = testStore();
  const role = await seed(store).databaseUser({ attributes: ['LOGIN'], roles: ['web_anon'], ownership: 'CREATED' });
  const service = await seed(store).service(role.id, { type: 'POSTGREST', version: '12.2', config: { db_anon_role: 'web_anon', db_schemas: 'api' } });
  await seed(store).serviceGrant(service.id, { kind: 'CONNECT', target: 'app', grantee: role.username });
  return service;
}

function objectType(name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return type;
}

/** The field with a selection that reads its value: leaves as they are, objects by their leaf fields, connections by their nodes'. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return field.name;
  if (!isObjectType(type)) throw new Error(`${field.name}: abstract types are not projected`);
  const edges = type.getFields().edges;
  if (edges) {
    const node = getNamedType(objectType(getNamedType(edges.type).name).getFields().node?.type);
    return `${field.name} { edges { node { ${leavesOf(node?.name ?? '')} } } }`;
  }
  return `${field.name} { ${leavesOf(type.name)} }`;
}

function leavesOf(typeName: string): string {
  const leaves = Object.values(objectType(typeName).getFields()).filter((field) => isLeafType(getNamedType(field.type)) && field.args.length === 0);
  return leaves.length > 0 ? leaves.map((field) => field.name).join(' ') : '__typename';
}

const fieldsOf = (typeName: string) => Object.values(objectType(typeName).getFields());

/** Reads `around(selection)` of the user with `email` through the `users` page. */
async function readUser(email: string, around: (selection: string) => string, selection: string): Promise<unknown> {
  const api = startTestGateway(testStore().store);
  const { data, errors } = await api.graphql(parse(`query($email: String!) { users(first: 1, filter: { email: $email }) { edges { node { ${around(selection)} } } } }`), { email });
  expect(errors).toBeUndefined();
  return (data as { users: { edges: Array<{ node: unknown }> } }).users.edges[0]?.node;
}

/** Reads `around(selection)` of the newest service through the `services` page. */
async function readNewestService(around: (selection: string) => string, selection: string): Promise<unknown> {
  const api = startTestGateway(testStore().store);
  const { data, errors } = await api.graphql(parse(`{ services(last: 1) { edges { node { ${around(selection)} } } } }`));
  expect(errors).toBeUndefined();
  return (data as { services: { edges: Array<{ node: unknown }> } }).services.edges[0]?.node;
}

describe('column selection', () => {
  const projected: Array<{ type: string; around: (selection: string) => string }> = [
    { type: 'User', around: (selection) => selection },
    { type: 'BackendAccount', around: (selection) => `accounts { ${selection} }` },
    { type: 'ResourcePool', around: (selection) => `resourcePools(first: 10) { edges { node { ${selection} } } }` },
  ];

  for (const { type, around } of projected) {
    it(`each field of a paged ${type}, selected alone, answers what it answers beside all the others`, async () => {
      const { email } = await fullyFilledUser();
      const fields = fieldsOf(type);
      const together = await readUser(email, around, fields.map(selectionOf).join(' '));
      // Beside each other every field has a value, so a field alone that lost its column cannot match.
      expect(emptyPlaces(together)).toEqual([]);
      for (const field of fields) {
        const alone = await readUser(email, around, selectionOf(field));
        expect(alone, `${type}.${field.name}`).toEqual(only(together, field.name));
      }
    });
  }

  const servicesProjected: Array<{ type: string; around: (selection: string) => string }> = [
    { type: 'Service', around: (selection) => selection },
    { type: 'DatabaseUser', around: (selection) => `connectAs { ${selection} }` },
    // Aliased: the listed services' own `connectAs` must be the only field of that name.
    { type: 'Service', around: (selection) => `via: connectAs { services { ${selection} } }` },
  ];

  for (const { type, around } of servicesProjected) {
    it(`each field of ${type} in ${around('…')}, selected alone, answers what it answers beside all the others`, async () => {
      await fullyFilledService();
      const fields = fieldsOf(type);
      const together = await readNewestService(around, fields.map(selectionOf).join(' '));
      expect(emptyPlaces(together)).toEqual([]);
      for (const field of fields) {
        const alone = await readNewestService(around, selectionOf(field));
        expect(alone, `${type}.${field.name}`).toEqual(only(together, field.name));
      }
    });
  }

  it('a page of services with their database user and its services selects no other column', async () => {
    const { store } = testStore();
    await fullyFilledService();
    const statements: string[] = [];
    const stop = store.onQuery((query) => statements.push(query));
    await readNewestService((selection) => selection, 'serviceId connectAs { username services { serviceId } }');
    stop();
    const [page, connectAs, listed] = statements;
    expect(page).toMatch(/select "id", "service_id", "connect_as_id" from "services"/);
    expect(connectAs).toMatch(/select "id", "username" from "database_users"/);
    expect(listed).toMatch(/select "id", "service_id", "connect_as_id" from "services"/);
  });

  it('a page of emails, their accounts\' backends and their pools\' names selects no other column', async () => {
    const { store } = testStore();
    const { email } = await fullyFilledUser();
    const statements: string[] = [];
    const stop = store.onQuery((query) => statements.push(query));
    await readUser(email, (selection) => selection, 'email accounts { backend } resourcePools(first: 10) { edges { node { name } } }');
    stop();
    const [usersPage, accounts, pools] = statements;
    expect(usersPage).toMatch(/select "id", "email" from "users"/);
    expect(accounts).toMatch(/select "user_id", "backend" from "backend_accounts"/);
    expect(pools).toMatch(/select "resource_pools"\."id", "resource_pools"\."name", json_agg/);
  });

  it('fields selected through named and inline fragments, or behind @include, are read', async () => {
    const user = await fullyFilledUser();
    const api = startTestGateway(testStore().store);
    const { data, errors } = await api.graphql(
      parse(`
        query($email: String!, $no: Boolean = false) { users(first: 1, filter: { email: $email }) { edges { node { ...Names ... on User { username } createdAt @include(if: $no) } } } }
        fragment Names on User { displayName resourcePools(first: 1) { edges { node { ... on ResourcePool { remoteKind } } } } }
      `),
      { email: user.email },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      users: { edges: [{ node: { displayName: 'Ada Lovelace', username: user.username, resourcePools: { edges: [{ node: { remoteKind: 'k8s' } }] } } }] },
    });
  });
});

/** Where `value` holds a null or an empty list; the fully filled user has no OAuth2 connection. */
function emptyPlaces(value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [path];
  if (Array.isArray(value)) {
    if (value.length === 0) return path.endsWith('oauth2Connections') ? [] : [path];
    return value.flatMap((item, i) => emptyPlaces(item, `${path}[${i}]`));
  }
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => emptyPlaces(inner, `${path}.${key}`));
}

/** `value` with only `key` kept at the level that has it: what reading that field alone answers. */
function only(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => only(item, key));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (key in value) return Object.fromEntries(entries.filter(([name]) => name === key));
  return Object.fromEntries(entries.map(([name, inner]) => [name, only(inner, key)]));
}
