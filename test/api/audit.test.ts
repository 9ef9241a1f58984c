// Every mutation call leaves one audit row, written on its own (so a failed
// or rolled-back mutation is on record too), and never a secret in it.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/store/schema.ts';
import { graphql } from '../gql/index.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const setup = useFreshFakeBackends(() => testStore().store);

const CreateUser = graphql(`
  mutation AuditCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } secrets { value } }
    }
  }
`);

const Events = graphql(`
  query AuditEvents($filter: AuditEventFilter, $last: Int) {
    auditEvents(filter: $filter, last: $last) {
      totalCount
      edges { node { id actor operation targetIds outcome details at } }
    }
  }
`);

const EventNode = graphql(`
  query AuditEventNode($id: ID!) {
    node(id: $id) { __typename ... on AuditEvent { operation } }
  }
`);

async function latest(api: ReturnType<typeof startTestGateway>, filter: { operation?: string; targetId?: string; outcome?: string } = {}) {
  const { data, errors } = await api.graphql(Events, { filter, last: 5 });
  expect(errors).toBeUndefined();
  return (data?.auditEvents.edges ?? []).map((edge) => edge.node);
}

describe('audit events', () => {
  it('createUser is recorded with actor, target, outcome and each backend result, but not its secrets', async () => {
    const { api } = await setup();
    const { data } = await api.graphql(CreateUser, { input: { email: 'audited@example.com', username: 'audited', backends: ['RETOOL', 'FORGE'] } });
    if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payload');
    const userId = data.createUser.user.id;
    const [event] = await latest(api, { targetId: userId });
    expect(event).toMatchObject({
      actor: 'admin-token',
      operation: 'createUser',
      outcome: 'CreateUserPayload',
      targetIds: [userId],
      details: {
        callerKind: 'admin-token',
        created: true,
        backends: [
          { backend: 'FORGE', status: 'ACTIVE' },
          { backend: 'RETOOL', status: 'ACTIVE' },
        ],
      },
    });
    const rows = JSON.stringify(await testStore().store.db.select().from(auditEvents));
    expect(data.createUser.secrets.length).toBe(2);
    for (const secret of data.createUser.secrets) expect(rows).not.toContain(secret.value);
  });

  it('a denied call is recorded as ForbiddenError for the anonymous actor', async () => {
    const api = startTestGateway(testStore().store);
    await api.graphql(CreateUser, { input: { email: 'nobody-made@example.com', username: 'nobody-made' } }, { token: null });
    const [event] = await latest(api, { operation: 'createUser', outcome: 'ForbiddenError' });
    expect(event).toMatchObject({ actor: 'anonymous', outcome: 'ForbiddenError', details: { callerKind: 'anonymous' } });
  });

  it('a refused input is recorded with the offending field paths, not their values', async () => {
    const api = startTestGateway(testStore().store);
    await api.graphql(CreateUser, { input: { email: 'not-an-email', username: 'bad name!' } });
    const [event] = await latest(api, { operation: 'createUser', outcome: 'ValidationError' });
    expect(event?.details).toMatchObject({ fieldErrors: ['input.email', 'input.username'] });
    expect(JSON.stringify(event?.details.fieldErrors)).not.toContain('bad name!');
  });

  it('a call naming a row records its id even when it fails', async () => {
    const api = startTestGateway(testStore().store);
    const missing = Buffer.from('User:0190b6a4-0000-7000-8000-00000000abcd').toString('base64');
    await api.graphql(parse(`mutation { disableUser(input: { id: "${missing}" }) { __typename } }`), {});
    const [event] = await latest(api, { targetId: missing });
    expect(event).toMatchObject({ operation: 'disableUser', outcome: 'NotFoundError', targetIds: [missing] });
  });

  it('each mutation of a request is one row', async () => {
    const api = startTestGateway(testStore().store);
    const before = (await api.graphql(Events, { filter: { operation: 'enableUser' } })).data?.auditEvents.totalCount ?? 0;
    await api.graphql(parse('mutation { a: enableUser(input: { id: "x" }) { __typename } b: enableUser(input: { id: "y" }) { __typename } }'), {});
    const after = (await api.graphql(Events, { filter: { operation: 'enableUser' } })).data?.auditEvents.totalCount ?? 0;
    expect(after - before).toBe(2);
  });

  it('only admins read audit events, as a list or as nodes', async () => {
    const api = startTestGateway(testStore().store);
    await api.graphql(CreateUser, { input: { email: 'seen@example.com', username: 'seen' } });
    const [event] = await latest(api, { operation: 'createUser' });
    if (!event) throw new Error('no event');
    const mint = await api.graphql(
      parse('mutation { createApiToken(input: { name: "auditor", scopes: [READ, AUTOMATION] }) { ... on CreateApiTokenPayload { token } } }'),
      {},
    );
    const token = (mint.data as { createApiToken: { token: string } }).createApiToken.token;
    const list = await api.graphql(Events, {}, { token });
    expect(list.data).toBeNull();
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const node = await api.graphql(EventNode, { id: event.id }, { token });
    expect(node.data?.node ?? null).toBeNull();
    expect((await api.graphql(EventNode, { id: event.id })).data?.node).toEqual({ __typename: 'AuditEvent', operation: 'createUser' });
  });
});
