// Forgejo / Gitea REST API v1, as docs/backends.md describes it.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { ForgeConfig } from '../config.ts';
import type { CallBudget } from './budget.ts';
import { basicAuth, createTransport, type HttpRequest, type HttpResponse, joinUrl, segment, type TransportTuning } from './http.ts';

export interface ForgeUser {
  /** The durable external id. */
  id: number;
  /** The login as Forgejo spells it (lookups ignore case, so it may differ from what was asked). */
  login: string;
  email: string;
  fullName: string;
  active: boolean;
  prohibitLogin: boolean;
  /** A site admin: never adopted (docs/architecture.md, "Trust model"). Zeroed unless the caller is an admin. */
  isAdmin: boolean;
}

export interface ForgeAccount extends ForgeUser {
  /** True when the account already existed (or a concurrent create won) and nothing was created. */
  linked: boolean;
}

export interface ForgeToken {
  id: number;
  name: string;
  /** The token itself; Forgejo shows it only in this response. */
  token: string;
  scopes: string[];
}

export interface EnsureForgeUserInput {
  username: string;
  /** The initial password; the caller keeps it sealed, as it is also the proof that the account is the gateway's. */
  password: string;
  email?: string | null | undefined;
  fullName?: string | null | undefined;
}

/** Basic credentials for the tokens routes, which accept nothing else. */
export interface ForgeCredentials {
  username: string;
  password: string;
  /** A current TOTP code, for an account with two-factor authentication (`X-Forgejo-OTP`). */
  otp?: string | undefined;
}

/** What the admin token may do, checked per route as Forgejo does. */
export interface ForgeAccessReport {
  /** Scopes the token lacks, each with what breaks without it. */
  missing: Array<{ scope: string; neededFor: string }>;
}

export interface ForgeClient {
  /**
   * Null when Forgejo answers 404. `budget` (here and below): the caller's
   * deadline for inline retries (backends/budget.ts).
   */
  getUser(username: string, budget?: CallBudget): Promise<ForgeUser | null>;
  /** Look up, and create with the given password when absent. Never decides whose the account is. */
  ensureUser(input: EnsureForgeUserInput, budget?: CallBudget): Promise<ForgeAccount>;
  /**
   * Mint the token `name` as `credentials` (the tokens routes take Basic
   * auth only). A token of that name left by a mint whose answer was lost is
   * deleted and minted again, so there is never more than one.
   * `'unauthorized'` when Forgejo refuses the credentials.
   */
  mintToken(username: string, credentials: ForgeCredentials, name: string, budget?: CallBudget): Promise<ForgeToken | 'unauthorized'>;
  setProhibitLogin(username: string, prohibited: boolean, budget?: CallBudget): Promise<ForgeUser>;
  /** Set the full name and primary email (the username never changes: a rename breaks every clone URL). */
  editProfile(username: string, profile: { fullName: string; email: string }, budget?: CallBudget): Promise<ForgeUser>;
  /**
   * Delete the token `name` of `username` as `credentials` (Basic auth only,
   * like minting). `'absent'` when there is no such token, `'unauthorized'`
   * when Forgejo refuses the credentials.
   */
  deleteToken(username: string, credentials: ForgeCredentials, name: string): Promise<'deleted' | 'absent' | 'unauthorized'>;
  listUsers(): AsyncIterable<ForgeUser>;
  /** Probe each route the gateway uses for the admin token's scope, changing nothing. */
  checkAccess(): Promise<ForgeAccessReport>;
}

export type ForgeClientOptions = TransportTuning;

// Forgejo's MAX_RESPONSE_ITEMS default: a larger limit is silently capped.
const PAGE_SIZE = 50;

const userSchema = z
  .object({
    id: z.number().int().positive(),
    login: z.string().min(1),
    email: z.string(),
    full_name: z.string().nullish(),
    active: z.boolean(),
    prohibit_login: z.boolean(),
    is_admin: z.boolean().optional(),
  })
  .transform(
    (u): ForgeUser => ({
      id: u.id,
      login: u.login,
      email: u.email,
      fullName: u.full_name ?? '',
      active: u.active,
      prohibitLogin: u.prohibit_login,
      isAdmin: u.is_admin === true,
    }),
  );

const tokenSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  scopes: z.array(z.string()).nullish(),
});
const errorBody = z.object({ message: z.string() }).partial();

const USER_EXISTS = /user already exists|e-mail already in use/i;
const TOKEN_NAME_TAKEN = /has been used already/i;
// services/auth/basic.go (Basic.Verify): Basic auth of an account with TOTP
// enrolled and no X-Forgejo-OTP header (or a wrong one) is refused "invalid
// provided OTP"; of one with security keys (WebAuthn), always.
const SECOND_FACTOR = /OTP|security keys/;
// A login no account can have (Forgejo refuses a leading separator), so a
// probe through it never reaches a real user: scope checks run before the
// user lookup (routers/api/v1/api.go: tokenRequiresScopes on the group, then
// context.UserAssignmentAPI on the route).
const PROBE_LOGIN = '-identity-gateway-scope-probe';
const SCOPE_MISSING = /required scope\(s\): \[([^\]]*)\]/;

/** Long because it is a factory: the client's methods share one transport and config in its closure; each method is short. */
export function createForgeClient(config: ForgeConfig, options: ForgeClientOptions = {}): ForgeClient {
  const http = createTransport({
    ...options,
    backend: 'forge',
    baseUrl: joinUrl(config.baseUrl, '/api/v1'),
    headers: { authorization: `token ${config.adminToken}` },
    secrets: [config.adminToken, ...(config.adminCredentials ? [config.adminCredentials.password] : [])],
  });

  async function getUser(username: string, budget?: CallBudget): Promise<ForgeUser | null> {
    const response = await http.request({ method: 'GET', path: `/users/${segment(username)}`, accept: [404], budget });
    return response.status === 404 ? null : http.parse(userSchema, response);
  }

  const basicHeaders = (credentials: ForgeCredentials): Record<string, string> => ({
    authorization: basicAuth(credentials.username, credentials.password),
    ...(credentials.otp ? { 'x-forgejo-otp': credentials.otp } : {}),
  });

  /** The scope a 403 names, when the admin token lacks one. */
  function missingScope(response: HttpResponse): string | undefined {
    if (response.status !== 403) return undefined;
    const message = http.parse(errorBody, response).message ?? '';
    return SCOPE_MISSING.exec(message)?.[1];
  }

  return {
    getUser,

    async ensureUser(input, budget) {
      const existing = await getUser(input.username, budget);
      if (existing) return { ...existing, linked: true };
      const fullName = input.fullName?.trim();
      const response = await http.request({
        method: 'POST',
        path: '/admin/users',
        body: {
          username: input.username,
          email: input.email?.trim() || `${input.username}@${config.noreplyDomain}`,
          password: input.password,
          // Forgejo defaults it to true, which leaves the account unusable through the API.
          must_change_password: false,
          send_notify: false,
          ...(fullName ? { full_name: fullName } : {}),
        },
        accept: [422],
        // A replay of a create that did land answers 422 "already exists" and is linked below.
        retrySafe: true,
        budget,
      });
      if (response.status === 201 || response.status === 200) {
        return { ...http.parse(userSchema, response), linked: false };
      }
      const message = http.parse(errorBody, response).message ?? '';
      // Any other 422 (a reserved name, a bad email) no retry can change: permanent, with Forgejo's words.
      if (!USER_EXISTS.test(message)) throw http.error('status', `422 Unprocessable Entity: ${message}`, 'never', response.status);
      // Lost a race with another creator: what is there now.
      const raced = await getUser(input.username, budget);
      if (raced) return { ...raced, linked: true };
      throw http.error('conflict', `cannot create ${input.username}: ${message}`, 'never', response.status);
    },

    async mintToken(username, credentials, name, budget) {
      const mint = () =>
        http.request({
          method: 'POST',
          path: `/users/${segment(username)}/tokens`,
          // The tokens routes answer 401 to a token header, even an admin's.
          headers: basicHeaders(credentials),
          body: { name, scopes: config.tokenScopes },
          accept: [400, 401],
          budget,
        });
      let response = await mint();
      if (response.status === 400 && TOKEN_NAME_TAKEN.test(http.parse(errorBody, response).message ?? '')) {
        // A mint whose answer was lost left the name taken: that token was
        // never seen by anyone, so it goes, and the same credentials mint anew.
        await http.request({ method: 'DELETE', path: `/users/${segment(username)}/tokens/${segment(name)}`, headers: basicHeaders(credentials), accept: [404], budget });
        response = await mint();
      }
      if (response.status === 401) {
        const message = http.parse(errorBody, response).message ?? '';
        if (SECOND_FACTOR.test(message)) {
          throw http.error('credentials', `${credentials.username} has two-factor authentication, so Basic auth needs a current one-time code (${message})`, 'never', 401);
        }
        return 'unauthorized';
      }
      if (response.status === 400) throw http.error('status', `400 Bad Request: ${http.parse(errorBody, response).message ?? ''}`, 'never', 400);
      const token = http.parse(tokenSchema, response);
      return { id: token.id, name: token.name, token: token.sha1, scopes: token.scopes ?? config.tokenScopes };
    },

    async setProhibitLogin(username, prohibited, budget) {
      const response = await http.request({
        method: 'PATCH',
        path: `/admin/users/${segment(username)}`,
        // Never login_name/source_id: Forgejo wants both or neither.
        body: { prohibit_login: prohibited },
        accept: [404],
        // Sets an absolute value: replaying it changes nothing.
        retrySafe: true,
        budget,
      });
      if (response.status === 404) throw http.error('not_found', `user ${username} not found`, 'never', 404);
      return http.parse(userSchema, response);
    },

    async editProfile(username, profile, budget) {
      const response = await http.request({
        method: 'PATCH',
        path: `/admin/users/${segment(username)}`,
        // routers/api/v1/admin/user.go EditUser: an email change needs no
        // login_name/source_id; the same address again (ignoring case) is a no-op.
        body: { full_name: profile.fullName, email: profile.email },
        accept: [400, 404, 422],
        retrySafe: true,
        budget,
      });
      if (response.status === 404) throw http.error('not_found', `user ${username} not found`, 'never', 404);
      if (response.status !== 200) {
        // 400 "e-mail already in use [email: x]" / "e-mail invalid", 422 a binding rule: no retry changes them.
        throw http.error('status', `${response.status}: ${http.parse(errorBody, response).message ?? ''}`, 'never', response.status);
      }
      return http.parse(userSchema, response);
    },

    async deleteToken(username, credentials, name) {
      const response = await http.request({
        method: 'DELETE',
        path: `/users/${segment(username)}/tokens/${segment(name)}`,
        headers: basicHeaders(credentials),
        accept: [401, 403, 404],
        retrySafe: true,
      });
      if (response.status === 404) return 'absent';
      if (response.status === 401 || response.status === 403) return 'unauthorized';
      return 'deleted';
    },

    async *listUsers() {
      let seen = 0;
      for (let page = 1; ; page += 1) {
        const response = await http.request({ method: 'GET', path: '/admin/users', query: { page, limit: PAGE_SIZE } });
        const users = http.parse(z.array(userSchema), response);
        yield* users;
        seen += users.length;
        const total = Number(response.headers.get('x-total-count'));
        if (users.length === 0 || (Number.isFinite(total) && total > 0 ? seen >= total : users.length < PAGE_SIZE)) return;
      }
    },

    async checkAccess() {
      // Each probe addresses a login no account can have: with the scope the
      // answer is 404, without it 403 naming the scope. Nothing is changed.
      const probes: Array<{ request: HttpRequest; scope: string; neededFor: string }> = [
        { request: { method: 'GET', path: `/users/${segment(PROBE_LOGIN)}` }, scope: 'read:user', neededFor: 'looking up accounts (every provision)' },
        { request: { method: 'PATCH', path: `/admin/users/${segment(PROBE_LOGIN)}`, body: {}, retrySafe: true }, scope: 'write:admin', neededFor: 'creating, enabling and disabling accounts' },
        { request: { method: 'GET', path: '/admin/users', query: { limit: 1 } }, scope: 'read:admin', neededFor: 'importing accounts (syncBackend)' },
      ];
      const missing: ForgeAccessReport['missing'] = [];
      for (const probe of probes) {
        const response = await http.request({ ...probe.request, accept: [403, 404] });
        const scope = missingScope(response);
        if (scope !== undefined) missing.push({ scope: scope || probe.scope, neededFor: probe.neededFor });
        else if (response.status === 403) throw http.error('status', `403 Forbidden: ${http.parse(errorBody, response).message ?? ''}`, 'never', 403);
      }
      return { missing };
    },
  };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 32 crypto-random alphanumerics (~190 bits). Redrawn until it has a lower,
 * an upper and a digit, so it also passes a Forgejo with PASSWORD_COMPLEXITY on.
 */
export function randomPassword(length = 32): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
    if (/[a-z]/.test(out) && /[A-Z]/.test(out) && /\d/.test(out)) return out;
  }
}
