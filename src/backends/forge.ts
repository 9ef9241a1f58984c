// Forgejo / Gitea REST API v1, as specs/backends.md §2 describes it.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { ForgeConfig } from '../config.ts';
import { basicAuth, createTransport, joinUrl, segment, type TransportTuning } from './http.ts';

export interface ForgeUser {
  /** The durable external id. */
  id: number;
  /** The login as Forgejo spells it (lookups ignore case, so it may differ from what was asked). */
  login: string;
  email: string;
  fullName: string;
  active: boolean;
  prohibitLogin: boolean;
}

export interface ForgeAccount extends ForgeUser {
  /** True when the account already existed and was linked rather than created. */
  linked: boolean;
  /** The initial password, only when this call created the account; reveal once. */
  password?: string;
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
  email?: string | null | undefined;
  fullName?: string | null | undefined;
}

export interface ForgeClient {
  /** Null when Forgejo answers 404. */
  getUser(username: string): Promise<ForgeUser | null>;
  ensureUser(input: EnsureForgeUserInput): Promise<ForgeAccount>;
  mintToken(username: string): Promise<ForgeToken>;
  setProhibitLogin(username: string, prohibited: boolean): Promise<ForgeUser>;
  listUsers(): AsyncIterable<ForgeUser>;
}

export interface ForgeClientOptions extends TransportTuning {
  /** Replaces the crypto-random initial password (tests only). */
  generatePassword?: () => string;
}

// Forgejo's MAX_RESPONSE_ITEMS default: a larger limit is silently capped.
const PAGE_SIZE = 50;
const TOKEN_NAME_ATTEMPTS = 3;

const userSchema = z
  .object({
    id: z.number().int().positive(),
    login: z.string().min(1),
    email: z.string(),
    full_name: z.string().nullish(),
    active: z.boolean(),
    prohibit_login: z.boolean(),
  })
  .transform(
    (u): ForgeUser => ({
      id: u.id,
      login: u.login,
      email: u.email,
      fullName: u.full_name ?? '',
      active: u.active,
      prohibitLogin: u.prohibit_login,
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

export function createForgeClient(config: ForgeConfig, options: ForgeClientOptions = {}): ForgeClient {
  const basic = basicAuth(config.adminUsername, config.adminPassword);
  const http = createTransport({
    ...options,
    backend: 'forge',
    baseUrl: joinUrl(config.baseUrl, '/api/v1'),
    headers: { authorization: `token ${config.adminToken}` },
    secrets: [config.adminToken, config.adminPassword, basic.slice('Basic '.length)],
  });
  const now = options.now ?? Date.now;
  const generatePassword = options.generatePassword ?? randomPassword;

  async function getUser(username: string): Promise<ForgeUser | null> {
    const response = await http.request({ method: 'GET', path: `/users/${segment(username)}`, accept: [404] });
    return response.status === 404 ? null : http.parse(userSchema, response);
  }

  return {
    getUser,

    async ensureUser(input) {
      const existing = await getUser(input.username);
      if (existing) return { ...existing, linked: true };
      const password = generatePassword();
      const fullName = input.fullName?.trim();
      const response = await http.request({
        method: 'POST',
        path: '/admin/users',
        body: {
          username: input.username,
          email: input.email?.trim() || `${input.username}@${config.noreplyDomain}`,
          password,
          // Forgejo defaults it to true, which leaves the account unusable through the API.
          must_change_password: false,
          send_notify: false,
          ...(fullName ? { full_name: fullName } : {}),
        },
        accept: [422],
        // A replay of a create that did land answers 422 "already exists" and is linked below.
        retrySafe: true,
      });
      if (response.status === 201 || response.status === 200) {
        return { ...http.parse(userSchema, response), linked: false, password };
      }
      const message = http.parse(errorBody, response).message ?? '';
      if (!USER_EXISTS.test(message)) throw http.error('status', `${response.status} Unprocessable Entity: ${message}`, false, response.status);
      // Lost a race with another creator: link what is there now.
      const raced = await getUser(input.username);
      if (raced) return { ...raced, linked: true };
      throw http.error('conflict', `cannot create ${input.username}: ${message}`, false, response.status);
    },

    async mintToken(username) {
      for (let attempt = 0; attempt < TOKEN_NAME_ATTEMPTS; attempt += 1) {
        const name = attempt === 0 ? `identity-gateway-${now()}` : `identity-gateway-${now()}-${randomInt(36 ** 4).toString(36)}`;
        const response = await http.request({
          method: 'POST',
          path: `/users/${segment(username)}/tokens`,
          // The tokens routes answer 401 to a token header, even an admin's.
          headers: { authorization: basic },
          body: { name, scopes: config.tokenScopes },
          accept: [400],
        });
        if (response.status === 400) {
          const message = http.parse(errorBody, response).message ?? '';
          if (TOKEN_NAME_TAKEN.test(message)) continue;
          throw http.error('status', `400 Bad Request: ${message}`, false, 400);
        }
        const token = http.parse(tokenSchema, response);
        return { id: token.id, name: token.name, token: token.sha1, scopes: token.scopes ?? config.tokenScopes };
      }
      throw http.error('conflict', `no unused token name after ${TOKEN_NAME_ATTEMPTS} attempts`, false, 400);
    },

    async setProhibitLogin(username, prohibited) {
      const response = await http.request({
        method: 'PATCH',
        path: `/admin/users/${segment(username)}`,
        // Never login_name/source_id: Forgejo wants both or neither.
        body: { prohibit_login: prohibited },
        accept: [404],
        // Sets an absolute value: replaying it changes nothing.
        retrySafe: true,
      });
      if (response.status === 404) throw http.error('not_found', `user ${username} not found`, false, 404);
      return http.parse(userSchema, response);
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
