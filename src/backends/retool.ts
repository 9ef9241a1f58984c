// Retool REST API v2 (users), as docs/backends.md describes it.
import { z } from 'zod';
import type { RetoolConfig } from '../config.ts';
import type { CallBudget } from './budget.ts';
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
  /** A Retool admin: never adopted (docs/architecture.md, "Trust model"). */
  isAdmin: boolean;
  /** Free-form tags; the gateway's own creates carry the gateway user id here. */
  metadata: Record<string, unknown>;
}

export interface RetoolAccount extends RetoolUser {
  /** True when the account already existed and was linked rather than created. */
  linked: boolean;
}

/** A person's names as the gateway holds them; any of them may be missing. */
export interface PersonNames {
  email: string;
  displayName?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
}

export interface EnsureRetoolUserInput extends PersonNames {
  /** Stored on the account at create: how a later attempt tells its own lost create from someone else's account. */
  metadata?: Record<string, string> | undefined;
}

export interface RetoolClient {
  /**
   * Create; on a duplicate email, the one account that has it (`linked`). Never decides whose it is.
   * `budget` (here and below): the caller's deadline for inline retries (backends/budget.ts).
   */
  ensureUser(input: EnsureRetoolUserInput, budget?: CallBudget): Promise<RetoolAccount>;
  /** Every account with this email, ignoring case. */
  findByEmail(email: string, budget?: CallBudget): Promise<RetoolUser[]>;
  /** Null when Retool answers 404. */
  getUser(sid: string): Promise<RetoolUser | null>;
  setActive(sid: string, active: boolean, budget?: CallBudget): Promise<RetoolUser>;
  /** Replace first and last name (Retool has no way to change an email: docs/backends.md). */
  setNames(sid: string, names: { firstName: string; lastName: string }, budget?: CallBudget): Promise<RetoolUser>;
  listUsers(): AsyncIterable<RetoolUser>;
  /** One cheap read (a page of one user): undefined when the token works, else Retool's refusal. */
  checkAccess(): Promise<string | undefined>;
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
    is_admin: z.boolean().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .transform(
    (u): RetoolUser => ({
      sid: u.id,
      legacyId: u.legacy_id,
      email: u.email,
      firstName: u.first_name ?? null,
      lastName: u.last_name ?? null,
      active: u.active,
      isAdmin: u.is_admin === true,
      metadata: u.metadata ?? {},
    }),
  );

// `data` must be present: an empty 2xx is an error, not a user.
const oneUser = z.object({ data: userSchema });
// Retool documents paging twice: its versioned API reference (2.12.0) names
// the page token `next_token`, in the query and in the answer; its API guide
// names it `next`. Either is read (docs/backends.md, "Retool").
const userPage = z.object({
  data: z.array(userSchema),
  next_token: z.string().min(1).nullish(),
  next: z.string().min(1).nullish(),
  has_more: z.boolean().optional(),
});
const errorBody = z.object({ message: z.string() }).partial();

const ALREADY_EXISTS = /already (exists|in use|taken|registered)|duplicate/i;

/** Long because it is a factory: the client's methods share one transport in its closure; each method is short. */
export function createRetoolClient(config: RetoolConfig, options: RetoolClientOptions = {}): RetoolClient {
  const http = createTransport({
    ...options,
    backend: 'retool',
    baseUrl: joinUrl(config.baseUrl, '/api/v2'),
    headers: { authorization: `Bearer ${config.token}` },
    secrets: [config.token],
  });

  async function* pages(query: Record<string, string | undefined>, budget?: CallBudget): AsyncGenerator<RetoolUser[]> {
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      // The token goes back under both names: a server reads the one it
      // documents and ignores the other (docs/backends.md, "Retool").
      const response = await http.request({ method: 'GET', path: '/users', query: { ...query, limit: PAGE_SIZE, next_token: nextToken, next: nextToken }, budget });
      const page = http.parse(userPage, response);
      yield page.data;
      nextToken = page.has_more === false ? undefined : (page.next_token ?? page.next ?? undefined);
      // A backend that hands back a token twice would otherwise page forever.
      if (nextToken !== undefined && seen.has(nextToken)) throw http.error('schema', 'paging did not advance (repeated next_token)', 'later');
      if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken !== undefined);
  }

  async function findByEmail(email: string, budget?: CallBudget): Promise<RetoolUser[]> {
    const wanted = email.toLowerCase();
    const matches: RetoolUser[] = [];
    for await (const page of pages({ email }, budget)) matches.push(...page.filter((u) => u.email.toLowerCase() === wanted));
    if (matches.length > 0) return matches;
    // Whether the filter ignores case is unverified: when it matches nothing,
    // a duplicate stored in another case can only be found by scanning.
    for await (const page of pages({}, budget)) matches.push(...page.filter((u) => u.email.toLowerCase() === wanted));
    return matches;
  }

  async function link(email: string, budget: CallBudget | undefined): Promise<RetoolAccount> {
    const matches = await findByEmail(email, budget);
    if (matches.length > 1) throw http.error('ambiguous', `ambiguous email: ${matches.length} users match`, 'never');
    const [match] = matches;
    if (!match) throw http.error('not_found', 'email reported as taken but no user has it', 'never');
    return { ...match, linked: true };
  }

  async function patch(sid: string, operations: Array<{ op: 'replace'; path: string; value: unknown }>, budget: CallBudget | undefined): Promise<RetoolUser> {
    const response = await http.request({
      method: 'PATCH',
      path: `/users/${segment(sid)}`,
      body: { operations },
      accept: [404],
      // Sets absolute values: replaying it changes nothing.
      retrySafe: true,
      budget,
    });
    if (response.status === 404) throw http.error('not_found', `user ${sid} not found`, 'never', 404);
    return http.parse(oneUser, response).data;
  }

  return {
    async ensureUser(input, budget) {
      const names = defaultNames(input);
      const response = await http.request({
        method: 'POST',
        path: '/users',
        // Exactly these fields: Retool rejects unknown ones.
        body: { email: input.email, first_name: names.firstName, last_name: names.lastName, ...(input.metadata ? { metadata: input.metadata } : {}) },
        accept: [409, 422],
        // A replay of a create that did land answers "exists" and is linked below.
        retrySafe: true,
        budget,
      });
      if (response.status === 409) return link(input.email, budget);
      if (response.status === 422) {
        const message = http.parse(errorBody, response).message ?? '';
        if (ALREADY_EXISTS.test(message)) return link(input.email, budget);
        throw http.error('status', `422 Unprocessable Entity: ${message}`, 'never', 422);
      }
      return { ...http.parse(oneUser, response).data, linked: false };
    },

    findByEmail,

    async getUser(sid) {
      const response = await http.request({ method: 'GET', path: `/users/${segment(sid)}`, accept: [404] });
      return response.status === 404 ? null : http.parse(oneUser, response).data;
    },

    async setActive(sid, active, budget) {
      return patch(sid, [{ op: 'replace', path: '/active', value: active }], budget);
    },

    async setNames(sid, names, budget) {
      return patch(
        sid,
        [
          { op: 'replace', path: '/first_name', value: names.firstName },
          { op: 'replace', path: '/last_name', value: names.lastName },
        ],
        budget,
      );
    },

    async *listUsers() {
      for await (const page of pages({})) yield* page;
    },

    async checkAccess() {
      const response = await http.request({ method: 'GET', path: '/users', query: { limit: 1 }, accept: [401, 403] });
      if (response.status === 401 || response.status === 403) return `${response.status}: ${http.parse(errorBody, response).message ?? ''}`;
      http.parse(userPage, response);
      return undefined;
    },
  };
}

/**
 * The one name-defaulting rule (Retool requires non-empty names; create and
 * every profile update use it): the first and last name as given; with
 * neither, the display name split at its first space; what is still missing
 * comes from the email's local part: `ada.lovelace+ops@x` gives "Ada"
 * "Lovelace"; a single word gets "-" as last name.
 */
export function defaultNames(input: PersonNames): { firstName: string; lastName: string } {
  const fromDisplay = !(input.firstName || input.lastName);
  const [shown, ...more] = fromDisplay ? (input.displayName ?? '').trim().split(/\s+/).filter(Boolean) : [];
  const given = fromDisplay ? { first: shown, last: more.join(' ') } : { first: input.firstName, last: input.lastName };
  const local = (input.email.split('@')[0] ?? '').replace(/\+.*$/, '');
  const words = local
    .split(/[._-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  const firstName = given.first?.trim() || words[0] || local || 'User';
  const lastName = given.last?.trim() || words.slice(1).join(' ') || '-';
  return { firstName, lastName };
}
