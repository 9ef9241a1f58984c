import { backendFailure, FAST_TRANSPORT, faultMatrix } from '../support/backend-failure.ts';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRetoolClient, defaultNames, type RetoolClient, type RetoolClientOptions } from '../../src/backends/retool.ts';
import type { RetoolConfig } from '../../src/config.ts';
import { DEFAULT_RETOOL_TOKEN, type FakeRetool, type FakeRetoolOptions, startFakeRetool } from '../fakes/retool.ts';

let fake: FakeRetool;
const extra: FakeRetool[] = [];

beforeEach(async () => {
  fake = await startFakeRetool();
});
afterEach(async () => {
  await Promise.all([fake.close(), ...extra.splice(0).map((f) => f.close())]);
});

async function startAnother(options: Partial<FakeRetoolOptions>): Promise<FakeRetool> {
  const started = await startFakeRetool(options);
  extra.push(started);
  return started;
}

const config = (url: string, token = DEFAULT_RETOOL_TOKEN): RetoolConfig => ({ baseUrl: url, token, databaseUrl: undefined });

function client(url = fake.url, options: RetoolClientOptions = {}, token?: string): RetoolClient {
  return createRetoolClient(config(url, token), { ...FAST_TRANSPORT, ...options });
}

const failure = (promise: Promise<unknown>) => backendFailure(promise, 'retool');

const ada = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };

describe('creating users', () => {
  it('creates a user with exactly email, first_name and last_name, and reports it as new', async () => {
    const account = await client().ensureUser(ada);
    expect(account).toMatchObject({ email: 'ada@example.com', active: true, linked: false, firstName: 'Ada', lastName: 'Lovelace' });
    expect(account.sid).toMatch(/^user_[0-9a-f]{32}$/);
    expect(account.legacyId).toBe(String(fake.state.users[0]?.legacy_id));
    const [call] = fake.state.calls;
    expect(call).toMatchObject({ method: 'POST', path: '/users', auth: 'bearer', outcome: 200 });
    expect(Object.keys(call?.body as object).sort()).toEqual(['email', 'first_name', 'last_name']);
    expect(fake.state.invitations).toEqual(['ada@example.com']);
  });

  it('fills missing names from the email local part, since Retool needs both', async () => {
    expect(defaultNames({ email: 'ada.lovelace+ops@example.com' })).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(defaultNames({ email: 'grace@example.com' })).toEqual({ firstName: 'Grace', lastName: '-' });
    expect(defaultNames({ email: 'x@example.com', firstName: '  ', lastName: 'Hopper' })).toEqual({ firstName: 'X', lastName: 'Hopper' });
    // With neither first nor last name, the display name is split at its first space; given names win over it.
    expect(defaultNames({ email: 'x@example.com', displayName: ' Grace  Brewster Hopper ' })).toEqual({ firstName: 'Grace', lastName: 'Brewster Hopper' });
    expect(defaultNames({ email: 'x@example.com', displayName: 'Grace Hopper', lastName: 'Murray' })).toEqual({ firstName: 'X', lastName: 'Murray' });
    await client().ensureUser({ email: 'alan_turing@example.com' });
    expect(fake.state.users[0]).toMatchObject({ first_name: 'Alan', last_name: 'Turing' });
  });

  it('accepts legacy_id sent as a numeric string', async () => {
    fake.setOptions({ legacyIdAs: 'string' });
    const account = await client().ensureUser(ada);
    expect(account.legacyId).toBe(String(fake.state.users[0]?.legacy_id));
  });

  it('works under a base URL with a path prefix', async () => {
    const prefixed = await startAnother({ pathPrefix: '/retool' });
    expect(prefixed.url).toMatch(/\/retool$/);
    await client(prefixed.url).ensureUser(ada);
    expect(prefixed.state.users).toHaveLength(1);
  });
});

describe('linking an existing user (idempotent create)', () => {
  it('links on 409 instead of creating a second user', async () => {
    const first = await client().ensureUser(ada);
    const second = await client().ensureUser(ada);
    expect(second).toMatchObject({ sid: first.sid, legacyId: first.legacyId, linked: true });
    expect(fake.state.users).toHaveLength(1);
    expect(fake.state.invitations).toHaveLength(1);
    expect(fake.state.calls.map((c) => `${c.method} ${c.path} ${c.outcome}`)).toEqual([
      'POST /users 200',
      'POST /users 409',
      'GET /users 200',
    ]);
    expect(fake.state.calls[2]?.query).toMatchObject({ email: 'ada@example.com', limit: '100' });
  });

  it('treats a 422 that says the email exists as the same duplicate', async () => {
    fake.setOptions({ duplicateStatus: 422 });
    const first = await client().ensureUser(ada);
    expect(await client().ensureUser(ada)).toMatchObject({ sid: first.sid, linked: true });
    expect(fake.state.users).toHaveLength(1);
  });

  it('links a duplicate stored in another case', async () => {
    const existing = fake.seedUser({ email: 'Ada@Example.COM' });
    expect(await client().ensureUser(ada)).toMatchObject({ sid: existing.id, linked: true });
    expect(fake.state.users).toHaveLength(1);
  });

  it('still links it when the email filter is case-sensitive, by scanning the users', async () => {
    fake.setOptions({ emailFilterCaseSensitive: true });
    fake.seedUser({ email: 'someone@example.com' });
    const existing = fake.seedUser({ email: 'Ada@Example.COM' });
    expect(await client().ensureUser(ada)).toMatchObject({ sid: existing.id, linked: true });
    expect(fake.state.users).toHaveLength(2);
  });

  it('refuses to pick between several users with the same email', async () => {
    fake.seedUser({ email: 'ada@example.com' });
    fake.seedUser({ email: 'ADA@example.com' });
    const error = await failure(client().ensureUser(ada));
    expect(error).toMatchObject({ kind: 'ambiguous', retry: 'never' });
    expect(error.message).toBe('retool: ambiguous email: 2 users match');
  });

  it('reports not-found when Retool says the email is taken but no user has it', async () => {
    fake.setOptions({ failCall: { nth: 1, fault: { kind: 'status', status: 409, message: 'User already exists' } } });
    const error = await failure(client().ensureUser(ada));
    expect(error).toMatchObject({ kind: 'not_found', retry: 'never' });
  });

  it('recovers from a create whose answer was lost: the replay is linked, one user exists', async () => {
    fake.setOptions({ failCall: { nth: 1, fault: { kind: 'reset', afterApply: true } } });
    const account = await client().ensureUser(ada);
    expect(account.linked).toBe(true);
    expect(fake.byEmail(ada.email)).toHaveLength(1);
  });

  it('treats an empty data on 200 as an error', async () => {
    fake.setOptions({ failNext: { count: 1, fault: { kind: 'raw', status: 200, body: '{"success":true}' } } });
    expect(await failure(client().ensureUser(ada))).toMatchObject({ kind: 'schema', retry: 'later', message: 'retool: unexpected response body (200; data: invalid_type)' });
  });

  it('treats a 200 of the wrong shape as an error', async () => {
    fake.setOptions({ failNext: { count: 1, fault: { kind: 'raw', status: 200, body: '{"success":true,"data":{"id":"user_1","legacy_id":"x1","email":"a@b","active":true}}' } } });
    expect(await failure(client().ensureUser(ada))).toMatchObject({ kind: 'schema', message: 'retool: unexpected response body (200; data.legacy_id: invalid_format)' });
  });
});

describe('reading users', () => {
  it('gets a user by sid, and null for an unknown sid', async () => {
    const { sid } = await client().ensureUser(ada);
    expect(await client().getUser(sid)).toMatchObject({ sid, email: ada.email, active: true });
    expect(await client().getUser('user_00000000000000000000000000000000')).toBeNull();
  });

  for (const paging of ['reference', 'guide'] as const) {
    it(`lists 250 users over 3 pages of 100, paging as Retool's ${paging} documents it`, async () => {
      fake.setOptions({ paging });
      for (let i = 0; i < 250; i += 1) fake.seedUser({ email: `u${i}@example.com` });
      const emails: string[] = [];
      for await (const user of client().listUsers()) emails.push(user.email);
      expect(emails).toHaveLength(250);
      expect(new Set(emails).size).toBe(250);
      expect(emails[249]).toBe('u249@example.com');
      const pages = fake.state.calls.map((c) => c.query);
      expect(pages).toHaveLength(3);
      expect(pages.every((q) => q.limit === '100')).toBe(true);
      expect(pages[0]?.next).toBeUndefined();
      expect(pages[1]?.next).toBeTruthy();
      expect(pages[1]?.next_token).toBe(pages[1]?.next);
    });
  }
});

describe('enabling and disabling', () => {
  it('disables through PATCH replace /active, and disabling twice flips the state once', async () => {
    const { sid } = await client().ensureUser(ada);
    expect(await client().setActive(sid, false)).toMatchObject({ sid, active: false });
    expect(await client().setActive(sid, false)).toMatchObject({ sid, active: false });
    expect(fake.state.changes).toEqual([{ sid, field: 'active', value: false }]);
    expect(fake.state.calls.at(-1)?.body).toEqual({ operations: [{ op: 'replace', path: '/active', value: false }] });
  });

  it('enables twice and the state flips once', async () => {
    const { sid } = await client().ensureUser(ada);
    await client().setActive(sid, false);
    await client().setActive(sid, true);
    await client().setActive(sid, true);
    expect(fake.state.changes.map((c) => c.value)).toEqual([false, true]);
    expect(fake.state.users[0]?.active).toBe(true);
  });

  it('reports an unknown sid as not found', async () => {
    expect(await failure(client().setActive('user_00000000000000000000000000000000', false))).toMatchObject({ kind: 'not_found', status: 404, retry: 'never' });
  });

  it('links a disabled user as it is, still disabled', async () => {
    fake.seedUser({ email: ada.email, active: false });
    expect(await client().ensureUser(ada)).toMatchObject({ linked: true, active: false });
  });
});

describe('authentication', () => {
  it('fails a wrong token with a 401 that is not retryable and does not echo the token', async () => {
    const error = await failure(client(fake.url, {}, 'wrong-token-value-123456').ensureUser(ada));
    expect(error).toMatchObject({ kind: 'status', status: 401, retry: 'never' });
    expect(error.message).toBe('retool: 401 Unauthorized: Invalid or missing API token');
    expect(inspect(error)).not.toContain('wrong-token-value-123456');
  });

  it('fails a token without users:write with a 403', async () => {
    fake.setOptions({ scopes: ['users:read'] });
    expect(await failure(client().ensureUser(ada))).toMatchObject({ kind: 'status', status: 403, retry: 'never' });
  });
});

describe('faults', () => {
  const matrix = faultMatrix([
    { name: '429 with Retry-After', fault: { kind: 'rate-limit', retryAfter: '120' }, kind: 'status', retry: 'now', retryAfterMs: 120_000 },
    { name: '429 without any header', fault: { kind: 'rate-limit' }, kind: 'status', retry: 'now', retryAfterMs: 60_000 },
  ]);

  it.each(matrix)('$name: a typed error, then the same call succeeds once it clears, with one user', async ({ fault, kind, retry, retryAfterMs }) => {
    fake.setOptions({ failNext: { count: 1_000, fault } });
    const error = await failure(client().ensureUser(ada));
    expect(error).toMatchObject({ kind, retry });
    if (retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.message).not.toContain(DEFAULT_RETOOL_TOKEN);
    expect(inspect(error, { depth: 5 })).not.toContain(DEFAULT_RETOOL_TOKEN);

    fake.setOptions({ failNext: undefined });
    expect(await client().ensureUser(ada)).toMatchObject({ email: ada.email });
    expect(fake.byEmail(ada.email)).toHaveLength(1);
  });

  it('connection refused: a retryable error, then success once Retool is back', async () => {
    const port = Number(new URL(fake.url).port);
    await fake.close();
    const error = await failure(client().ensureUser(ada));
    expect(error).toMatchObject({ kind: 'connection', retry: 'now', message: 'retool: connection refused' });
    fake = await startFakeRetool({ port });
    await client().ensureUser(ada);
    expect(fake.byEmail(ada.email)).toHaveLength(1);
  });

  it('rides out transient failures inline: two 503s, then success', async () => {
    fake.setOptions({ failNext: { count: 2, fault: { kind: 'status', status: 503 } } });
    expect(await client().ensureUser(ada)).toMatchObject({ linked: false });
    expect(fake.state.users).toHaveLength(1);
  });

  it('waits a short Retry-After inline and retries', async () => {
    const sleeps: number[] = [];
    fake.setOptions({ failNext: { count: 1, fault: { kind: 'rate-limit', retryAfter: '1' } } });
    await client(fake.url, { sleep: async (ms) => void sleeps.push(ms) }).ensureUser(ada);
    expect(sleeps).toEqual([1_000]);
  });
});

describe('the fake itself', () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${fake.url}/api/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${DEFAULT_RETOOL_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('only deactivates on DELETE: the user stays listed with active false', async () => {
    const user = fake.seedUser({ email: 'gone@example.com' });
    expect((await call('DELETE', `/users/${user.id}`)).status).toBe(204);
    const list = (await (await call('GET', '/users')).json()) as { data: Array<{ active: boolean }> };
    expect(list.data).toMatchObject([{ active: false }]);
    expect((await call('DELETE', `/users/${user.id}`)).status).toBe(204);
    fake.setOptions({ repeatDeleteStatus: 422 });
    expect((await call('DELETE', `/users/${user.id}`)).status).toBe(422);
  });

  it('rejects unknown fields, empty names, and limits outside 1-100', async () => {
    expect((await call('POST', '/users', { email: 'a@b.c', first_name: 'A', last_name: 'B', password: 'x' })).status).toBe(400);
    expect((await call('POST', '/users', { email: 'a@b.c', first_name: '', last_name: 'B' })).status).toBe(400);
    expect((await call('GET', '/users?limit=0')).status).toBe(400);
    expect((await call('GET', '/users?limit=101')).status).toBe(400);
    expect(fake.state.users).toHaveLength(0);
  });

  it('returns everything without a limit, with total_count and no next_token', async () => {
    for (let i = 0; i < 120; i += 1) fake.seedUser({ email: `u${i}@example.com` });
    const body = (await (await call('GET', '/users')).json()) as { data: unknown[]; total_count: number; next_token: string | null; has_more: boolean };
    expect(body).toMatchObject({ total_count: 120, next_token: null, has_more: false });
    expect(body.data).toHaveLength(120);
  });

  it('answers a create with 200 and refuses a missing or wrong bearer token', async () => {
    expect((await call('POST', '/users', { email: 'a@b.c', first_name: 'A', last_name: 'B' })).status).toBe(200);
    expect((await fetch(`${fake.url}/api/v2/users`)).status).toBe(401);
  });
});
