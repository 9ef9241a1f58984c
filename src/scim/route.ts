// `/scim/v2`: SCIM 2.0 (RFC 7643, RFC 7644) for identity providers, a plain
// HTTP route beside GraphQL as a yoga plugin (docs/scim.md). Each request is
// authenticated like GraphQL's (an API token, the admin token or a JWT) and
// needs the `scim` scope (or `admin`); writes draw from the caller's mutation
// rate limit and are each one audit event carrying the request id.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Plugin } from 'graphql-yoga';
import { type Authentication, type Caller, Unauthenticated } from '../auth.ts';
import type { GatewayDeps } from '../domain/deps.ts';
import { createScimUser, deleteScimUser, getScimUser, listScimUsers, replaceScimUser, type ScimUserView } from '../domain/scim-users.ts';
import { wwwAuthenticate } from '../http/authentication.ts';
import type { RequestIds } from '../http/observability.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Logger } from '../logger.ts';
import { auditEventsRepository } from '../store/repositories/audit-events.ts';
import type { UserRow } from '../store/schema.ts';
import { type Projection, projectionOf } from './attributes.ts';
import { listResponse, MAX_PAGE, schemas, serviceProviderConfig, userResourceType } from './discovery.ts';
import { errorResponse, fromDomainError, ScimHttpError, scimResponse } from './errors.ts';
import { parseUserFilter } from './filter.ts';
import { applyPatch } from './patch.ts';
import { CORE_USER } from './schema.ts';
import { fieldsOf, isObject, type JsonObject, member, userLocation, userResource, versionOf, writableResource } from './user-resource.ts';

export const SCIM_BASE = '/scim/v2';

export interface ScimOptions {
  authenticate: (request: Request) => Promise<Authentication>;
  ids: RequestIds;
  /** The mutation buckets: a SCIM write costs one token, like a root mutation field. */
  rateLimiter: RateLimiter | undefined;
}

interface Exchange {
  deps: GatewayDeps;
  request: Request;
  url: URL;
  caller: Caller;
  requestId: string;
  log: Logger;
  /** `/scim/v2` as clients reach it, for `meta.location`. */
  baseUrl: string;
}

type Route =
  | { kind: 'serviceProviderConfig' | 'resourceTypes' | 'schemas' | 'users' }
  | { kind: 'resourceType' | 'schema' | 'user'; id: string };

/** Resource segments are matched ignoring case: Entra ID and Okta both send `/Users`, others `/users`. */
function routeOf(pathname: string): Route | undefined {
  const segments = pathname
    .slice(SCIM_BASE.length)
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  const [head = '', id, ...rest] = segments;
  if (rest.length > 0) return undefined;
  const name = head.toLowerCase();
  if (name === 'serviceproviderconfig' && id === undefined) return { kind: 'serviceProviderConfig' };
  if (name === 'resourcetypes') return id === undefined ? { kind: 'resourceTypes' } : { kind: 'resourceType', id };
  if (name === 'schemas') return id === undefined ? { kind: 'schemas' } : { kind: 'schema', id };
  if (name === 'users') return id === undefined ? { kind: 'users' } : { kind: 'user', id };
  return undefined;
}

async function authorise(authenticate: ScimOptions['authenticate'], request: Request): Promise<Caller> {
  const outcome = await authenticate(request);
  if (outcome instanceof Unauthenticated) {
    const headers: Record<string, string> = outcome.status === 401 ? { 'www-authenticate': wwwAuthenticate(outcome) } : { 'retry-after': '5' };
    throw new ScimHttpError(outcome.status, undefined, outcome.message, headers);
  }
  if (outcome.kind === 'anonymous') {
    throw new ScimHttpError(401, undefined, 'a bearer token with the SCIM scope is required', { 'www-authenticate': 'Bearer' });
  }
  if (!outcome.scopes.has('scim') && !outcome.scopes.has('admin')) {
    throw new ScimHttpError(403, undefined, 'this token may not use SCIM: it needs the SCIM scope');
  }
  return outcome;
}

const methodNotAllowed = (allow: string) => new ScimHttpError(405, undefined, `this endpoint answers ${allow}`, { allow });

async function readBody(request: Request, limit: number): Promise<JsonObject> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(scim\+)?json\s*(;|$)/i.test(type)) throw new ScimHttpError(415, undefined, 'send the body as application/scim+json (or application/json)');
  const announced = request.headers.get('content-length');
  if (announced !== null && Number(announced) > limit) throw new ScimHttpError(413, undefined, `the body is larger than ${limit} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ScimHttpError(413, undefined, `the body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ScimHttpError(400, 'invalidSyntax', 'the body is not JSON');
  }
  if (!isObject(body)) throw new ScimHttpError(400, 'invalidSyntax', 'the body is a JSON object');
  return body;
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw new ScimHttpError(400, 'invalidValue', `${name} is an integer`);
  return Number(raw.trim());
}

const sameVersion = (a: string, b: string) => a.replace(/^W\//, '') === b.replace(/^W\//, '');

/** If-Match (RFC 7644 §3.14): a write to another version than the current one is refused with 412. */
function checkIfMatch(request: Request, user: UserRow): void {
  const header = request.headers.get('if-match');
  if (header === null) return;
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*') || tags.some((tag) => sameVersion(tag, versionOf(user)))) return;
  throw new ScimHttpError(412, undefined, 'the User has changed since that version (If-Match); read it again');
}

function resourceResponse(exchange: Exchange, status: number, view: ScimUserView, project: Projection = (r) => r, extra: Record<string, string> = {}): Response {
  return scimResponse(status, project(userResource(view, exchange.baseUrl)), { etag: versionOf(view.user), ...extra });
}

async function current(exchange: Exchange, id: string): Promise<ScimUserView> {
  const found = await getScimUser(exchange.deps, id);
  if (!found.ok) throw fromDomainError(found.error);
  return found.value;
}

interface WriteOutcome {
  response: Response;
  outcome: string;
  view?: ScimUserView | undefined;
}

/**
 * One SCIM write: rate-limited, then run, then one audit event whatever the
 * outcome (a refused write is on record too).
 */
async function write(exchange: Exchange, options: ScimOptions, operation: string, targetId: string | undefined, run: () => Promise<WriteOutcome>): Promise<Response> {
  const { deps, caller } = exchange;
  if (options.rateLimiter) {
    const decision = await options.rateLimiter.take(caller.id, 1);
    if (!decision.allowed) {
      deps.metrics.rateLimited();
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new ScimHttpError(429, undefined, `too many changes; retry in ${seconds} s`, { 'retry-after': String(seconds) });
    }
  }
  let result: WriteOutcome | undefined;
  let failure: ScimHttpError | undefined;
  try {
    result = await run();
  } catch (error) {
    if (!(error instanceof ScimHttpError)) throw error;
    failure = error;
  }
  await audit(exchange, operation, targetId ?? result?.view?.user.id, result, failure);
  if (failure) throw failure;
  if (!result) throw new Error('SCIM write produced no outcome');
  return result.response;
}

async function audit(exchange: Exchange, operation: string, userId: string | undefined, result: WriteOutcome | undefined, failure: ScimHttpError | undefined): Promise<void> {
  const { deps, caller, requestId, request, url, log } = exchange;
  const details: Record<string, unknown> = {
    requestId,
    callerKind: caller.kind,
    scim: { method: request.method, path: url.pathname, status: failure?.status ?? result?.response.status },
  };
  if (caller.userId) details.callerUserId = caller.userId;
  if (failure) {
    details.message = failure.detail;
    if (failure.scimType) details.scimType = failure.scimType;
  }
  if (result?.view) {
    details.backends = result.view.accounts.map((account) => ({
      backend: account.backend,
      status: account.status,
      ...(account.externalId ? { externalId: account.externalId } : {}),
      ...(account.lastError && account.status !== 'ACTIVE' && account.status !== 'DISABLED' ? { error: account.lastError } : {}),
    }));
  }
  try {
    await auditEventsRepository.insert(deps.store.db, {
      actor: caller.id,
      operation,
      targetIds: userId ? [encodeGlobalID('User', userId)] : [],
      outcome: failure ? (failure.scimType ?? `HTTP${failure.status}`) : (result?.outcome ?? 'OK'),
      details,
    });
  } catch (error) {
    log.error({ err: error, operation }, 'could not write the audit event');
  }
}

async function users(exchange: Exchange, options: ScimOptions): Promise<Response> {
  const { deps, request, url, caller } = exchange;
  if (request.method === 'GET') {
    const project = projectionOf(url.searchParams);
    const condition = parseUserFilter(url.searchParams.get('filter'));
    const startIndex = Math.max(1, integerParam(url.searchParams, 'startIndex', 1));
    const count = Math.min(MAX_PAGE, Math.max(0, integerParam(url.searchParams, 'count', MAX_PAGE)));
    const page = await listScimUsers(deps, condition, startIndex, count);
    const resources = page.users.map((view) => project(userResource(view, exchange.baseUrl)));
    return scimResponse(200, listResponse(resources, page.total, startIndex));
  }
  if (request.method !== 'POST') throw methodNotAllowed('GET, POST');
  return write(exchange, options, 'scim.createUser', undefined, async () => {
    const body = await readBody(request, deps.config.limits.maxBodyBytes);
    const created = await createScimUser(deps, fieldsOf(body, undefined), caller.id);
    if (!created.ok) throw fromDomainError(created.error);
    const { outcome, ...view } = created.value;
    const location = userLocation(exchange.baseUrl, view.user.id);
    // A repeat of a create, or a return of a user deleted through SCIM, is a 201 too: to the IdP it is the create it asked for.
    return { response: resourceResponse(exchange, 201, view, undefined, { location }), outcome: outcome === 'created' ? 'Created' : outcome === 'repeated' ? 'Repeated' : 'Restored', view };
  });
}

async function user(exchange: Exchange, options: ScimOptions, id: string): Promise<Response> {
  const { deps, request, url, caller } = exchange;
  switch (request.method) {
    case 'GET': {
      const project = projectionOf(url.searchParams);
      const view = await current(exchange, id);
      const unchanged = request.headers.get('if-none-match');
      if (unchanged !== null && unchanged.split(',').some((tag) => tag.trim() === '*' || sameVersion(tag.trim(), versionOf(view.user)))) {
        return new Response(null, { status: 304, headers: { etag: versionOf(view.user) } });
      }
      return resourceResponse(exchange, 200, view, project);
    }
    case 'PUT':
      return write(exchange, options, 'scim.replaceUser', id, async () => {
        const before = await current(exchange, id);
        checkIfMatch(request, before.user);
        const body = await readBody(request, deps.config.limits.maxBodyBytes);
        const sentId = member(body, 'id');
        if (sentId !== undefined && sentId !== id) throw new ScimHttpError(400, 'mutability', 'id is read-only');
        const replaced = await replaceScimUser(deps, id, fieldsOf(body, before.user));
        if (!replaced.ok) throw fromDomainError(replaced.error);
        return { response: resourceResponse(exchange, 200, replaced.value), outcome: 'Replaced', view: replaced.value };
      });
    case 'PATCH':
      return write(exchange, options, 'scim.patchUser', id, async () => {
        const before = await current(exchange, id);
        checkIfMatch(request, before.user);
        const body = await readBody(request, deps.config.limits.maxBodyBytes);
        const patched = applyPatch(writableResource(before.user), body);
        const replaced = await replaceScimUser(deps, id, fieldsOf(patched, before.user));
        if (!replaced.ok) throw fromDomainError(replaced.error);
        return { response: resourceResponse(exchange, 200, replaced.value), outcome: 'Patched', view: replaced.value };
      });
    case 'DELETE':
      return write(exchange, options, 'scim.deleteUser', id, async () => {
        const before = await current(exchange, id);
        checkIfMatch(request, before.user);
        const deleted = await deleteScimUser(deps, id, caller.id);
        if (!deleted.ok) throw fromDomainError(deleted.error);
        return { response: new Response(null, { status: 204 }), outcome: 'Deleted', view: deleted.value };
      });
    default:
      throw methodNotAllowed('GET, PUT, PATCH, DELETE');
  }
}

async function dispatch(exchange: Exchange, options: ScimOptions, route: Route): Promise<Response> {
  const { request, baseUrl } = exchange;
  if (route.kind === 'users') return users(exchange, options);
  if (route.kind === 'user') return user(exchange, options, route.id);
  if (request.method !== 'GET') throw methodNotAllowed('GET');
  switch (route.kind) {
    case 'serviceProviderConfig':
      return scimResponse(200, serviceProviderConfig(baseUrl));
    case 'resourceTypes':
      return scimResponse(200, listResponse([userResourceType(baseUrl)], 1, 1));
    case 'resourceType':
      if (route.id.toLowerCase() !== 'user') throw new ScimHttpError(404, undefined, `no resource type "${route.id}": the gateway serves Users`);
      return scimResponse(200, userResourceType(baseUrl));
    case 'schemas': {
      const all = schemas(baseUrl);
      return scimResponse(200, listResponse(all, all.length, 1));
    }
    case 'schema': {
      const found = schemas(baseUrl).find((schema) => String(schema.id).toLowerCase() === route.id.toLowerCase());
      if (!found) throw new ScimHttpError(404, undefined, `no schema "${route.id}"; the gateway serves ${CORE_USER} and its extension`);
      return scimResponse(200, found);
    }
  }
}

async function handle(deps: GatewayDeps, options: ScimOptions, request: Request, url: URL): Promise<Response> {
  const requestId = options.ids.of(request);
  const log = deps.logger.child({ requestId });
  try {
    const caller = await authorise(options.authenticate, request);
    const route = routeOf(url.pathname);
    if (!route) throw new ScimHttpError(404, undefined, `no SCIM endpoint at ${url.pathname}; the gateway serves Users, Schemas, ResourceTypes and ServiceProviderConfig`);
    const exchange: Exchange = { deps, request, url, caller, requestId, log, baseUrl: `${deps.config.publicUrl}${SCIM_BASE}` };
    return await dispatch(exchange, options, route);
  } catch (error) {
    if (error instanceof ScimHttpError) return errorResponse(error);
    if (error instanceof URIError) return errorResponse(new ScimHttpError(400, 'invalidSyntax', 'the path is not valid percent-encoding'));
    log.error({ err: error instanceof Error ? { name: error.name, message: (error.message.split('\n')[0] ?? '').slice(0, 300) } : String(error) }, 'SCIM request failed unexpectedly');
    return errorResponse(new ScimHttpError(500, undefined, 'Unexpected error.'));
  }
}

export function useScim(deps: GatewayDeps, options: ScimOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== SCIM_BASE && !url.pathname.startsWith(`${SCIM_BASE}/`)) return;
      endResponse(await handle(deps, options, request, url));
    },
  };
}
