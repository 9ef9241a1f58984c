import { backendFailure, FAST_TRANSPORT, faultMatrix } from '../support/backend-failure.ts';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createForgeClient, type ForgeClient, type ForgeClientOptions, type ForgeToken, randomPassword } from '../../src/backends/forge.ts';
import type { ForgeConfig } from '../../src/config.ts';
import { DEFAULT_FORGE_OPTIONS, type FakeForge, startFakeForge } from '../fakes/forge.ts';

let fake: FakeForge;

beforeEach(async () => {
  fake = await startFakeForge();
});
afterEach(async () => {
  await fake.close();
});

const { adminUsername, adminPassword, adminToken } = DEFAULT_FORGE_OPTIONS;
const basicSecret = Buffer.from(`${adminUsername}:${adminPassword}`).toString('base64');

function config(overrides: Partial<ForgeConfig> = {}): ForgeConfig {
  return {
    baseUrl: fake.url,
    adminToken,
    adminCredentials: { username: adminUsername, password: adminPassword },
    tokenScopes: ['read:user', 'write:repository'],
    noreplyDomain: 'users.noreply.invalid',
    ...overrides,
  };
}

function client(overrides: Partial<ForgeConfig> = {}, options: ForgeClientOptions = {}): ForgeClient {
  return createForgeClient(config(overrides), { ...FAST_TRANSPORT, ...options });
}

const failure = (promise: Promise<unknown>) => backendFailure(promise, 'forge');

// The initial password the caller (provisioning) seals before creating.
const PW = 'Initial-password-1';
const ensure = (c: ForgeClient, input: { username: string; email?: string; fullName?: string }) => c.ensureUser({ password: PW, ...input });
/** Mint as the user, with the initial password. */
async function mintAs(c: ForgeClient, login: string, password = PW, name = `identity-gateway-${login}`): Promise<ForgeToken> {
  const token = await c.mintToken(login, { username: login, password }, name);
  if (token === 'unauthorized') throw new Error('unauthorized');
  return token;
}

const asUser = (path: string, authorization: string) => fetch(`${fake.url}/api/v1${path}`, { headers: { authorization } });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('creating users', () => {
  it('checks, then creates with the given password, must_change_password false and a noreply email', async () => {
    const account = await ensure(client(), { username: 'ada' });
    expect(account).toMatchObject({ login: 'ada', email: 'ada@users.noreply.invalid', linked: false, active: true, prohibitLogin: false });
    expect(fake.state.calls.map((c) => `${c.method} ${c.path} ${c.outcome} ${c.auth}`)).toEqual([
      'GET /users/ada 404 token',
      'POST /admin/users 201 token',
    ]);
    const sent = fake.state.calls[1]?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ username: 'ada', email: 'ada@users.noreply.invalid', must_change_password: false, password: PW });
    expect(sent).not.toHaveProperty('login_name');
    expect(sent).not.toHaveProperty('source_id');
    expect(fake.user('ada')).toMatchObject({ must_change_password: false, id: account.id });
    // The account is usable through the API with that password.
    expect((await asUser('/users/ada', basic('ada', PW))).status).toBe(200);
  });

  it('sends a given email and full name', async () => {
    await ensure(client(), { username: 'grace', email: 'grace@example.com', fullName: 'Grace Hopper' });
    expect(fake.user('grace')).toMatchObject({ email: 'grace@example.com', full_name: 'Grace Hopper' });
  });

  it('generates 32-character alphanumeric passwords, different each time', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => randomPassword()));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9]{32}$/);
  });

  it.each([
    ['-bad-', '[Username]: invalid username'],
    ['a..b', '[Username]: invalid username'],
    ['Admin', 'name is reserved [name: admin]'],
    ['ada.keys', 'name pattern is not allowed [pattern: *.keys]'],
  ])('refuses %s as Forgejo does, permanently, with its message', async (username, message) => {
    expect(await failure(ensure(client(), { username }))).toMatchObject({ kind: 'status', status: 422, retry: 'never', message: `forge: 422 Unprocessable Entity: ${message}` });
  });
});

describe('linking an existing user', () => {
  it('finds an account that exists, with no create (whose it is, the caller proves)', async () => {
    const first = await ensure(client(), { username: 'ada' });
    const second = await ensure(client(), { username: 'ada' });
    expect(second).toMatchObject({ id: first.id, login: 'ada', linked: true });
    expect(fake.state.users.filter((u) => u.login === 'ada')).toHaveLength(1);
    expect(fake.state.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('links an account stored in another case, since lookups ignore case', async () => {
    const existing = fake.seedUser({ login: 'Ada' });
    expect(await ensure(client(), { username: 'ada' })).toMatchObject({ id: existing.id, login: 'Ada', linked: true });
  });

  it('links after losing a create race (422 already exists), going back to the lookup', async () => {
    const existing = fake.seedUser({ login: 'ada' });
    fake.setOptions({ failCall: { nth: 1, fault: { kind: 'status', status: 404, message: 'user does not exist [uid: 0, name: ada]' } } });
    expect(await ensure(client(), { username: 'ada' })).toMatchObject({ id: existing.id, linked: true });
    expect(fake.state.calls.map((c) => `${c.method} ${c.path} ${c.outcome}`)).toEqual([
      'GET /users/ada 404',
      'POST /admin/users 422',
      'GET /users/ada 200',
    ]);
  });

  it('reports an email that another account uses as a conflict, not retryable', async () => {
    fake.seedUser({ login: 'other', email: 'shared@example.com' });
    const error = await failure(ensure(client(), { username: 'ada', email: 'shared@example.com' }));
    expect(error).toMatchObject({ kind: 'conflict', retry: 'never' });
    expect(error.message).toBe('forge: cannot create ada: e-mail already in use [email: shared@example.com]');
  });

  it('recovers from a create whose answer was lost: the replay is linked, one user exists', async () => {
    fake.setOptions({ failCall: { nth: 2, fault: { kind: 'reset', afterApply: true } } });
    expect(await ensure(client(), { username: 'ada' })).toMatchObject({ login: 'ada', linked: true });
    expect(fake.state.users.filter((u) => u.login === 'ada')).toHaveLength(1);
  });
});

describe('minting tokens', () => {
  it("mints with the user's own Basic credentials and the configured scopes; the token works", async () => {
    await ensure(client(), { username: 'ada' });
    const token = await mintAs(client(), 'ada');
    expect(token).toMatchObject({ name: 'identity-gateway-ada', scopes: ['read:user', 'write:repository'] });
    expect(token.token).toMatch(/^[0-9a-f]{40}$/);
    expect(fake.state.calls.at(-1)).toMatchObject({ method: 'POST', path: '/users/ada/tokens', auth: 'basic', outcome: 201 });
    expect((await asUser('/users/ada', `token ${token.token}`)).status).toBe(200);
  });

  it('needs no admin password: a TOTP-enrolled admin does not stop minting for a new user', async () => {
    fake.setOptions({ adminTotp: true });
    await ensure(client({ adminCredentials: undefined }), { username: 'ada' });
    expect(await mintAs(client({ adminCredentials: undefined }), 'ada')).toMatchObject({ name: 'identity-gateway-ada' });
  });

  it('a name left taken by a mint whose answer was lost: that token is deleted and one is minted again', async () => {
    await ensure(client(), { username: 'ada' });
    const lost = await mintAs(client(), 'ada');
    const again = await mintAs(client(), 'ada');
    expect(again.token).not.toBe(lost.token);
    expect(fake.state.tokens.map((t) => t.sha1)).toEqual([again.token]);
    expect(fake.state.calls.filter((c) => c.path.startsWith('/users/ada/tokens')).map((c) => `${c.method} ${c.outcome}`)).toEqual([
      'POST 201',
      'POST 400',
      'DELETE 204',
      'POST 201',
    ]);
  });

  it("answers 'unauthorized' to credentials Forgejo refuses: the proof that an account is not the gateway's", async () => {
    fake.seedUser({ login: 'carol', password: 'Someone-elses-1' });
    expect(await client().mintToken('carol', { username: 'carol', password: PW }, 'identity-gateway-carol')).toBe('unauthorized');
    expect(fake.state.tokens).toEqual([]);
  });

  it('a second factor is a typed, permanent credentials failure; with the current code it mints', async () => {
    fake.setOptions({ adminTotp: true });
    fake.seedUser({ login: 'ada' });
    const admin = { username: adminUsername, password: adminPassword };
    const error = await failure(client().mintToken('ada', admin, 'identity-gateway-ada'));
    expect(error).toMatchObject({ kind: 'credentials', status: 401, retry: 'never', message: expect.stringContaining('invalid provided OTP') });
    const token = await client().mintToken('ada', { ...admin, otp: fake.options.adminOtp }, 'identity-gateway-ada');
    expect(token).toMatchObject({ name: 'identity-gateway-ada' });
  });

  it('reports an unknown user as a 401 (Basic sign-in fails first)', async () => {
    expect(await client().mintToken('nobody', { username: 'nobody', password: PW }, 'n')).toBe('unauthorized');
  });

  it('reports an unknown scope as a 400 that is not retryable', async () => {
    await ensure(client(), { username: 'ada' });
    expect(await failure(mintAs(client({ tokenScopes: ['write:everything'] }), 'ada'))).toMatchObject({ status: 400, retry: 'never' });
  });
});

describe('checking the admin token', () => {
  it('reports nothing missing for the documented scopes, and changes nothing', async () => {
    expect(await client().checkAccess()).toEqual({ missing: [] });
    expect(fake.state.changes).toEqual([]);
    expect(fake.state.users).toHaveLength(1);
  });

  it('names each missing scope with what breaks without it', async () => {
    fake.setOptions({ adminTokenScopes: ['write:admin'] });
    expect(await client().checkAccess()).toEqual({ missing: [{ scope: 'read:user', neededFor: 'looking up accounts (every provision)' }] });
    fake.setOptions({ adminTokenScopes: ['read:user'] });
    expect((await client().checkAccess()).missing.map((m) => m.scope)).toEqual(['write:admin', 'read:admin']);
  });
});

describe('enabling and disabling', () => {
  it('prohibits login through PATCH, twice, and the state flips once', async () => {
    await ensure(client(), { username: 'ada' });
    expect(await client().setProhibitLogin('ada', true)).toMatchObject({ login: 'ada', prohibitLogin: true });
    expect(await client().setProhibitLogin('ada', true)).toMatchObject({ prohibitLogin: true });
    expect(fake.state.changes).toEqual([{ login: 'ada', field: 'prohibit_login', value: true }]);
    expect(fake.state.calls.at(-1)?.body).toEqual({ prohibit_login: true });
  });

  it('re-enables twice and the state flips once; a disabled user is refused by Forgejo meanwhile', async () => {
    await ensure(client(), { username: 'ada' });
    const token = await mintAs(client(), 'ada');
    await client().setProhibitLogin('ada', true);
    expect((await asUser('/users/ada', `token ${token.token}`)).status).toBe(403);
    await client().setProhibitLogin('ada', false);
    await client().setProhibitLogin('ada', false);
    expect(fake.state.changes.map((c) => c.value)).toEqual([true, false]);
    expect((await asUser('/users/ada', `token ${token.token}`)).status).toBe(200);
  });

  it('reports an unknown user as not found', async () => {
    expect(await failure(client().setProhibitLogin('nobody', true))).toMatchObject({ kind: 'not_found', status: 404, retry: 'never' });
  });
});

describe('listing users', () => {
  it('pages GET /admin/users until X-Total-Count is reached', async () => {
    for (let i = 0; i < 119; i += 1) fake.seedUser({ login: `user${i}` });
    const logins: string[] = [];
    for await (const user of client().listUsers()) logins.push(user.login);
    expect(logins).toHaveLength(120);
    expect(new Set(logins).size).toBe(120);
    expect(fake.state.calls.map((c) => c.query)).toEqual([
      { page: '1', limit: '50' },
      { page: '2', limit: '50' },
      { page: '3', limit: '50' },
    ]);
  });
});

describe('authentication', () => {
  it('fails a bad admin token with Forgejo 401, not retryable, without the token in the message', async () => {
    const error = await failure(ensure(client({ adminToken: 'a'.repeat(40) }), { username: 'ada' }));
    expect(error).toMatchObject({ kind: 'status', status: 401, retry: 'never' });
    expect(error.message).toBe('forge: 401 Unauthorized: user does not exist [uid: 0, name: ]');
  });

  it('fails a token without write:admin with 403 naming the scope', async () => {
    fake.setOptions({ adminTokenScopes: ['read:user'] });
    const error = await failure(ensure(client(), { username: 'ada' }));
    expect(error.message).toBe('forge: 403 Forbidden: token does not have at least one of required scope(s): [write:admin]');
  });

  it('fails a token without read:user on the first call, the lookup, with 403 naming the scope', async () => {
    fake.setOptions({ adminTokenScopes: ['write:admin'] });
    const error = await failure(ensure(client(), { username: 'ada' }));
    expect(error).toMatchObject({ status: 403, retry: 'never', message: 'forge: 403 Forbidden: token does not have at least one of required scope(s): [read:user]' });
  });

  it('keeps tokens, passwords and Basic credentials out of every error', async () => {
    await ensure(client(), { username: 'ada' });
    const { token } = await mintAs(client(), 'ada');
    const errors = [
      await failure(ensure(client(), { username: 'x', email: 'ada@users.noreply.invalid' })),
      await failure(ensure(client({ adminToken: token }), { username: 'bob' })),
      await failure(client({ adminToken: token, tokenScopes: ['write:everything'] }).mintToken('ada', { username: 'ada', password: PW }, 'n')),
    ];
    fake.setOptions({ failNext: { count: 10, fault: { kind: 'status', status: 503, message: `echo ${token} ${adminToken}` } } });
    errors.push(await failure(ensure(client(), { username: 'carol' })));
    for (const error of errors) {
      const text = `${error.message}\n${inspect(error, { depth: 5 })}`;
      for (const secret of [PW, token, adminToken, adminPassword, basicSecret]) expect(text).not.toContain(secret);
    }
    expect(errors[3]?.message).toBe('forge: 503 Service Unavailable: echo [redacted] [redacted]');
  });
});

describe('faults', () => {
  const matrix = faultMatrix([
    { name: '429 with Retry-After', fault: { kind: 'rate-limit', retryAfter: '90' }, kind: 'status', retry: 'now', retryAfterMs: 90_000 },
    { name: '429 with RateLimit-Reset', fault: { kind: 'rate-limit', rateLimitReset: '30' }, kind: 'status', retry: 'now', retryAfterMs: 30_000 },
  ]);

  it.each(matrix)('$name: a typed error, then the same call succeeds once it clears, with one user', async ({ fault, kind, retry, retryAfterMs }) => {
    fake.setOptions({ failNext: { count: 1_000, fault } });
    const error = await failure(ensure(client(), { username: 'ada' }));
    expect(error).toMatchObject({ kind, retry });
    if (retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(inspect(error, { depth: 5 })).not.toContain(adminToken);

    fake.setOptions({ failNext: undefined });
    expect(await ensure(client(), { username: 'ada' })).toMatchObject({ login: 'ada' });
    expect(fake.state.users.filter((u) => u.login === 'ada')).toHaveLength(1);
  });

  it('connection refused: a retryable error, then success once Forgejo is back', async () => {
    const port = Number(new URL(fake.url).port);
    await fake.close();
    expect(await failure(ensure(client(), { username: 'ada' }))).toMatchObject({ kind: 'connection', retry: 'now', message: 'forge: connection refused' });
    fake = await startFakeForge({ port });
    await ensure(client(), { username: 'ada' });
    expect(fake.state.users.filter((u) => u.login === 'ada')).toHaveLength(1);
  });

  it('does not replay a token mint after a transient failure', async () => {
    await ensure(client(), { username: 'ada' });
    fake.setOptions({ failNext: { count: 1, fault: { kind: 'status', status: 503 } } });
    expect(await failure(mintAs(client(), 'ada'))).toMatchObject({ retry: 'now', attempts: 1 });
    expect(fake.state.tokens).toHaveLength(0);
  });
});

describe('the fake itself', () => {
  const admin = { authorization: `token ${adminToken}`, 'content-type': 'application/json' };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
    fetch(`${fake.url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('refuses a token header on the tokens routes with 401 auth required, even for the admin', async () => {
    fake.seedUser({ login: 'ada' });
    const response = await call('POST', '/users/ada/tokens', { name: 't', scopes: ['read:user'] });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'auth required' });
  });

  it('defaults must_change_password to true, and such a user is refused with 403', async () => {
    expect((await call('POST', '/admin/users', { username: 'new', email: 'new@example.com', password: 'Longenough1' })).status).toBe(201);
    expect(fake.user('new')?.must_change_password).toBe(true);
    expect((await call('GET', '/users/new', undefined, { authorization: basic('new', 'Longenough1') })).status).toBe(403);
  });

  it('answers a duplicate with 422, never 409, and a short password with 400', async () => {
    fake.seedUser({ login: 'ada', email: 'ada@example.com' });
    const dup = await call('POST', '/admin/users', { username: 'ADA', email: 'x@example.com', password: 'Longenough1' });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ message: 'user already exists [name: ADA]' });
    expect((await call('POST', '/admin/users', { username: 'b', email: 'ADA@example.com', password: 'Longenough1' })).status).toBe(422);
    expect((await call('POST', '/admin/users', { username: 'c', email: 'c@example.com', password: 'short' })).status).toBe(400);
  });

  it('wants login_name and source_id together on PATCH', async () => {
    fake.seedUser({ login: 'ada' });
    expect((await call('PATCH', '/admin/users/ada', { login_name: 'ada' })).status).toBe(422);
    expect((await call('PATCH', '/admin/users/ada', { login_name: 'ada', source_id: 0 })).status).toBe(200);
    expect((await call('PATCH', '/admin/users/nobody', { active: false })).status).toBe(404);
  });

  it('shows a token once: the list has sha1 "" and X-Total-Count; delete by name', async () => {
    fake.seedUser({ login: 'ada' });
    const adminBasic = { authorization: basic(adminUsername, adminPassword), 'content-type': 'application/json' };
    const created = (await (await call('POST', '/users/ada/tokens', { name: 't1', scopes: ['read:user'] }, adminBasic)).json()) as { sha1: string };
    expect(created.sha1).toMatch(/^[0-9a-f]{40}$/);
    const list = await call('GET', '/users/ada/tokens', undefined, adminBasic);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(await list.json()).toMatchObject([{ name: 't1', sha1: '' }]);
    expect((await call('DELETE', '/users/ada/tokens/t1', undefined, adminBasic)).status).toBe(204);
    expect((await call('DELETE', '/users/ada/tokens/t1', undefined, adminBasic)).status).toBe(404);
  });

  it('answers an unknown user with Forgejo 404 text, and zeroes admin fields for other callers', async () => {
    const missing = await call('GET', '/users/ghost');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'user does not exist [uid: 0, name: ghost]' });
    fake.seedUser({ login: 'ada', prohibit_login: false, login_name: 'ada-ldap', source_id: 3 });
    expect(await (await call('GET', '/users/ada', undefined, {})).json()).toMatchObject({ login_name: '', source_id: 0, email: '' });
    expect(await (await call('GET', '/users/ada')).json()).toMatchObject({ login_name: 'ada-ldap', source_id: 3, active: true });
  });
});
