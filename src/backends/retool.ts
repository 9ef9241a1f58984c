// Retool REST API v2 (users), as specs/backends.md §1 describes it.
import { z } from 'zod';
import type { RetoolConfig } from '../config.ts';
import { createTransport, joinUrl, segment, type TransportTuning } from './http.ts';

export interface RetoolUser {
  /** The stable `user_<hex>` id the API addresses users by. */
  sid: string;
  /** Retool's Postgres `users.id`, the durable external id; a string because it is int8. */
  legacyId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
}

export interface RetoolAccount extends RetoolUser {
  /** True when the account already existed and was linked rather than created. */
  linked: boolean;
}

export interface EnsureRetoolUserInput {
  email: string;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
}

export interface RetoolClient {
  ensureUser(input: EnsureRetoolUserInput): Promise<RetoolAccount>;
  /** Null when Retool answers 404. */
  getUser(sid: string): Promise<RetoolUser | null>;
  setActive(sid: string, active: boolean): Promise<RetoolUser>;
  listUsers(): AsyncIterable<RetoolUser>;
}

export type RetoolClientOptions = TransportTuning;

const PAGE_SIZE = 100;

const legacyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

const userSchema = z
  .object({
    id: z.string().min(1),
    legacy_id: legacyId,
    email: z.string().min(1),
    active: z.boolean(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .transform(
    (u): RetoolUser => ({
      sid: u.id,
      legacyId: u.legacy_id,
      email: u.email,
      firstName: u.first_name ?? null,
      lastName: u.last_name ?? null,
      active: u.active,
    }),
  );

// `data` must be present: an empty 2xx is an error, not a user.
const oneUser = z.object({ data: userSchema });
const userPage = z.object({
  data: z.array(userSchema),
  next_token: z.string().min(1).nullish(),
  has_more: z.boolean().optional(),
});
const errorBody = z.object({ message: z.string() }).partial();

const ALREADY_EXISTS = /already (exists|in use|taken|registered)|duplicate/i;

export function createRetoolClient(config: RetoolConfig, options: RetoolClientOptions = {}): RetoolClient {
  const http = createTransport({
    ...options,
    backend: 'retool',
    baseUrl: joinUrl(config.baseUrl, '/api/v2'),
    headers: { authorization: `Bearer ${config.token}` },
    secrets: [config.token],
  });

  async function* pages(query: Record<string, string | undefined>): AsyncGenerator<RetoolUser[]> {
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const response = await http.request({ method: 'GET', path: '/users', query: { ...query, limit: PAGE_SIZE, next_token: nextToken } });
      const page = http.parse(userPage, response);
      yield page.data;
      nextToken = page.has_more === false ? undefined : (page.next_token ?? undefined);
      // A backend that hands back a token twice would otherwise page forever.
      if (nextToken !== undefined && seen.has(nextToken)) throw http.error('schema', 'paging did not advance (repeated next_token)', false);
      if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken !== undefined);
  }

  async function findByEmail(email: string): Promise<RetoolUser[]> {
    const wanted = email.toLowerCase();
    const matches: RetoolUser[] = [];
    for await (const page of pages({ email })) matches.push(...page.filter((u) => u.email.toLowerCase() === wanted));
    if (matches.length > 0) return matches;
    // Whether the filter ignores case is unverified: when it matches nothing,
    // a duplicate stored in another case can only be found by scanning.
    for await (const page of pages({})) matches.push(...page.filter((u) => u.email.toLowerCase() === wanted));
    return matches;
  }

  async function link(email: string): Promise<RetoolAccount> {
    const matches = await findByEmail(email);
    if (matches.length > 1) throw http.error('ambiguous', `ambiguous email: ${matches.length} users match`, false);
    const [match] = matches;
    if (!match) throw http.error('not_found', 'email reported as taken but no user has it', false);
    return { ...match, linked: true };
  }

  return {
    async ensureUser(input) {
      const names = defaultNames(input);
      const response = await http.request({
        method: 'POST',
        path: '/users',
        // Exactly these fields: Retool rejects unknown ones.
        body: { email: input.email, first_name: names.firstName, last_name: names.lastName },
        accept: [409, 422],
        // A replay of a create that did land answers "exists" and is linked below.
        retrySafe: true,
      });
      if (response.status === 409) return link(input.email);
      if (response.status === 422) {
        const message = http.parse(errorBody, response).message ?? '';
        if (ALREADY_EXISTS.test(message)) return link(input.email);
        throw http.error('status', `422 Unprocessable Entity: ${message}`, false, 422);
      }
      return { ...http.parse(oneUser, response).data, linked: false };
    },

    async getUser(sid) {
      const response = await http.request({ method: 'GET', path: `/users/${segment(sid)}`, accept: [404] });
      return response.status === 404 ? null : http.parse(oneUser, response).data;
    },

    async setActive(sid, active) {
      const response = await http.request({
        method: 'PATCH',
        path: `/users/${segment(sid)}`,
        body: { operations: [{ op: 'replace', path: '/active', value: active }] },
        accept: [404],
        // Sets an absolute value: replaying it changes nothing.
        retrySafe: true,
      });
      if (response.status === 404) throw http.error('not_found', `user ${sid} not found`, false, 404);
      return http.parse(oneUser, response).data;
    },

    async *listUsers() {
      for await (const page of pages({})) yield* page;
    },
  };
}

/**
 * Retool requires non-empty names. Missing ones come from the email's local
 * part: `ada.lovelace+ops@x` gives "Ada" "Lovelace"; a single word gets "-" as last name.
 */
export function defaultNames(input: EnsureRetoolUserInput): { firstName: string; lastName: string } {
  const local = (input.email.split('@')[0] ?? '').replace(/\+.*$/, '');
  const words = local
    .split(/[._-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  const firstName = input.firstName?.trim() || words[0] || local || 'User';
  const lastName = input.lastName?.trim() || words.slice(1).join(' ') || '-';
  return { firstName, lastName };
}
