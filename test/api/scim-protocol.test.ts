// The SCIM endpoint's protocol over HTTP: every refusal a SCIM error body
// with the right status and scimType (never a 500), who may call it, the
// discovery endpoints, ETags, attribute selection, paging, usernames, the
// audit trail and the rate limit.
import { eq } from 'drizzle-orm';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/store/schema.ts';
import { useFreshFakeBackends } from '../support/backends.ts';
import { ADMIN_TOKEN, type TestGateway } from '../support/gateway.ts';
import { apiToken, CORE_USER, expectScimError, filterQuery, gatewayPart, GATEWAY_USER, type Json, PATCH_OP, resourcesOf, scim } from '../support/scim.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const person = (userName: string, extra: Json = {}): Json => ({
  schemas: [CORE_USER],
  userName,
  externalId: `ext-${userName}`,
  name: { givenName: 'Grace', familyName: 'Hopper' },
  emails: [{ value: userName, primary: true, type: 'work' }],
  active: true,
  ...extra,
});

async function created(api: TestGateway, token: string, userName: string, extra: Json = {}): Promise<Json> {
  const answer = await scim(api, 'POST', '/Users', { token, body: person(userName, extra) });
  expect(answer.status).toBe(201);
  return answer.body ?? {};
}

const patch = (...operations: Json[]) => ({ schemas: [PATCH_OP], Operations: operations });

describe('who may call it', () => {
  it('no token or a refused one is a 401, a token without the SCIM scope a 403, each a SCIM error; SCIM grants nothing in GraphQL', async () => {
    const { api } = await setup();
    const none = await scim(api, 'GET', '/Users');
    expectScimError(none, 401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await scim(api, 'GET', '/Users', { token: 'igw_not-a-token-the-gateway-made' });
    expectScimError(bad, 401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    for (const scopes of [['READ'], ['AUTOMATION']]) {
      const { token } = await apiToken(api, scopes, 'not-scim');
      expectScimError(await scim(api, 'GET', '/Users', { token }), 403);
      expectScimError(await scim(api, 'POST', '/Users', { token, body: person('nobody@example.com') }), 403);
    }
    expect((await scim(api, 'GET', '/ServiceProviderConfig', { token: ADMIN_TOKEN })).status).toBe(200);

    const { token } = await apiToken(api, ['SCIM']);
    const { data, errors } = await api.graphql(parse('query { users(first: 1) { totalCount } }'), {}, { token });
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('errors', () => {
  it('bad filters, unknown attributes, bad bodies and paths: 400 with the scimType that says why', async () => {
    const { api } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    const user = await created(api, token, 'errors@example.com');
    const id = String(user.id);

    expectScimError(await scim(api, 'GET', filterQuery('userName eq'), { token }), 400, 'invalidFilter');
    expectScimError(await scim(api, 'GET', filterQuery('userName zz "x"'), { token }), 400, 'invalidFilter');
    expectScimError(await scim(api, 'GET', filterQuery('shoeSize eq "42"'), { token }), 400, 'invalidFilter');
    expectScimError(await scim(api, 'GET', filterQuery('active gt true'), { token }), 400, 'invalidFilter');
    expectScimError(await scim(api, 'GET', filterQuery('meta.created gt "yesterday"'), { token }), 400, 'invalidFilter');
    expectScimError(await scim(api, 'GET', '/Users?attributes=shoeSize', { token }), 400, 'invalidValue');
    expectScimError(await scim(api, 'GET', '/Users?count=many', { token }), 400, 'invalidValue');

    expectScimError(await scim(api, 'POST', '/Users', { token, body: { schemas: [CORE_USER], emails: [{ value: 'x@example.com' }] } }), 400, 'invalidValue');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('not-an-email', { emails: [] }) }), 400, 'invalidValue');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('bad@example.com', { emails: [{ value: 'not an address' }] }) }), 400, 'invalidValue');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('bad@example.com', { active: 'maybe' }) }), 400, 'invalidValue');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('bad@example.com', { [GATEWAY_USER]: { username: 'admin' } }) }), 400, 'invalidValue');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: '{"userName": ' }), 400, 'invalidSyntax');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: '"a string"' }), 400, 'invalidSyntax');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: 'userName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);

    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: 'shoeSize', value: 42 }) }), 400, 'invalidPath');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: 'name.nickname', value: 'x' }) }), 400, 'invalidPath');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: 'urn:example:unknown:User:x', value: 1 }) }), 400, 'invalidPath');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'frobnicate', path: 'displayName', value: 'x' }) }), 400, 'invalidSyntax');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'remove' }) }), 400, 'noTarget');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: { schemas: [PATCH_OP], Operations: [] } }), 400, 'invalidSyntax');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: 'id', value: 'another' }) }), 400, 'mutability');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: `${GATEWAY_USER}:accounts`, value: [] }) }), 400, 'mutability');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: `${GATEWAY_USER}:username`, value: 'someone-else' }) }), 400, 'mutability');
    expectScimError(await scim(api, 'PUT', `/Users/${id}`, { token, body: { ...person('errors@example.com'), id: 'another' } }), 400, 'mutability');
    expectScimError(await scim(api, 'PATCH', `/Users/${id}`, { token, body: patch({ op: 'replace', path: 'displayName', value: 'x'.repeat(201) }) }), 400, 'invalidValue');

    expectScimError(await scim(api, 'GET', '/Users/0190f1a0-0000-7000-8000-000000000000', { token }), 404);
    expectScimError(await scim(api, 'GET', '/Users/not-a-uuid', { token }), 404);
    expectScimError(await scim(api, 'PATCH', '/Users/not-a-uuid', { token, body: patch({ op: 'replace', path: 'displayName', value: 'x' }) }), 404);
    expectScimError(await scim(api, 'GET', '/Groups', { token }), 404);
    expectScimError(await scim(api, 'GET', '/Users/a/b', { token }), 404);
    expectScimError(await scim(api, 'PUT', '/Users', { token, body: person('x@example.com') }), 405);

    // None of it changed the user.
    const after = await scim(api, 'GET', `/Users/${id}`, { token });
    expect(after.body).toEqual(user);
  });

  it('uniqueness: a userName held by another user (any case) or an email held by a user SCIM did not make is 409, and that user stays unseen', async () => {
    const { api } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    await created(api, token, 'taken@example.com');
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('TAKEN@example.com', { externalId: 'someone-else' }) }), 409, 'uniqueness');

    const graphqlUser = parse('mutation { createUser(input: { email: "gql@example.com", username: "gql" }) { __typename ... on CreateUserPayload { user { id } } } }');
    const made = await api.graphql(graphqlUser, {});
    const globalId = String((made.data as { createUser: { user: { id: string } } }).createUser.user.id);
    const rowId = Buffer.from(globalId, 'base64').toString('utf8').split(':')[1] ?? '';
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('gql@example.com') }), 409, 'uniqueness');
    // A PUT or PATCH onto an email someone else holds is refused the same way.
    const mine = await created(api, token, 'mine@example.com');
    expectScimError(await scim(api, 'PATCH', `/Users/${String(mine.id)}`, { token, body: patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'gql@example.com' }) }), 409, 'uniqueness');
    expectScimError(await scim(api, 'PATCH', `/Users/${String(mine.id)}`, { token, body: patch({ op: 'replace', path: 'userName', value: 'taken@example.com' }) }), 409, 'uniqueness');
    // SCIM sees only the users it made.
    expectScimError(await scim(api, 'GET', `/Users/${rowId}`, { token }), 404);
    expectScimError(await scim(api, 'DELETE', `/Users/${rowId}`, { token }), 404);
    expect(resourcesOf(await scim(api, 'GET', filterQuery('emails.value eq "gql@example.com"'), { token }))).toEqual([]);
  });

  it('a SCIM user an admin deleted is not restored by the IdP: its userName answers 409', async () => {
    const { api } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    const user = await created(api, token, 'admin-deleted@example.com');
    const deleteUser = parse('mutation($id: ID!) { deleteUser(input: { id: $id }) { __typename } }');
    const result = await api.graphql(deleteUser, { id: Buffer.from(`User:${String(user.id)}`).toString('base64') });
    expect(result.data).toEqual({ deleteUser: { __typename: 'DeleteUserPayload' } });
    expectScimError(await scim(api, 'POST', '/Users', { token, body: person('admin-deleted@example.com') }), 409, 'uniqueness');
    expectScimError(await scim(api, 'GET', `/Users/${String(user.id)}`, { token }), 404);
  });
});

describe('versions', () => {
  it('an ETag on every User; If-Match with another version is 412 and changes nothing; If-None-Match of the current one is 304', async () => {
    const { api } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    const user = await created(api, token, 'etag@example.com');
    const id = String(user.id);
    const version = String((user.meta as Json).version);

    const stale = await scim(api, 'PATCH', `/Users/${id}`, { token, headers: { 'if-match': 'W/"stale"' }, body: patch({ op: 'replace', path: 'displayName', value: 'Stale' }) });
    expectScimError(stale, 412);
    expectScimError(await scim(api, 'PUT', `/Users/${id}`, { token, headers: { 'if-match': 'W/"stale"' }, body: person('etag@example.com') }), 412);
    expectScimError(await scim(api, 'DELETE', `/Users/${id}`, { token, headers: { 'if-match': 'W/"stale"' } }), 412);
    expect((await scim(api, 'GET', `/Users/${id}`, { token })).body).toEqual(user);

    const fresh = await scim(api, 'PATCH', `/Users/${id}`, { token, headers: { 'if-match': version }, body: patch({ op: 'replace', path: 'displayName', value: 'Fresh' }) });
    expect(fresh.status).toBe(200);
    const newVersion = fresh.headers.get('etag');
    expect(newVersion).not.toBe(version);
    expect((fresh.body?.meta as Json).version).toBe(newVersion);
    expect((await scim(api, 'GET', `/Users/${id}`, { token, headers: { 'if-none-match': String(newVersion) } })).status).toBe(304);
    expect((await scim(api, 'GET', `/Users/${id}`, { token, headers: { 'if-none-match': version } })).status).toBe(200);
  });
});

describe('reads', () => {
  it('discovery: ServiceProviderConfig, ResourceTypes and Schemas in application/scim+json', async () => {
    const { api } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    const config = await scim(api, 'GET', '/ServiceProviderConfig', { token });
    expect(config.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 100 }, etag: { supported: true }, sort: { supported: false } });
    const types = await scim(api, 'GET', '/ResourceTypes', { token });
    expect(resourcesOf(types)).toEqual([expect.objectContaining({ id: 'User', endpoint: '/Users', schema: CORE_USER, schemaExtensions: [{ schema: GATEWAY_USER, required: false }] })]);
    expect((await scim(api, 'GET', '/ResourceTypes/User', { token })).body).toMatchObject({ id: 'User' });
    const schemas = await scim(api, 'GET', '/Schemas', { token });
    expect(resourcesOf(schemas).map((s) => s.id)).toEqual([CORE_USER, GATEWAY_USER]);
    const core = await scim(api, 'GET', `/Schemas/${CORE_USER}`, { token });
    expect((core.body?.attributes as Json[]).map((a) => a.name)).toEqual(['externalId', 'userName', 'name', 'displayName', 'active', 'emails']);
    expectScimError(await scim(api, 'GET', '/Schemas/urn:nothing', { token }), 404);
    expectScimError(await scim(api, 'GET', '/ResourceTypes/Group', { token }), 404);
  });

  it('attributes and excludedAttributes; startIndex and count page in creation order; usernames derived and de-duplicated, or named', async () => {
    const { api, forge } = await setup();
    const { token } = await apiToken(api, ['SCIM']);
    const first = await created(api, token, 'ada@one.example');
    const second = await created(api, token, 'Ada@two.example');
    const third = await created(api, token, 'ada.l@three.example', { [GATEWAY_USER]: { username: 'countess' } });
    expect([first, second, third].map((u) => gatewayPart(u)?.username)).toEqual(['ada', 'ada-2', 'countess']);
    expect(forge.user('ada-2')).toMatchObject({ email: 'Ada@two.example' });

    const only = await scim(api, 'GET', `/Users/${String(first.id)}?attributes=userName,name.givenName`, { token });
    expect(only.body).toEqual({ schemas: [CORE_USER, GATEWAY_USER], id: first.id, userName: 'ada@one.example', name: { givenName: 'Grace' } });
    const without = await scim(api, 'GET', `/Users/${String(first.id)}?excludedAttributes=${GATEWAY_USER}:accounts,emails,meta`, { token });
    expect(without.body).not.toHaveProperty('emails');
    expect(without.body).not.toHaveProperty('meta');
    expect(without.body?.[GATEWAY_USER]).toEqual({ username: 'ada' });

    const page = await scim(api, 'GET', filterQuery('userName sw "ada"', '&startIndex=2&count=1&attributes=userName'), { token });
    expect(page.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 3,
      startIndex: 2,
      itemsPerPage: 1,
      Resources: [{ schemas: [CORE_USER, GATEWAY_USER], id: second.id, userName: 'Ada@two.example' }],
    });
    const filtered = await scim(api, 'GET', filterQuery('emails[type eq "work" and value ew "@three.example"] or (name.familyName eq "nobody" and active eq true)'), { token });
    expect(resourcesOf(filtered).map((r) => r.id)).toEqual([third.id]);
    const inactive = await scim(api, 'GET', filterQuery('userName sw "ada" and not (active eq true)'), { token });
    expect(resourcesOf(inactive)).toEqual([]);
    expect((await scim(api, 'GET', filterQuery('userName sw "ADA"', '&count=0'), { token })).body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
  });
});

describe('audit and limits', () => {
  it('every SCIM change is an audit event with the token, the request id, the method and path; a refused one too', async () => {
    const { api } = await setup();
    const { token, id: tokenId } = await apiToken(api, ['SCIM']);
    const answer = await scim(api, 'POST', '/Users', { token, body: person('audited@example.com'), headers: { 'x-request-id': 'idp-req-0001' } });
    expect(answer.headers.get('x-request-id')).toBe('idp-req-0001');
    const userId = String(answer.body?.id);
    await scim(api, 'POST', '/Users', { token, body: person('audited@example.com', { externalId: 'another' }), headers: { 'x-request-id': 'idp-req-0002' } });
    await scim(api, 'PATCH', `/Users/${userId}`, { token, body: patch({ op: 'replace', value: { active: false } }), headers: { 'x-request-id': 'idp-req-0003' } });
    await scim(api, 'DELETE', `/Users/${userId}`, { token, headers: { 'x-request-id': 'idp-req-0004' } });

    const rows = (await api.deps.store.db.select().from(auditEvents).where(eq(auditEvents.actor, `api-token:${tokenId}`))).sort((a, b) => a.id.localeCompare(b.id));
    const target = Buffer.from(`User:${userId}`).toString('base64');
    expect(rows.map((row) => ({ operation: row.operation, outcome: row.outcome, targetIds: row.targetIds, requestId: row.details.requestId, scim: row.details.scim }))).toEqual([
      { operation: 'scim.createUser', outcome: 'Created', targetIds: [target], requestId: 'idp-req-0001', scim: { method: 'POST', path: '/scim/v2/Users', status: 201 } },
      { operation: 'scim.createUser', outcome: 'uniqueness', targetIds: [], requestId: 'idp-req-0002', scim: { method: 'POST', path: '/scim/v2/Users', status: 409 } },
      { operation: 'scim.patchUser', outcome: 'Patched', targetIds: [target], requestId: 'idp-req-0003', scim: { method: 'PATCH', path: `/scim/v2/Users/${userId}`, status: 200 } },
      { operation: 'scim.deleteUser', outcome: 'Deleted', targetIds: [target], requestId: 'idp-req-0004', scim: { method: 'DELETE', path: `/scim/v2/Users/${userId}`, status: 204 } },
    ]);
    expect(rows[0]?.details.backends).toEqual([
      { backend: 'FORGE', status: 'ACTIVE', externalId: expect.any(String) },
      { backend: 'RETOOL', status: 'ACTIVE', externalId: expect.any(String) },
    ]);
    expect(rows[2]?.details.backends).toEqual([expect.objectContaining({ backend: 'FORGE', status: 'DISABLED' }), expect.objectContaining({ backend: 'RETOOL', status: 'DISABLED' })]);
  });

  it('writes draw from the caller\'s mutation bucket: over it, 429 with Retry-After; reads are not limited', async () => {
    const { api } = await setup({ RATE_LIMIT_BURST: '2', RATE_LIMIT_MUTATIONS_PER_MINUTE: '1' });
    const { token } = await apiToken(api, ['SCIM']);
    await created(api, token, 'limited-1@example.com');
    await created(api, token, 'limited-2@example.com');
    const refused = await scim(api, 'POST', '/Users', { token, body: person('limited-3@example.com') });
    expectScimError(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await scim(api, 'GET', '/Users', { token })).status).toBe(200);
    await api.close();
  });

  it('SCIM_BACKENDS names the backends a SCIM user gets accounts in', async () => {
    const { api, retool } = await setup({ SCIM_BACKENDS: 'FORGE' });
    const { token } = await apiToken(api, ['SCIM']);
    const user = await created(api, token, 'forge-only@example.com');
    expect(gatewayPart(user)?.accounts.map((a) => a.backend)).toEqual(['FORGE']);
    expect(retool.state.users).toEqual([]);
  });
});
