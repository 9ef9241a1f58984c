// A fake Retool REST API v2 (users) that behaves as docs/backends.md
// ("Retool") says, quirks included, with switches for the unverified items.
import { type CallRecord, type FakeReply, type FakeRequest, type FaultOptions, randomHex, startFakeHttp } from './http-fake.ts';

export type { CallRecord, Fault } from './http-fake.ts';

export interface FakeRetoolOptions extends FaultOptions {
  /** The API token Retool accepts as `Authorization: Bearer`. */
  token: string;
  scopes: string[];
  /** Listen port; 0 (default) picks a free one. Fixed at start. */
  port: number;
  /** Where Retool is mounted, e.g. `/retool`; the API lives at `${pathPrefix}/api/v2`. Fixed at start. */
  pathPrefix: string;
  /** Unverified: the status for a duplicate email on create. */
  duplicateStatus: 409 | 422;
  /** Older API versions sent `legacy_id` as a numeric string. */
  legacyIdAs: 'number' | 'string';
  /** Unverified: whether `GET /users?email=` matches case-sensitively. */
  emailFilterCaseSensitive: boolean;
  /** Unverified: what deleting an already deactivated user answers. */
  repeatDeleteStatus: 204 | 422;
  /**
   * How pages are chained, as Retool documents it in two places: its
   * versioned OpenAPI reference (2.12.0, GET /users: query `next_token`, with
   * `limit`; answer field `next_token`) or its API guide
   * (docs.retool.com/retool-api/guides/usage: query `next`, answer field
   * `next`). A query parameter the style does not know is ignored, so a client
   * that sends only the other one gets page one again.
   */
  paging: 'reference' | 'guide';
}

export interface RetoolFakeUser {
  id: string;
  legacy_id: number;
  email: string;
  active: boolean;
  created_at: string;
  last_active: string | null;
  first_name: string;
  last_name: string;
  metadata: Record<string, unknown>;
  is_admin: boolean;
  user_type: 'default' | 'mobile' | 'embed';
  two_factor_auth_enabled: boolean;
}

export interface FakeRetoolState {
  /** In creation order. */
  users: RetoolFakeUser[];
  calls: CallRecord[];
  /** Emails Retool sent an invitation to (one per created user). */
  invitations: string[];
  /** Field changes that actually changed a value; a repeated PATCH adds nothing. */
  changes: Array<{ sid: string; field: string; value: unknown }>;
}

export interface FakeRetool {
  url: string;
  state: FakeRetoolState;
  options: Readonly<FakeRetoolOptions>;
  setOptions(partial: Partial<FakeRetoolOptions>): void;
  /** Adds a user directly, bypassing the API's checks (e.g. to create an ambiguous email). */
  seedUser(partial: Partial<RetoolFakeUser> & { email: string }): RetoolFakeUser;
  byEmail(email: string): RetoolFakeUser[];
  close(): Promise<void>;
}

export const DEFAULT_RETOOL_TOKEN = 'retool_01hx-fake-api-token-for-tests';

const USER_FIELDS = new Set(['email', 'first_name', 'last_name', 'active', 'metadata', 'user_type']);
const USER_TYPES = new Set(['default', 'mobile', 'embed']);
// The PATCH paths Retool's clients use (Retool's Terraform provider, baton-retool);
// none changes an email.
const PATCHABLE = new Set(['/active', '/first_name', '/last_name', '/metadata', '/user_type']);
const SID = /^\/users\/([^/]+)$/;

export async function startFakeRetool(initial: Partial<FakeRetoolOptions> = {}): Promise<FakeRetool> {
  const options: FakeRetoolOptions = {
    token: DEFAULT_RETOOL_TOKEN,
    scopes: ['users:read', 'users:write'],
    port: 0,
    pathPrefix: '',
    duplicateStatus: 409,
    legacyIdAs: 'number',
    emailFilterCaseSensitive: false,
    repeatDeleteStatus: 204,
    paging: 'reference',
    ...initial,
  };
  const state: FakeRetoolState = { users: [], calls: [], invitations: [], changes: [] };
  let nextLegacyId = 1;

  const error = (status: number, message: string): FakeReply => ({ status, body: { success: false, message } });
  const wire = (user: RetoolFakeUser) => ({ ...user, legacy_id: options.legacyIdAs === 'string' ? String(user.legacy_id) : user.legacy_id });
  const find = (sid: string) => state.users.find((u) => u.id === sid);

  function seedUser(partial: Partial<RetoolFakeUser> & { email: string }): RetoolFakeUser {
    const user: RetoolFakeUser = {
      id: `user_${randomHex(16)}`,
      legacy_id: nextLegacyId,
      active: true,
      created_at: new Date().toISOString(),
      last_active: null,
      first_name: 'Test',
      last_name: 'User',
      metadata: {},
      is_admin: false,
      user_type: 'default',
      two_factor_auth_enabled: false,
      ...partial,
    };
    nextLegacyId = Math.max(nextLegacyId, user.legacy_id) + 1;
    state.users.push(user);
    return user;
  }

  function listUsers(query: URLSearchParams): FakeReply {
    const limitText = query.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) {
      return error(400, 'limit must be an integer between 1 and 100');
    }
    const tokenName = options.paging === 'guide' ? 'next' : 'next_token';
    const tokenText = query.get(tokenName);
    let offset = 0;
    if (tokenText !== null) {
      offset = Number(Buffer.from(tokenText, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) return error(400, `invalid ${tokenName}`);
    }
    const email = query.get('email');
    const first = query.get('first_name');
    const last = query.get('last_name');
    const matches = state.users.filter(
      (u) =>
        (email === null || (options.emailFilterCaseSensitive ? u.email === email : u.email.toLowerCase() === email.toLowerCase())) &&
        (first === null || u.first_name === first) &&
        (last === null || u.last_name === last),
    );
    const page = limit === undefined ? matches.slice(offset) : matches.slice(offset, offset + limit);
    const end = offset + page.length;
    const hasMore = end < matches.length;
    return {
      status: 200,
      body: {
        success: true,
        data: page.map(wire),
        total_count: matches.length,
        [tokenName]: hasMore ? Buffer.from(String(end)).toString('base64url') : null,
        has_more: hasMore,
      },
    };
  }

  function createUser(body: unknown): FakeReply {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, 'body must be an object');
    const input = body as Record<string, unknown>;
    const extra = Object.keys(input).find((key) => !USER_FIELDS.has(key));
    if (extra) return error(400, `body must NOT have additional properties (${extra})`);
    for (const field of ['email', 'first_name', 'last_name']) {
      const value = input[field];
      if (typeof value !== 'string' || value.length < 1) return error(400, `body/${field} must be a non-empty string`);
    }
    const email = input.email as string;
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) return error(400, 'body/email must match format "email"');
    if (input.active !== undefined && typeof input.active !== 'boolean') return error(400, 'body/active must be boolean');
    if (input.user_type !== undefined && !USER_TYPES.has(String(input.user_type))) return error(400, 'body/user_type must be equal to one of the allowed values');
    if (input.metadata !== undefined && (typeof input.metadata !== 'object' || input.metadata === null)) return error(400, 'body/metadata must be object');
    if (state.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) {
      return error(options.duplicateStatus, `User with email ${email} already exists`);
    }
    // Retool API reference 2.12.0, POST /users: email, first_name, last_name,
    // active, metadata, user_type; `metadata` is kept as given and returned on
    // every read (baton-retool and the gateway tag accounts through it).
    const user = seedUser({
      email,
      first_name: input.first_name as string,
      last_name: input.last_name as string,
      active: (input.active as boolean | undefined) ?? true,
      metadata: (input.metadata as Record<string, unknown> | undefined) ?? {},
      user_type: (input.user_type as RetoolFakeUser['user_type'] | undefined) ?? 'default',
    });
    state.invitations.push(email);
    // Retool answers a create with 200, not 201.
    return { status: 200, body: { success: true, data: wire(user) } };
  }

  function patchUser(user: RetoolFakeUser, body: unknown): FakeReply {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, 'body must be an object');
    const input = body as Record<string, unknown>;
    const extra = Object.keys(input).find((key) => key !== 'operations');
    if (extra) return error(400, `body must NOT have additional properties (${extra})`);
    if (!Array.isArray(input.operations) || input.operations.length === 0) return error(400, 'body/operations must be a non-empty array');
    const updates: Array<[field: string, value: unknown]> = [];
    for (const raw of input.operations as unknown[]) {
      if (typeof raw !== 'object' || raw === null) return error(400, 'body/operations/* must be an object');
      const op = raw as Record<string, unknown>;
      if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') return error(400, 'op must be one of add, remove, replace');
      if (typeof op.path !== 'string' || !PATCHABLE.has(op.path)) return error(400, `unsupported path ${String(op.path)}`);
      const field = op.path.slice(1);
      const value = op.op === 'remove' ? (field === 'metadata' ? {} : undefined) : op.value;
      if (field === 'active' && typeof value !== 'boolean') return error(400, '/active must be boolean');
      if ((field === 'first_name' || field === 'last_name') && (typeof value !== 'string' || value.length < 1)) {
        return error(400, `/${field} must be a non-empty string`);
      }
      if (field === 'user_type' && !USER_TYPES.has(String(value))) return error(400, '/user_type must be equal to one of the allowed values');
      updates.push([field, value]);
    }
    for (const [field, value] of updates) {
      const record = user as unknown as Record<string, unknown>;
      if (JSON.stringify(record[field]) !== JSON.stringify(value)) {
        record[field] = value;
        state.changes.push({ sid: user.id, field, value });
      }
    }
    return { status: 200, body: { success: true, data: wire(user) } };
  }

  function handle(request: FakeRequest): FakeReply {
    if (request.headers.authorization !== `Bearer ${options.token}`) return error(401, 'Invalid or missing API token');
    const needed = request.method === 'GET' ? 'users:read' : 'users:write';
    if (!options.scopes.includes(needed)) return error(403, `API token is missing the ${needed} scope`);
    if (request.invalidJson) return error(400, 'body is not valid JSON');

    if (request.path === '/users') {
      if (request.method === 'GET') return listUsers(request.query);
      if (request.method === 'POST') return createUser(request.body);
      return error(404, 'Not found');
    }
    const match = SID.exec(request.path);
    if (!match) return error(404, 'Not found');
    const user = find(decodeURIComponent(match[1] ?? ''));
    if (!user) return error(404, 'User not found');
    switch (request.method) {
      case 'GET':
        return { status: 200, body: { success: true, data: wire(user) } };
      case 'PATCH':
        return patchUser(user, request.body);
      case 'DELETE':
        // Retool has no hard delete: the user stays, deactivated.
        if (!user.active && options.repeatDeleteStatus === 422) return error(422, 'User is already deactivated');
        if (user.active) {
          user.active = false;
          state.changes.push({ sid: user.id, field: 'active', value: false });
        }
        return { status: 204 };
      default:
        return error(404, 'Not found');
    }
  }

  const server = await startFakeHttp({
    port: options.port,
    basePath: `${options.pathPrefix.replace(/\/+$/, '')}/api/v2`,
    handle,
    errorBody: (_status, message) => ({ success: false, message }),
    faults: () => options,
    consumeFailNext() {
      if (options.failNext) options.failNext = { ...options.failNext, count: options.failNext.count - 1 };
    },
    calls: state.calls,
  });

  return {
    url: `${server.url}${options.pathPrefix.replace(/\/+$/, '')}`,
    state,
    options,
    setOptions(partial) {
      Object.assign(options, partial);
    },
    seedUser,
    byEmail: (email) => state.users.filter((u) => u.email.toLowerCase() === email.toLowerCase()),
    close: () => server.close(),
  };
}
