// Who is calling. Authentication happens once per request, here; what a
// caller may do is declared on each field (scope-auth) from `scopes`.
//
// No bearer token is an anonymous caller. A bearer token the gateway does
// not accept (unknown, revoked, expired, badly signed, or belonging to a
// DISABLED user) is not quietly downgraded to anonymous: the request is
// refused with 401 and `WWW-Authenticate: Bearer error="invalid_token"`
// (RFC 6750 §3.1), so a client learns that its credential is the problem.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Executor } from './store/client.ts';
import { apiTokensRepository } from './store/repositories/api-tokens.ts';
import { usersRepository } from './store/repositories/users.ts';
import type { UserRow } from './store/schema.ts';
import { isUuid } from './store/uuid.ts';

// `scim`: the SCIM endpoint only (docs/scim.md); it grants nothing in GraphQL.
export const SCOPES = ['admin', 'automation', 'read', 'scim'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  /** Stable identity used for audit and idempotency-key scoping; never a secret. */
  id: string;
  kind: 'anonymous' | 'dev' | 'admin-token' | 'api-token' | 'jwt';
  scopes: ReadonlySet<Scope>;
  /** The gateway user this caller is, when it is one (for `viewer`). */
  userId: string | undefined;
}

export const ANONYMOUS: Caller = { id: 'anonymous', kind: 'anonymous', scopes: new Set(), userId: undefined };

/**
 * A bearer token that was presented and refused. `description` becomes the
 * RFC 6750 `error_description`; `status` is 401, or 503 when the token could
 * not be checked at all (the JWKS is unreachable): telling a client its
 * token is invalid then would make it throw a good token away.
 */
export class Unauthenticated {
  constructor(
    readonly message: string,
    readonly description: string | undefined = undefined,
    readonly status: 401 | 503 = 401,
  ) {}
}

const INVALID_TOKEN = new Unauthenticated('the bearer token is invalid, expired or revoked');
const USER_DISABLED = new Unauthenticated('the user this bearer token belongs to is disabled', 'user is disabled');
const USER_DELETED = new Unauthenticated('the user this bearer token belongs to is deleted', 'user is deleted');
const CANNOT_VERIFY = new Unauthenticated('bearer tokens cannot be verified right now; retry shortly', undefined, 503);

export type Authentication = Caller | Unauthenticated;

// jose errors that only say the key set could not be fetched or read:
// the token itself may well be good.
const JWKS_UNAVAILABLE = new Set([joseErrors.JWKSTimeout.code, joseErrors.JWKSInvalid.code, joseErrors.JOSEError.code]);
const isUnavailable = (error: unknown) => !(error instanceof joseErrors.JOSEError) || JWKS_UNAVAILABLE.has(error.code);
const EVERY_SCOPE: ReadonlySet<Scope> = new Set(SCOPES);

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison (over digests, so lengths never leak). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Every API token starts with this, so a leaked one is recognisable (and greppable by secret scanners). */
export const API_TOKEN_PREFIX = 'igw_';

/** A new API token and the only form of it the store keeps. */
export function newApiToken(): { token: string; hash: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export const hashApiToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Scopes from a JWT `scope` claim (space-separated, RFC 8693) or an `scp` list; unknown names are ignored. */
export function scopesFromClaims(payload: JWTPayload): Set<Scope> {
  const raw = payload.scope ?? payload.scp;
  const names = typeof raw === 'string' ? raw.split(/\s+/) : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  return new Set(names.filter(isScope));
}

/**
 * The gateway user a JWT subject names: its id (a UUID), its email (contains
 * "@") or its username (which never contains "@"), so the match is never ambiguous.
 */
async function userOfSubject(db: Executor, subject: string): Promise<UserRow | undefined> {
  // Deleted users too: their JWTs are refused, not taken for a service's.
  if (isUuid(subject)) return (await usersRepository.byIds(db, [subject], { includeDeleted: true }))[0];
  if (subject.includes('@')) return usersRepository.byEmail(db, subject, { includeDeleted: true });
  return usersRepository.byUsername(db, subject, { includeDeleted: true });
}

export interface AuthenticatorOptions {
  db: Executor;
  logger: Logger;
  /** Tests hand in a local key set; production fetches (and caches) `AUTH_JWT_JWKS_URL`. */
  jwks?: JWTVerifyGetKey;
}

export function createAuthenticator(auth: Config['auth'], options: AuthenticatorOptions): (request: Request) => Promise<Authentication> {
  const dev: Caller = { id: 'dev', kind: 'dev', scopes: EVERY_SCOPE, userId: undefined };
  const admin: Caller = { id: 'admin-token', kind: 'admin-token', scopes: EVERY_SCOPE, userId: undefined };
  const { db, logger } = options;
  const jwt = auth.jwt;
  const jwks = jwt ? (options.jwks ?? createRemoteJWKSet(new URL(jwt.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })) : undefined;

  async function fromApiToken(token: string): Promise<Authentication> {
    const row = await apiTokensRepository.use(db, hashApiToken(token));
    if (!row) return INVALID_TOKEN;
    if (row.userDeletedAt !== null) return USER_DELETED;
    if (row.revokedAt !== null) return INVALID_TOKEN;
    // A token bound to a user is that user: locked out while they are disabled.
    if (row.userStatus === 'DISABLED') return USER_DISABLED;
    return { id: `api-token:${row.id}`, kind: 'api-token', scopes: new Set(row.scopes.filter(isScope)), userId: row.userId ?? undefined };
  }

  async function fromJwt(token: string): Promise<Authentication> {
    if (!jwt || !jwks) return INVALID_TOKEN;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: jwt.issuer, audience: jwt.audience, clockTolerance: 30 }));
    } catch (error) {
      // The reason (expired, bad signature, JWKS unreachable) helps operators; the token never appears.
      logger.info({ reason: error instanceof Error ? error.name : 'unknown' }, 'JWT rejected');
      return isUnavailable(error) ? CANNOT_VERIFY : INVALID_TOKEN;
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') return INVALID_TOKEN;
    const user = await userOfSubject(db, payload.sub);
    if (user && user.deletedAt !== null) return USER_DELETED;
    if (user?.status === 'DISABLED') return USER_DISABLED;
    return { id: `jwt:${payload.sub}`, kind: 'jwt', scopes: scopesFromClaims(payload), userId: user?.id };
  }

  return async (request) => {
    if (auth.devMode) return dev;
    const token = bearerToken(request);
    if (token === undefined) return ANONYMOUS;
    if (auth.adminToken !== undefined && sameSecret(token, auth.adminToken)) return admin;
    if (token.startsWith(API_TOKEN_PREFIX)) return fromApiToken(token);
    // A compact JWS has three dot-separated parts; anything else is no known credential.
    if (token.split('.').length === 3) return fromJwt(token);
    return INVALID_TOKEN;
  };
}
