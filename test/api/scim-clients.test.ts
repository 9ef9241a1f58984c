// SCIM as Microsoft Entra ID and Okta drive it, over HTTP against the fake
// Retool and Forgejo: each request body is the one those clients send, per
// their public guides (Microsoft: "Tutorial: Develop and plan provisioning
// for a SCIM endpoint in Microsoft Entra ID", its "Known issues and
// resolutions with SCIM 2.0 protocol compliance", and the Microsoft SCIM
// validator's create / get by filter / patch / delete / get sequence; Okta:
// "Okta and SCIM Version 2.0").
import { describe, expect, it } from 'vitest';
import { useFreshFakeBackends } from '../support/backends.ts';
import { apiToken, CORE_USER, ENTERPRISE_USER, expectScimError, filterQuery, gatewayPart, GATEWAY_USER, type Json, PATCH_OP, resourcesOf, scim } from '../support/scim.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const setup = useFreshFakeBackends(() => testStore().store);

const accountsOf = (resource: Json | undefined) =>
  (gatewayPart(resource)?.accounts ?? []).map((account) => ({ backend: account.backend, status: account.status, ownership: account.ownership }));

const BOTH = (status: 'ACTIVE' | 'DISABLED') => [
  { backend: 'FORGE', status, ownership: 'CREATED' },
  { backend: 'RETOOL', status, ownership: 'CREATED' },
];

describe('Microsoft Entra ID', () => {
  // "Create User" of Microsoft's tutorial, request as Entra ID sends it.
  const entraUser = (suffix: string): Json => ({
    schemas: [CORE_USER, ENTERPRISE_USER],
    externalId: `0a21f0f2-8d2a-4f8e-bf98-7363c4aed4${suffix}`,
    userName: `Test_User_ab6490ee-1e48-479e-a20b-2d77186b5d${suffix}`,
    active: true,
    emails: [{ primary: true, type: 'work', value: `Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f${suffix}@testuser.com` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  });

  it('create, get by filter (userName, externalId), patch, disable, delete, get → 404, as the validator runs it', async () => {
    const f = await setup();
    const { token } = await apiToken(f.api, ['SCIM'], 'entra');
    const body = entraUser('01');

    // Entra ID first asks whether the user exists: an empty list, not a 404.
    const none = await scim(f.api, 'GET', filterQuery(`userName eq "${String(body.userName)}"`), { token });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim(f.api, 'POST', '/Users', { token, body });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const id = String(created.body?.id);
    expect(created.headers.get('location')).toBe(`http://127.0.0.1:4000/scim/v2/Users/${id}`);
    expect(created.headers.get('etag')).toBe((created.body?.meta as Json).version);
    expect(created.body).toMatchObject({
      schemas: [CORE_USER, GATEWAY_USER],
      id,
      externalId: body.externalId,
      userName: body.userName,
      active: true,
      name: { givenName: 'givenName', familyName: 'familyName', formatted: 'givenName familyName' },
      emails: [{ value: (body.emails as Json[])[0]?.value, type: 'work', primary: true }],
      meta: { resourceType: 'User', created: expect.any(String), lastModified: expect.any(String), location: `http://127.0.0.1:4000/scim/v2/Users/${id}`, version: expect.stringMatching(/^W\/"/) },
    });
    // The gateway username: userName's local part made valid for Forgejo.
    expect(gatewayPart(created.body)?.username).toBe('test_user_ab6490ee-1e48-479e-a20');
    expect(accountsOf(created.body)).toEqual(BOTH('ACTIVE'));
    expect(f.retool.byEmail(String((body.emails as Json[])[0]?.value))).toEqual([expect.objectContaining({ active: true, first_name: 'givenName', last_name: 'familyName' })]);
    expect(f.forge.user('test_user_ab6490ee-1e48-479e-a20')).toMatchObject({ prohibit_login: false });

    const byName = await scim(f.api, 'GET', filterQuery(`userName eq "${String(body.userName)}"`), { token });
    expect(resourcesOf(byName).map((r) => r.id)).toEqual([id]);
    const byExternalId = await scim(f.api, 'GET', filterQuery(`externalId eq "${String(body.externalId)}"`), { token });
    expect(resourcesOf(byExternalId).map((r) => r.id)).toEqual([id]);

    // "Update User [Multi-valued properties]": capitalised ops and a value-filtered path.
    const patched = await scim(f.api, 'PATCH', `/Users/${id}`, {
      token,
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }], name: { familyName: 'updatedFamilyName' } });
    // Names and email went to the backends (Retool keeps its email: docs/lifecycle.md).
    expect(f.forge.user('test_user_ab6490ee-1e48-479e-a20')).toMatchObject({ email: 'updatedEmail@microsoft.com' });
    expect(f.retool.state.users[0]).toMatchObject({ last_name: 'updatedFamilyName' });

    // "Update User [Single-valued properties]": userName changes; the gateway username does not.
    const renamed = await scim(f.api, 'PATCH', `/Users/${id}`, {
      token,
      body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' });
    expect(gatewayPart(renamed.body)?.username).toBe('test_user_ab6490ee-1e48-479e-a20');

    // "Disable User".
    const disabled = await scim(f.api, 'PATCH', `/Users/${id}`, { token, body: { Operations: [{ op: 'Replace', path: 'active', value: false }], schemas: [PATCH_OP] } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ active: false });
    expect(accountsOf(disabled.body)).toEqual(BOTH('DISABLED'));
    expect(f.retool.state.users[0]).toMatchObject({ active: false });
    expect(f.forge.user('test_user_ab6490ee-1e48-479e-a20')).toMatchObject({ prohibit_login: true });
    // The validator's check: a GET by filter on a disabled user has `active`.
    const listed = await scim(f.api, 'GET', filterQuery('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"'), { token });
    expect(resourcesOf(listed)).toEqual([expect.objectContaining({ id, active: false })]);

    const deleted = await scim(f.api, 'DELETE', `/Users/${id}`, { token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectScimError(await scim(f.api, 'GET', `/Users/${id}`, { token }), 404);
    expect(resourcesOf(await scim(f.api, 'GET', filterQuery(`externalId eq "${String(body.externalId)}"`), { token }))).toEqual([]);
    // Nothing was deleted downstream: the accounts are there, disabled.
    expect([...f.retool.state.calls, ...f.forge.state.calls].filter((call) => call.method === 'DELETE' && !call.path.includes('/tokens/'))).toEqual([]);
    expect(f.retool.state.users).toHaveLength(1);
    expect(f.forge.user('test_user_ab6490ee-1e48-479e-a20')).toMatchObject({ prohibit_login: true });
  });

  it('takes the pre-2020 quirks: "False"/"True" strings, path-less Replace/Add with an object value, the enterprise extension, any attribute case', async () => {
    const f = await setup();
    const { token } = await apiToken(f.api, ['SCIM'], 'entra');
    const created = await scim(f.api, 'POST', '/Users', { token, body: entraUser('02') });
    const id = String(created.body?.id);

    const off = await scim(f.api, 'PATCH', `/Users/${id}`, { token, body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false });
    expect(f.retool.state.users[0]).toMatchObject({ active: false });

    const on = await scim(f.api, 'PATCH', `/Users/${id}`, { token, body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', value: { active: 'True' } }] } });
    expect(on.body).toMatchObject({ active: true });
    expect(accountsOf(on.body)).toEqual(BOTH('ACTIVE'));

    // A path-less Add of several attributes, dotted names and the enterprise extension among them (kept: the names; ignored: the rest).
    const added = await scim(f.api, 'PATCH', `/Users/${id}`, {
      token,
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'Add',
            value: {
              displayName: 'Ada Lovelace',
              'name.givenName': 'Ada',
              title: 'Countess',
              [`${ENTERPRISE_USER}:employeeNumber`]: '1815',
              [ENTERPRISE_USER]: { department: 'Analytical Engines', manager: { value: 'babbage' } },
            },
          },
          { op: 'Replace', path: `${ENTERPRISE_USER}:department`, value: 'Mathematics' },
          { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0000' },
          { op: 'replace', path: 'NAME.FAMILYNAME', value: 'King' },
        ],
      },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ displayName: 'Ada Lovelace', name: { givenName: 'Ada', familyName: 'King' } });
    expect(added.body).not.toHaveProperty('title');
    expect(added.body).not.toHaveProperty(ENTERPRISE_USER);
    expect(f.forge.user(String(gatewayPart(added.body)?.username))).toMatchObject({ full_name: 'Ada Lovelace' });

    // Attribute names and the filter's attribute in any case (RFC 7643 §2.1).
    const byName = await scim(f.api, 'GET', filterQuery(`USERNAME eq "${String(entraUser('02').userName).toUpperCase()}"`), { token });
    expect(resourcesOf(byName).map((r) => r.id)).toEqual([id]);
  });
});

describe('Okta', () => {
  // "Create the user" of Okta's SCIM 2.0 reference, as Okta sends it (a password when "Sync password" is on).
  const oktaUser = (login: string, externalId: string): Json => ({
    schemas: [CORE_USER],
    userName: login,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: login, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId,
    groups: [],
    password: '1mz050nq-never-kept',
    active: true,
  });

  it('exists? (filter with startIndex/count), create, get, PUT profile, PUT deactivate, PATCH reactivate and deactivate', async () => {
    const f = await setup();
    const { token } = await apiToken(f.api, ['SCIM']);
    const login = 'test.user@okta.local';

    const exists = await scim(f.api, 'GET', filterQuery(`userName eq "${login}"`, '&startIndex=1&count=100'), { token });
    expect(exists.status).toBe(200);
    expect(exists.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim(f.api, 'POST', '/Users', { token, body: oktaUser(login, '00ujl29u0le5T6Aj10h7') });
    expect(created.status).toBe(201);
    const id = String(created.body?.id);
    expect(created.body).toMatchObject({ id, userName: login, externalId: '00ujl29u0le5T6Aj10h7', active: true, displayName: 'Test User', emails: [{ value: login, primary: true }] });
    // Never kept and never shown: the password, and what the gateway ignores.
    expect(JSON.stringify(created.body)).not.toContain('1mz050nq');
    expect(created.body).not.toHaveProperty('locale');
    expect(gatewayPart(created.body)?.username).toBe('test.user');
    expect(accountsOf(created.body)).toEqual(BOTH('ACTIVE'));
    expect(f.forge.user('test.user')).toMatchObject({ email: login, full_name: 'Test User' });

    const found = await scim(f.api, 'GET', filterQuery(`userName eq "${login}"`, '&startIndex=1&count=100'), { token });
    expect(found.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    const got = await scim(f.api, 'GET', `/Users/${id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    // "Update a specific user (PUT)": the whole user, with id and meta as Okta read them.
    const profile = await scim(f.api, 'PUT', `/Users/${id}`, {
      token,
      body: { ...oktaUser(login, '00ujl29u0le5T6Aj10h7'), id, password: undefined, name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User', meta: got.body?.meta },
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User', active: true });
    expect(f.forge.user('test.user')).toMatchObject({ full_name: 'Another User' });
    expect(f.retool.state.users[0]).toMatchObject({ first_name: 'Another' });

    // Deactivation by PUT of the whole user with active false.
    const off = await scim(f.api, 'PUT', `/Users/${id}`, { token, body: { ...oktaUser(login, '00ujl29u0le5T6Aj10h7'), id, password: undefined, name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User', active: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false });
    expect(accountsOf(off.body)).toEqual(BOTH('DISABLED'));
    expect(f.retool.state.users[0]).toMatchObject({ active: false });
    expect(f.forge.user('test.user')).toMatchObject({ prohibit_login: true });

    // "Update a specific user (PATCH)": reactivate, then deactivate again.
    const on = await scim(f.api, 'PATCH', `/Users/${id}`, { token, body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] } });
    expect(on.status).toBe(200);
    expect(accountsOf(on.body)).toEqual(BOTH('ACTIVE'));
    expect(f.forge.user('test.user')).toMatchObject({ prohibit_login: false });
    const again = await scim(f.api, 'PATCH', `/Users/${id}`, { token, body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] } });
    expect(again.body).toMatchObject({ active: false });
    expect(accountsOf(again.body)).toEqual(BOTH('DISABLED'));
    expect(f.retool.state.users[0]).toMatchObject({ active: false });
  });

  it('a retried POST answers the same 201 and user: no duplicate here or in either backend', async () => {
    const f = await setup();
    const { token } = await apiToken(f.api, ['SCIM']);
    const body = oktaUser('retry.user@okta.local', '00uretry0000000001');
    const first = await scim(f.api, 'POST', '/Users', { token, body });
    const second = await scim(f.api, 'POST', '/Users', { token, body });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body?.id).toBe(first.body?.id);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(f.retool.byEmail('retry.user@okta.local')).toHaveLength(1);
    expect(f.forge.state.users.filter((user) => user.email === 'retry.user@okta.local')).toHaveLength(1);
    expect(resourcesOf(await scim(f.api, 'GET', filterQuery('userName eq "retry.user@okta.local"'), { token }))).toHaveLength(1);

    // The same userName for another identity (another externalId) is a conflict, whatever its case.
    const other = await scim(f.api, 'POST', '/Users', { token, body: { ...oktaUser('Retry.User@OKTA.local', '00uother000000002'), emails: [{ value: 'other@okta.local', primary: true }] } });
    expectScimError(other, 409, 'uniqueness');
  });

  it('a POST for a userName deleted through SCIM restores that user (same id, 201) and re-enables its accounts', async () => {
    const f = await setup();
    const { token } = await apiToken(f.api, ['SCIM']);
    const created = await scim(f.api, 'POST', '/Users', { token, body: oktaUser('return.user@okta.local', '00ureturn000000001') });
    const id = String(created.body?.id);
    expect((await scim(f.api, 'DELETE', `/Users/${id}`, { token })).status).toBe(204);
    expect(f.retool.state.users[0]).toMatchObject({ active: false });

    const back = await scim(f.api, 'POST', '/Users', { token, body: { ...oktaUser('return.user@okta.local', '00ureturn000000002'), displayName: 'Returning User' } });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ id, externalId: '00ureturn000000002', displayName: 'Returning User', active: true });
    expect(accountsOf(back.body)).toEqual(BOTH('ACTIVE'));
    expect(f.retool.state.users).toHaveLength(1);
    expect(f.retool.state.users[0]).toMatchObject({ active: true });
    expect(f.forge.user('return.user')).toMatchObject({ prohibit_login: false, full_name: 'Returning User' });
  });
});
