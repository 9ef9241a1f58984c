// A SCIM client for tests: requests to `/scim/v2` as an identity provider
// sends them (Bearer token, application/scim+json), and the API token with
// the SCIM scope an admin makes for an IdP connection.
import { parse } from 'graphql';
import { expect } from 'vitest';
import { noteSecrets, runLog, type TestGateway } from './gateway.ts';

export const SCIM_JSON = 'application/scim+json';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GATEWAY_USER = 'urn:identity-gateway:params:scim:schemas:extension:gateway:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export type Json = Record<string, unknown>;

export interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Json | undefined;
}

/** An API token (createApiToken) with these scopes, e.g. ['SCIM'] for an IdP connection. */
export async function apiToken(api: TestGateway, scopes: string[], name = 'okta'): Promise<{ token: string; id: string }> {
  const document = parse(`mutation { createApiToken(input: { name: "${name}", scopes: [${scopes.join(', ')}] }) { ... on CreateApiTokenPayload { token apiToken { id } } } }`);
  const { data } = await api.graphql(document, {});
  const created = (data as { createApiToken?: { token?: string; apiToken?: { id: string } } } | null | undefined)?.createApiToken;
  if (!created?.token || !created.apiToken) throw new Error('could not mint a token');
  runLog.secrets.add(created.token);
  const rowId = Buffer.from(created.apiToken.id, 'base64').toString('utf8').split(':')[1] ?? '';
  return { token: created.token, id: rowId };
}

export interface ScimRequest {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function scim(api: TestGateway, method: string, path: string, options: ScimRequest = {}): Promise<ScimAnswer> {
  const headers: Record<string, string> = { accept: SCIM_JSON, ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // A password an IdP sends (Okta's "Sync password") must never reach a log: the file's log check looks for it.
  noteSecrets(options.body);
  if (options.body !== undefined) headers['content-type'] ??= `${SCIM_JSON}; charset=utf-8`;
  const response = await api.fetch(`/scim/v2${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  if (text !== '') noteSecrets(JSON.parse(text));
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as Json) };
}

/** The answer is a SCIM error with this status and scimType (none when undefined), in application/scim+json. */
export function expectScimError(answer: ScimAnswer, status: number, scimType?: string): void {
  expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(answer.body).toEqual({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail: expect.any(String) });
  expect(answer.status).toBe(status);
}

export const filterQuery = (filter: string, extra = '') => `/Users?filter=${encodeURIComponent(filter)}${extra}`;

export function resourcesOf(answer: ScimAnswer): Json[] {
  expect(answer.body?.schemas).toEqual([LIST_RESPONSE]);
  return (answer.body?.Resources ?? []) as Json[];
}

export const gatewayPart = (resource: Json | undefined) => resource?.[GATEWAY_USER] as { username: string; accounts: Json[] } | undefined;
