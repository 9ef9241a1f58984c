// A fake Forgejo REST API v1 covering the calls in docs/backends.md
// ("Forgejo"), with Forgejo's authentication rules (token vs Basic, scopes per
// route, site admin, TOTP) and quirks.
import { type CallRecord, type FakeReply, type FakeRequest, type FaultOptions, randomHex, startFakeHttp } from './http-fake.ts';

export type { CallRecord, Fault } from './http-fake.ts';

export interface FakeForgeOptions extends FaultOptions {
  adminUsername: string;
  adminPassword: string;
  /** The site admin's API token (`Authorization: token ...` or `Bearer ...`). */
  adminToken: string;
  adminTokenScopes: string[];
  minPasswordLength: number;
  /** The site admin has TOTP enrolled: Basic auth needs `X-Forgejo-OTP: <adminOtp>`. */
  adminTotp: boolean;
  /** The one code the fake's TOTP accepts. */
  adminOtp: string;
  /** Listen port; 0 (default) picks a free one. Fixed at start. */
  port: number;
  /** Where Forgejo is mounted; the API lives at `${pathPrefix}/api/v1`. Fixed at start. */
  pathPrefix: string;
}

export interface ForgeFakeUser {
  id: number;
  login: string;
  email: string;
  full_name: string;
  password: string;
  must_change_password: boolean;
  active: boolean;
  prohibit_login: boolean;
  is_admin: boolean;
  restricted: boolean;
  visibility: 'public' | 'limited' | 'private';
  login_name: string;
  source_id: number;
  created: string;
}

export interface ForgeFakeToken {
  id: number;
  userId: number;
  name: string;
  sha1: string;
  scopes: string[];
}

export interface FakeForgeState {
  users: ForgeFakeUser[];
  tokens: ForgeFakeToken[];
  calls: CallRecord[];
  /** Field changes that actually changed a value; a repeated PATCH adds nothing. */
  changes: Array<{ login: string; field: string; value: unknown }>;
}

export interface FakeForge {
  url: string;
  state: FakeForgeState;
  options: Readonly<FakeForgeOptions>;
  setOptions(partial: Partial<FakeForgeOptions>): void;
  /** Adds a user directly, bypassing the API's checks. */
  seedUser(partial: Partial<ForgeFakeUser> & { login: string }): ForgeFakeUser;
  /** Case-insensitive, as Forgejo looks users up. */
  user(login: string): ForgeFakeUser | undefined;
  close(): Promise<void>;
}

export const DEFAULT_FORGE_OPTIONS: Omit<FakeForgeOptions, keyof FaultOptions> = {
  adminUsername: 'gw-admin',
  adminPassword: 'Adm1n-password-for-tests',
  adminToken: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3',
  // The scopes docs/backends.md names for the gateway's admin token (write:admin includes read:admin).
  adminTokenScopes: ['write:admin', 'read:user'],
  minPasswordLength: 8,
  adminTotp: false,
  adminOtp: '123456',
  port: 0,
  pathPrefix: '',
};

const CATEGORIES = ['activitypub', 'admin', 'misc', 'notification', 'organization', 'package', 'issue', 'repository', 'user'];
const SCOPES = new Set(['all', 'public-only', ...CATEGORIES.flatMap((c) => [`read:${c}`, `write:${c}`])]);
// Forgejo's username rules, as its source has them (not as the client's copy):
// modules/validation/helpers.go IsValidUsername (dots allowed by default),
// modules/structs/admin_user.go CreateUserOption.Username MaxSize(40).
const VALID_USERNAME = /^[\da-zA-Z][-.\w]*$/;
const INVALID_USERNAME = /[-._]{2,}|[-._]$/;
// models/user/user.go reservedUsernames and reservedUserPatterns, compared
// lower-cased and trimmed (models/db/name.go IsUsableName).
const RESERVED_USERNAMES = new Set(
  '. .. - .well-known api metrics v2 assets attachments avatar avatars repo-avatars captcha login org repo user admin devtest explore issues pulls milestones notifications report_abuse favicon.ico manifest.json robots.txt sitemap.xml ssh_info swagger.v1.json ghost gitea-actions forgejo-actions'.split(' '),
);
const RESERVED_PATTERNS = ['*.keys', '*.gpg', '*.rss', '*.atom', '*.png'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ZERO_TIME = '1970-01-01T00:00:00Z';

interface Caller {
  user: ForgeFakeUser;
  via: 'token' | 'basic';
  /** Basic authentication carries every scope. */
  scopes: string[] | 'all';
}

export async function startFakeForge(initial: Partial<FakeForgeOptions> = {}): Promise<FakeForge> {
  const options: FakeForgeOptions = { ...DEFAULT_FORGE_OPTIONS, ...initial };
  const state: FakeForgeState = { users: [], tokens: [], calls: [], changes: [] };
  let nextUserId = 1;
  let nextTokenId = 1;
  let swaggerUrl = '';

  const error = (status: number, message: string): FakeReply => ({ status, body: { message, url: swaggerUrl } });
  const notFound = (): FakeReply => ({ status: 404, body: { message: "The target couldn't be found.", url: swaggerUrl, errors: [] } });
  const noSuchUser = (name: string): FakeReply => error(404, `user does not exist [uid: 0, name: ${name}]`);
  const findUser = (login: string) => state.users.find((u) => u.login.toLowerCase() === login.toLowerCase());

  function seedUser(partial: Partial<ForgeFakeUser> & { login: string }): ForgeFakeUser {
    const user: ForgeFakeUser = {
      id: nextUserId,
      email: `${partial.login.toLowerCase()}@example.test`,
      full_name: '',
      password: 'Seeded-password-1',
      must_change_password: false,
      active: true,
      prohibit_login: false,
      is_admin: false,
      restricted: false,
      visibility: 'public',
      login_name: '',
      source_id: 0,
      created: new Date().toISOString(),
      ...partial,
    };
    nextUserId = Math.max(nextUserId, user.id) + 1;
    state.users.push(user);
    return user;
  }

  seedUser({ login: options.adminUsername, password: options.adminPassword, is_admin: true, email: `${options.adminUsername}@example.test` });

  // Admin-only fields come back zeroed unless the caller is a site admin.
  function view(user: ForgeFakeUser, caller: Caller | undefined) {
    const admin = caller?.user.is_admin === true;
    const self = caller?.user.id === user.id;
    return {
      id: user.id,
      login: user.login,
      login_name: admin ? user.login_name : '',
      source_id: admin ? user.source_id : 0,
      full_name: user.full_name,
      email: admin || self ? user.email : '',
      avatar_url: `${swaggerUrl.replace(/\/api\/swagger$/, '')}/avatars/${user.id}`,
      html_url: `${swaggerUrl.replace(/\/api\/swagger$/, '')}/${user.login}`,
      language: '',
      is_admin: admin ? user.is_admin : false,
      last_login: ZERO_TIME,
      created: user.created,
      restricted: admin ? user.restricted : false,
      active: admin ? user.active : false,
      prohibit_login: admin ? user.prohibit_login : false,
      location: '',
      website: '',
      description: '',
      visibility: user.visibility,
      followers_count: 0,
      following_count: 0,
      starred_repos_count: 0,
      username: user.login,
    };
  }

  function authenticate(request: FakeRequest): { caller: Caller | undefined } | { reply: FakeReply } {
    const header = request.headers.authorization;
    if (!header) return { caller: undefined };
    const [scheme = '', credential = ''] = header.split(' ');
    const lower = scheme.toLowerCase();
    if (lower === 'token' || lower === 'bearer') {
      if (credential === options.adminToken) {
        const admin = findUser(options.adminUsername);
        if (admin) return { caller: { user: admin, via: 'token', scopes: options.adminTokenScopes } };
      }
      const token = state.tokens.find((t) => t.sha1 === credential);
      const owner = token && state.users.find((u) => u.id === token.userId);
      if (!token || !owner) return { reply: error(401, 'user does not exist [uid: 0, name: ]') };
      return { caller: { user: owner, via: 'token', scopes: token.scopes } };
    }
    if (lower === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      const user = state.users.find((u) => u.login.toLowerCase() === name.toLowerCase() || u.email.toLowerCase() === name.toLowerCase());
      if (colon < 0 || !user) return { reply: error(401, `user does not exist [uid: 0, name: ${name}]`) };
      // A token may stand in for the password.
      const token = state.tokens.find((t) => t.sha1 === secret && t.userId === user.id);
      if (user.password !== secret && !token) return { reply: error(401, `user's password is invalid [uid: ${user.id}, name: ${user.login}]`) };
      // services/auth/source/db/authenticate.go: a password sign-in of a
      // prohibited account is ErrUserProhibitLogin (401); a token gets the 403 below.
      if (!token && user.prohibit_login) return { reply: error(401, `user is not allowed login [uid: ${user.id}, name: ${user.login}]`) };
      // services/auth/basic.go (Basic.Verify): a password login of an account
      // with TOTP enrolled must carry a valid code in X-Forgejo-OTP (or
      // X-Gitea-OTP), else 401 "invalid provided OTP"; a token as password skips it.
      const otp = request.headers['x-forgejo-otp'] ?? request.headers['x-gitea-otp'];
      if (!token && options.adminTotp && user.login === options.adminUsername && otp !== options.adminOtp) return { reply: error(401, 'invalid provided OTP') };
      return { caller: { user, via: 'basic', scopes: token ? token.scopes : 'all' } };
    }
    return { reply: error(401, 'user does not exist [uid: 0, name: ]') };
  }

  function blocked(caller: Caller): FakeReply | undefined {
    if (caller.user.prohibit_login) return error(403, 'This account is prohibited from signing in, please contact your site administrator.');
    if (!caller.user.active) return error(403, 'This account is not activated.');
    if (caller.user.must_change_password) return error(403, 'You must change your password. Change it at: /user/change_password');
    return undefined;
  }

  // models/auth/access_token_scope.go: `write:X` implies `read:X` of the same
  // category only (write:admin does not give read:user); `all` gives everything.
  function hasScope(caller: Caller, needed: string): boolean {
    if (caller.scopes === 'all' || caller.scopes.includes('all')) return true;
    const [, category] = needed.split(':');
    return caller.scopes.includes(needed) || (needed.startsWith('read:') && caller.scopes.includes(`write:${category}`));
  }

  function requireScope(caller: Caller | undefined, needed: string): FakeReply | undefined {
    if (caller && !hasScope(caller, needed)) return error(403, `token does not have at least one of required scope(s): [${needed}]`);
    return undefined;
  }

  function requireAdmin(caller: Caller | undefined, needed: string): FakeReply | undefined {
    if (!caller) return error(401, 'token is required');
    return requireScope(caller, needed) ?? (caller.user.is_admin ? undefined : error(403, 'user should be the site admin'));
  }

  function paging(query: URLSearchParams, defaultLimit: number): { page: number; limit: number } {
    const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
    const asked = Number.parseInt(query.get('limit') ?? '', 10);
    // Forgejo caps at MAX_RESPONSE_ITEMS (50) instead of failing.
    const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, 50) : defaultLimit;
    return { page, limit };
  }

  function record(user: ForgeFakeUser, field: keyof ForgeFakeUser, value: unknown): void {
    const target = user as unknown as Record<string, unknown>;
    if (target[field] !== value) {
      target[field] = value;
      state.changes.push({ login: user.login, field, value: field === 'password' ? '(changed)' : value });
    }
  }

  function createUser(caller: Caller | undefined, body: Record<string, unknown>): FakeReply {
    const { username, email, password } = body;
    if (typeof username !== 'string' || username === '') return error(422, '[Username]: Required');
    if (typeof email !== 'string' || email === '') return error(422, '[Email]: Required');
    // routers/api/v1/api.go bind(): the first binding error, as "[Field]: rule".
    if ([...username].length > 40) return error(422, '[Username]: MaxSize');
    if (!VALID_USERNAME.test(username) || INVALID_USERNAME.test(username)) return error(422, '[Username]: invalid username');
    if (!EMAIL.test(email)) return error(422, `e-mail invalid [email: ${email}]`);
    const visibility = body.visibility ?? 'public';
    if (visibility !== 'public' && visibility !== 'limited' && visibility !== 'private') return error(422, '[Visibility]: In');
    const external = typeof body.source_id === 'number' && body.source_id > 0;
    if (!external && (typeof password !== 'string' || password.length < options.minPasswordLength)) {
      return error(400, `password must be at least ${options.minPasswordLength} characters`);
    }
    // routers/api/v1/admin/user.go CreateUser -> user_model.CreateUser: the
    // reserved-name check, then existence (models/user/error.go texts).
    const lower = username.trim().toLowerCase();
    if (RESERVED_USERNAMES.has(lower)) return error(422, `name is reserved [name: ${lower}]`);
    const pattern = RESERVED_PATTERNS.find((p) => lower.endsWith(p.slice(1)));
    if (pattern) return error(422, `name pattern is not allowed [pattern: ${pattern}]`);
    if (findUser(username)) return error(422, `user already exists [name: ${username}]`);
    if (state.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) return error(422, `e-mail already in use [email: ${email}]`);
    const user = seedUser({
      login: username,
      email,
      full_name: typeof body.full_name === 'string' ? body.full_name : '',
      password: typeof password === 'string' ? password : '',
      // Forgejo's default when the field is omitted.
      must_change_password: typeof body.must_change_password === 'boolean' ? body.must_change_password : true,
      restricted: body.restricted === true,
      visibility,
      login_name: typeof body.login_name === 'string' ? body.login_name : '',
      source_id: typeof body.source_id === 'number' ? body.source_id : 0,
    });
    return { status: 201, body: view(user, caller) };
  }

  // routers/api/v1/admin/user.go EditUser: binding first (EditUserOption in
  // modules/structs/admin_user.go: email MaxSize 254, full_name MaxSize 100),
  // then UpdateAuth (login source, password, must_change_password,
  // prohibit_login), then the email (services/user/email.go
  // AdminAddOrSetPrimaryEmailAddress), then the other fields. A failing step
  // answers at once and the steps before it stay applied (no rollback).
  function editUser(caller: Caller | undefined, user: ForgeFakeUser, body: Record<string, unknown>): FakeReply {
    if (typeof body.email === 'string' && [...body.email].length > 254) return error(422, '[Email]: MaxSize');
    if (typeof body.full_name === 'string' && [...body.full_name].length > 100) return error(422, '[FullName]: MaxSize');
    if (('login_name' in body) !== ('source_id' in body)) return error(422, 'source_id and login_name must be specified together');
    if (typeof body.password === 'string' && body.password.length < options.minPasswordLength) {
      return error(400, `password must be at least ${options.minPasswordLength} characters`);
    }
    for (const [input, field] of [
      ['password', 'password'],
      ['login_name', 'login_name'],
    ] as const) {
      if (typeof body[input] === 'string') record(user, field, body[input]);
    }
    if (typeof body.source_id === 'number') record(user, 'source_id', body.source_id);
    for (const [input, field] of [
      ['must_change_password', 'must_change_password'],
      ['prohibit_login', 'prohibit_login'],
    ] as const) {
      if (typeof body[input] === 'boolean') record(user, field, body[input]);
    }
    const email = body.email;
    // strings.EqualFold: the same address in another case changes nothing.
    if (typeof email === 'string' && email.toLowerCase() !== user.email.toLowerCase()) {
      // Mapped to 400 here, where CreateUser answers the same errors with 422.
      if (!EMAIL.test(email)) return error(400, `e-mail invalid [email: ${email}]`);
      if (state.users.some((u) => u.id !== user.id && u.email.toLowerCase() === email.toLowerCase())) return error(400, `e-mail already in use [email: ${email}]`);
      record(user, 'email', email);
    }
    for (const [input, field] of [
      ['active', 'active'],
      ['admin', 'is_admin'],
      ['restricted', 'restricted'],
    ] as const) {
      if (typeof body[input] === 'boolean') record(user, field, body[input]);
    }
    if (typeof body.full_name === 'string') record(user, 'full_name', body.full_name);
    if (body.visibility === 'public' || body.visibility === 'limited' || body.visibility === 'private') record(user, 'visibility', body.visibility);
    return { status: 200, body: view(user, caller) };
  }

  function deleteUser(caller: Caller, user: ForgeFakeUser): FakeReply {
    if (user.id === caller.user.id) return error(422, 'you cannot delete yourself');
    if (user.is_admin && state.users.filter((u) => u.is_admin).length === 1) return error(422, 'user is the last admin');
    state.users.splice(state.users.indexOf(user), 1);
    state.tokens = state.tokens.filter((t) => t.userId !== user.id);
    return { status: 204 };
  }

  // routers/api/v1/user/app.go (CreateAccessToken, DeleteAccessToken) behind
  // reqBasicOrRevProxyAuth and reqSelfOrAdmin in routers/api/v1/api.go.
  function tokens(request: FakeRequest, caller: Caller | undefined, login: string, rest: string): FakeReply {
    // Basic only: a token header is refused here even for a site admin.
    if (!caller || caller.via !== 'basic') return error(401, 'auth required');
    const owner = findUser(login);
    if (!owner) return noSuchUser(login);
    if (owner.id !== caller.user.id && !caller.user.is_admin) return error(403, 'user should be the site admin');
    const own = state.tokens.filter((t) => t.userId === owner.id);

    if (rest === '' && request.method === 'POST') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.name !== 'string' || body.name === '') return error(422, '[Name]: Required');
      const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
      if (scopes.length === 0) return error(400, 'access token must have a scope');
      const unknown = scopes.find((s) => !SCOPES.has(s));
      if (unknown) return error(400, `invalid access token scope provided: ${unknown}`);
      // The name check comes before scope validation (AccessTokenByNameExists).
      if (own.some((t) => t.name === body.name)) return error(400, 'access token name has been used already');
      const token: ForgeFakeToken = { id: nextTokenId, userId: owner.id, name: body.name, sha1: randomHex(20), scopes };
      nextTokenId += 1;
      state.tokens.push(token);
      // The only time the token itself is shown.
      return {
        status: 201,
        body: { id: token.id, name: token.name, sha1: token.sha1, token_last_eight: token.sha1.slice(-8), scopes: token.scopes },
      };
    }
    if (rest === '' && request.method === 'GET') {
      const { page, limit } = paging(request.query, 30);
      const slice = own.slice((page - 1) * limit, page * limit);
      return {
        status: 200,
        headers: { 'x-total-count': String(own.length) },
        body: slice.map((t) => ({ id: t.id, name: t.name, sha1: '', token_last_eight: t.sha1.slice(-8), scopes: t.scopes })),
      };
    }
    if (rest !== '' && request.method === 'DELETE') {
      const key = decodeURIComponent(rest.slice(1));
      const matches = /^\d+$/.test(key) ? own.filter((t) => t.id === Number(key)) : own.filter((t) => t.name === key);
      if (matches.length === 0) return notFound();
      if (matches.length > 1) return error(422, 'multiple matches for token name, use the id');
      state.tokens = state.tokens.filter((t) => t !== matches[0]);
      return { status: 204 };
    }
    return notFound();
  }

  function handle(request: FakeRequest): FakeReply {
    const auth = authenticate(request);
    if ('reply' in auth) return auth.reply;
    const { caller } = auth;
    const refused = caller && blocked(caller);
    if (refused) return refused;
    if (request.invalidJson) return error(422, 'invalid JSON body');
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;

    const tokenRoute = /^\/users\/([^/]+)\/tokens(\/[^/]+)?$/.exec(request.path);
    if (tokenRoute) return tokens(request, caller, decodeURIComponent(tokenRoute[1] ?? ''), tokenRoute[2] ?? '');

    // routers/api/v1/api.go: the /users group is tokenRequiresScopes(AccessTokenScopeCategoryUser),
    // the /admin group tokenRequiresScopes(AccessTokenScopeCategoryAdmin) + reqToken + reqSiteAdmin,
    // both checked before context.UserAssignmentAPI looks the user up (so a missing
    // scope answers 403 even for a login that does not exist).
    const userRoute = /^\/users\/([^/]+)$/.exec(request.path);
    if (userRoute && request.method === 'GET') {
      const login = decodeURIComponent(userRoute[1] ?? '');
      const denied = requireScope(caller, 'read:user');
      if (denied) return denied;
      const user = findUser(login);
      return user ? { status: 200, body: view(user, caller) } : noSuchUser(login);
    }

    if (request.path === '/admin/users') {
      if (request.method === 'GET') {
        const denied = requireAdmin(caller, 'read:admin');
        if (denied) return denied;
        const { page, limit } = paging(request.query, 30);
        const slice = state.users.slice((page - 1) * limit, page * limit);
        return { status: 200, headers: { 'x-total-count': String(state.users.length) }, body: slice.map((u) => view(u, caller)) };
      }
      if (request.method === 'POST') return requireAdmin(caller, 'write:admin') ?? createUser(caller, body);
      return notFound();
    }

    const adminUser = /^\/admin\/users\/([^/]+)$/.exec(request.path);
    if (adminUser && (request.method === 'PATCH' || request.method === 'DELETE')) {
      const denied = requireAdmin(caller, 'write:admin');
      if (denied || !caller) return denied ?? error(401, 'token is required');
      const login = decodeURIComponent(adminUser[1] ?? '');
      const user = findUser(login);
      if (!user) return noSuchUser(login);
      return request.method === 'PATCH' ? editUser(caller, user, body) : deleteUser(caller, user);
    }
    return notFound();
  }

  const basePath = `${options.pathPrefix.replace(/\/+$/, '')}/api/v1`;
  const server = await startFakeHttp({
    basePath,
    port: options.port,
    handle,
    errorBody: (_status, message) => ({ message, url: swaggerUrl }),
    faults: () => options,
    consumeFailNext() {
      if (options.failNext) options.failNext = { ...options.failNext, count: options.failNext.count - 1 };
    },
    calls: state.calls,
  });
  const root = `${server.url}${options.pathPrefix.replace(/\/+$/, '')}`;
  swaggerUrl = `${root}/api/swagger`;

  return {
    url: root,
    state,
    options,
    setOptions(partial) {
      Object.assign(options, partial);
    },
    seedUser,
    user: findUser,
    close: () => server.close(),
  };
}
