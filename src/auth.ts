// Who is calling. Authentication happens once per request, here; what a
// caller may do is declared on each field (scope-auth) from `scopes`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from './config.ts';

export const SCOPES = ['admin', 'automation', 'read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  /** Stable identity used for audit and idempotency-key scoping; never a secret. */
  id: string;
  kind: 'anonymous' | 'dev' | 'admin-token';
  scopes: ReadonlySet<Scope>;
  /** The gateway user this caller is, when it is one (for `viewer`). */
  userId: string | undefined;
}

export const ANONYMOUS: Caller = { id: 'anonymous', kind: 'anonymous', scopes: new Set(), userId: undefined };
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

export function createAuthenticator(auth: Config['auth']): (request: Request) => Promise<Caller> {
  const dev: Caller = { id: 'dev', kind: 'dev', scopes: EVERY_SCOPE, userId: undefined };
  const admin: Caller = { id: 'admin-token', kind: 'admin-token', scopes: EVERY_SCOPE, userId: undefined };
  return async (request) => {
    if (auth.devMode) return dev;
    const token = bearerToken(request);
    if (token === undefined) return ANONYMOUS;
    if (auth.adminToken !== undefined && sameSecret(token, auth.adminToken)) return admin;
    return ANONYMOUS;
  };
}
