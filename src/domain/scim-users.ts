// Users as an identity provider (Okta, Entra ID, OneLogin) manages them over
// SCIM (docs/scim.md). Every change goes through the user domain itself
// (createUser, updateUser, setUserStatus, deleteUser, restoreUser), so the
// ownership rules, the provisioning and its durable retry are the same as
// for a GraphQL caller with `automation` rights. SCIM sees only the users it
// made: those with a SCIM userName.
import { forgeUsernameProblem } from '../backends/forge-username.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { type ScimCondition, scimUsersRepository } from '../store/repositories/scim-users.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow, UserStatus } from '../store/schema.ts';
import type { GatewayDeps } from './deps.ts';
import { ConflictError, DomainError, type FieldError, fail, NotFoundError, ok, type Result, ValidationError } from '../errors.ts';
import { configuredBackends } from './provisioning.ts';
import { updateUser } from './user-profile.ts';
import { deleteUser, restoreUser } from './user-removal.ts';
import { createUser, emailErrors, nameErrors, sameText, setUserStatus } from './users.ts';

/** A SCIM User as the gateway keeps it, read from a request body by the HTTP layer. */
export interface ScimUserFields {
  userName: string;
  externalId: string | null;
  /** `emails[primary]`, or the first; null when none was sent. */
  email: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  active: boolean;
  /** The gateway (and Forgejo) username from the gateway extension; null: derived from userName. */
  username: string | null;
}

export interface ScimUserView {
  user: UserRow;
  accounts: BackendAccountRow[];
}

/** An attempt to change what SCIM may not change (the gateway username, the id). */
export class MutabilityError extends DomainError {}

/**
 * How long after a create an identical POST (same userName and externalId)
 * is taken for the identity provider's retry of it, answered with the same
 * user instead of a uniqueness conflict. IdPs retry a POST whose answer they
 * did not get within seconds or minutes.
 */
export const RETRY_WINDOW_MS = 10 * 60_000;

/** Who deleted a user through SCIM, as `users.deleted_by` records it: the IdP may bring that user back. */
const SCIM_ACTOR_PREFIX = 'scim:';

const MAX_USERNAME = 32;
const MAX_TEXT = 254;

export async function scimUserView(deps: GatewayDeps, user: UserRow): Promise<ScimUserView> {
  return { user, accounts: await backendAccountsRepository.byUserIds(deps.store.db, [user.id]) };
}

export async function getScimUser(deps: GatewayDeps, id: string): Promise<Result<ScimUserView>> {
  const user = await scimUsersRepository.byId(deps.store.db, id);
  if (!user) return fail(new NotFoundError(`no User with id "${id}"`));
  return ok(await scimUserView(deps, user));
}

export interface ScimUserPage {
  total: number;
  users: ScimUserView[];
}

/** `startIndex` is 1-based (RFC 7644 §3.4.2.4). */
export async function listScimUsers(deps: GatewayDeps, condition: ScimCondition, startIndex: number, count: number): Promise<ScimUserPage> {
  const { db } = deps.store;
  const [total, rows] = await Promise.all([scimUsersRepository.count(db, condition), scimUsersRepository.page(db, condition, startIndex - 1, count)]);
  const accounts = await backendAccountsRepository.byUserIds(
    db,
    rows.map((row) => row.id),
  );
  return { total, users: rows.map((user) => ({ user, accounts: accounts.filter((account) => account.userId === user.id) })) };
}

/** The backends a SCIM user gets accounts in: SCIM_BACKENDS, or every configured one. */
export function scimBackends(deps: GatewayDeps): Backend[] {
  const configured = configuredBackends(deps);
  return deps.config.scimBackends ? configured.filter((backend) => deps.config.scimBackends?.includes(backend)) : configured;
}

function validate(fields: ScimUserFields): { errors: FieldError[]; email: string | undefined } {
  const errors: FieldError[] = [];
  if (fields.userName.trim().length === 0 || fields.userName.length > MAX_TEXT) errors.push({ path: ['userName'], message: `userName must be 1-${MAX_TEXT} characters` });
  if (fields.externalId !== null && (fields.externalId.length === 0 || fields.externalId.length > MAX_TEXT)) {
    errors.push({ path: ['externalId'], message: `externalId must be 1-${MAX_TEXT} characters` });
  }
  if (fields.username !== null) {
    const problem = forgeUsernameProblem(fields.username);
    if (problem) errors.push({ path: ['username'], message: `username ${problem}` });
  }
  // No email sent: a userName that is an address (Okta's login, Entra's UPN) is the email.
  const email = fields.email ?? (emailErrors(fields.userName).length === 0 ? fields.userName : undefined);
  if (email === undefined) errors.push({ path: ['emails'], message: 'a user needs an email: send emails, or a userName that is an email address' });
  else errors.push(...emailErrors(email).map((error) => ({ ...error, path: ['emails'] })));
  const names = { displayName: fields.displayName, firstName: fields.givenName, lastName: fields.familyName };
  const scimPath: Record<string, string[]> = { displayName: ['displayName'], firstName: ['name', 'givenName'], lastName: ['name', 'familyName'] };
  errors.push(...nameErrors(names).map((error) => ({ ...error, path: scimPath[error.path[1] ?? ''] ?? error.path })));
  return { errors, email };
}

/**
 * A valid Forgejo username from a SCIM userName: the local part of an email
 * or UPN (the part after `DOMAIN\` too), accents dropped, anything Forgejo
 * refuses turned into "-", lower-cased.
 */
export function usernameBase(userName: string): string {
  const local = (userName.split('@')[0] ?? '').split('\\').pop() ?? '';
  const cleaned = local
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[-._]{2,}/g, (run) => run.charAt(0))
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_USERNAME)
    .replace(/[-._]+$/, '');
  return cleaned.length > 0 ? cleaned : 'user';
}

/** `usernameBase`, with "-2", "-3", ... until Forgejo would take it and no user (deleted ones included) holds it. */
async function freeUsername(deps: GatewayDeps, userName: string): Promise<string> {
  const base = usernameBase(userName);
  for (let n = 1; n <= 100; n += 1) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (forgeUsernameProblem(candidate)) continue;
    if (!(await usersRepository.byUsername(deps.store.db, candidate, { includeDeleted: true }))) return candidate;
  }
  return `${base}-${Date.now().toString(36)}`;
}

/** The IdP repeating a create whose answer it did not get: same userName and externalId, moments after. */
function isRetryOf(holder: UserRow, fields: ScimUserFields): boolean {
  return holder.externalId !== null && holder.externalId === fields.externalId && Date.now() - holder.createdAt.getTime() < RETRY_WINDOW_MS;
}

export type ScimCreateOutcome = 'created' | 'repeated' | 'restored';

/**
 * POST /Users. A userName no one holds creates a user with accounts in the
 * SCIM backends, exactly as createUser does. A userName whose user was
 * deleted through SCIM restores that user (same id) with the new
 * attributes: the IdP is the authority for that identity. A repeat of a
 * create (see `isRetryOf`) answers the same user. Anything else holding the
 * userName is a ConflictError.
 */
export async function createScimUser(deps: GatewayDeps, fields: ScimUserFields, actor: string): Promise<Result<ScimUserView & { outcome: ScimCreateOutcome }>> {
  const { errors, email } = validate(fields);
  if (errors.length > 0 || email === undefined) return fail(new ValidationError(errors));
  const { db } = deps.store;

  const holder = await scimUsersRepository.byUserName(db, fields.userName);
  if (holder) return answerHolder(deps, holder, fields, actor);

  const username = fields.username ?? (await freeUsername(deps, fields.userName));
  const created = await createUser(deps, {
    email,
    username,
    displayName: fields.displayName,
    firstName: fields.givenName,
    lastName: fields.familyName,
    backends: scimBackends(deps),
    scim: { userName: fields.userName, externalId: fields.externalId },
  });
  if (!created.ok) {
    // Lost a race with the same POST sent twice at once: answer as its repeat.
    const winner = created.error instanceof ConflictError ? await scimUsersRepository.byUserName(db, fields.userName) : undefined;
    return winner ? answerHolder(deps, winner, fields, actor) : created;
  }
  let { user } = created.value;
  // createUser answers an existing user for the same email and username;
  // one SCIM did not make is someone else's, never taken over.
  if (!created.value.created && !sameText(user.scimUserName ?? '', fields.userName)) {
    return fail(new ConflictError(`a user with email "${email}" already exists`));
  }
  if (!fields.active) {
    const disabled = await setUserStatus(deps, user.id, 'DISABLED');
    if (disabled.ok) user = disabled.value.user;
  }
  return ok({ ...(await scimUserView(deps, user)), outcome: 'created' });
}

async function answerHolder(deps: GatewayDeps, holder: UserRow, fields: ScimUserFields, actor: string): Promise<Result<ScimUserView & { outcome: ScimCreateOutcome }>> {
  if (holder.deletedAt !== null) {
    if (!holder.deletedBy?.startsWith(SCIM_ACTOR_PREFIX)) {
      return fail(new ConflictError(`userName "${fields.userName}" belongs to a user an admin deleted; an admin may restore it (restoreUser)`));
    }
    const restored = await restoreUser(deps, holder.id);
    if (!restored.ok) return restored;
    deps.logger.info({ userId: holder.id, actor }, 'SCIM create restored a user deleted through SCIM');
    const replaced = await replaceScimUser(deps, holder.id, { ...fields, username: fields.username ?? holder.username });
    return replaced.ok ? ok({ ...replaced.value, outcome: 'restored' }) : replaced;
  }
  if (isRetryOf(holder, fields)) return ok({ ...(await scimUserView(deps, holder)), outcome: 'repeated' });
  return fail(new ConflictError(`a User with userName "${fields.userName}" already exists`));
}

/**
 * PUT /Users/{id}, and PATCH once its operations are applied: the user
 * becomes `fields`. Names and email go to the backends through updateUser;
 * `active` is enableUser/disableUser. An email cannot be removed (an absent
 * one keeps the current); the gateway username never changes.
 */
export async function replaceScimUser(deps: GatewayDeps, id: string, fields: ScimUserFields): Promise<Result<ScimUserView>> {
  const { db } = deps.store;
  const current = await scimUsersRepository.byId(db, id);
  if (!current) return fail(new NotFoundError(`no User with id "${id}"`));
  if (fields.username !== null && !sameText(fields.username, current.username)) {
    return fail(new MutabilityError(`the gateway username "${current.username}" cannot change (it is the Forgejo login)`));
  }
  const { errors } = validate({ ...fields, email: fields.email ?? current.email, username: null });
  if (errors.length > 0) return fail(new ValidationError(errors));
  const userNameChanges = fields.userName !== current.scimUserName;
  if (!sameText(fields.userName, current.scimUserName ?? '') && (await scimUsersRepository.byUserName(db, fields.userName))) {
    return fail(new ConflictError(`a User with userName "${fields.userName}" already exists`));
  }

  const updated = await updateUser(deps, {
    id,
    email: fields.email ?? undefined,
    displayName: fields.displayName,
    firstName: fields.givenName,
    lastName: fields.familyName,
  });
  if (!updated.ok) return updated;
  if (userNameChanges || fields.externalId !== current.externalId) {
    try {
      const written = await scimUsersRepository.setScimAttributes(db, id, { scimUserName: fields.userName, externalId: fields.externalId });
      if (!written) return fail(new NotFoundError(`no User with id "${id}"`));
    } catch (error) {
      if (isUniqueViolation(error)) return fail(new ConflictError(`a User with userName "${fields.userName}" already exists`));
      throw error;
    }
  }
  const status: UserStatus = fields.active ? 'ACTIVE' : 'DISABLED';
  if (status !== current.status) {
    const changed = await setUserStatus(deps, id, status);
    if (!changed.ok) return changed;
  }
  const user = await scimUsersRepository.byId(db, id);
  if (!user) return fail(new NotFoundError(`no User with id "${id}"`));
  return ok(await scimUserView(deps, user));
}

/**
 * DELETE /Users/{id}: deleteUser, which never deletes anything downstream
 * (accounts stay, disabled). A later POST of the same userName restores it.
 */
export async function deleteScimUser(deps: GatewayDeps, id: string, actor: string): Promise<Result<ScimUserView>> {
  const user = await scimUsersRepository.byId(deps.store.db, id);
  if (!user) return fail(new NotFoundError(`no User with id "${id}"`));
  const deleted = await deleteUser(deps, { id, actor: `${SCIM_ACTOR_PREFIX}${actor}` });
  if (!deleted.ok) return deleted;
  return ok({ user: deleted.value.user, accounts: deleted.value.accounts });
}
