// Validation of a service and its config before anything is granted
// (docs/database-users.md, the `connect_as` model). Messages and paths are part
// of the API: clients match on them, so they follow the spec word for word.
// Pure, except `postgrestPreflight`, which asks the cluster through the
// checks it is handed.
import { identifierProblem } from '../backends/postgres-roles.ts';
import { SERVICE_TYPES } from '../store/schema.ts';
import type { FieldError } from '../errors.ts';

export interface ServiceInput {
  serviceId: string;
  type: string;
  version: string;
  config?: unknown;
  connectAs?: string | null;
}

/** The database users' names, or a case-sensitive membership test over them. */
export type DatabaseUserLookup = Iterable<string> | ((username: string) => boolean);

export interface ServiceRuleContext {
  databaseUsers: DatabaseUserLookup;
}

export interface PostgrestConfig {
  /** Comma list, trimmed, without duplicates. */
  db_schemas: string;
  db_anon_role: string;
  db_pool: number;
  max_rows: number;
  jwt_secret?: string;
  jwt_aud?: string;
  jwt_role_claim_key?: string;
  server_cors_allowed_origins?: string;
}

export interface ServiceValidation {
  fieldErrors: FieldError[];
  /** POSTGREST: the config with defaults applied; other types: the config as given. */
  normalizedConfig: Record<string, unknown>;
}

export const MAX_SERVICE_ID_LENGTH = 36;
// pgEdge control-plane, server/internal/api/apiv1/validate.go,
// validateServiceSpec: `svc.Version != "latest" && !semverPattern.MatchString`
// with semverPattern `^\d+\.\d+(\.\d+)?$`, and the message below word for word.
export const VERSION_PATTERN = /^(\d+\.\d+(\.\d+)?|latest)$/;
export const VERSION_MESSAGE = "version must be in semver format (e.g., '1.0.0') or 'latest'";
export const POSTGREST_DEFAULTS = { db_schemas: 'public', db_pool: 10, max_rows: 1000 } as const;
export const POSTGREST_CONFIG_KEYS = [
  'db_schemas',
  'db_anon_role',
  'db_pool',
  'max_rows',
  'jwt_secret',
  'jwt_aud',
  'jwt_role_claim_key',
  'server_cors_allowed_origins',
] as const;
const MIN_JWT_SECRET_LENGTH = 32;

export function serviceIdProblem(serviceId: string): string | undefined {
  if (serviceId.length === 0) return 'service_id is required';
  if (serviceId.length > MAX_SERVICE_ID_LENGTH) return `service_id must be at most ${MAX_SERVICE_ID_LENGTH} characters`;
  if (!/^[a-z0-9-]+$/.test(serviceId)) return 'service_id may contain only lowercase letters, digits and hyphens';
  if (serviceId.startsWith('-') || serviceId.endsWith('-')) return 'service_id must not start or end with a hyphen';
  if (serviceId.includes('--')) return 'service_id must not contain a double hyphen';
  return undefined;
}

export function connectAsRequiredMessage(): string {
  return 'connect_as is required';
}

export function connectAsUnknownMessage(connectAs: string): string {
  return `connect_as ${JSON.stringify(connectAs)} does not match any database_users entry`;
}

/**
 * PostgREST sets NOINHERIT on its connect_as user (an authenticator only
 * switches to other roles, it never uses their privileges itself), which
 * takes away whatever that user had through its memberships. So a PostgREST
 * connect_as user is a dedicated authenticator: no roles of its own, no
 * MCP or RAG service beside it.
 */
export function authenticatorWithRolesMessage(connectAs: string, roles: readonly string[]): string {
  return `database user ${JSON.stringify(connectAs)} has roles (${roles.map((role) => JSON.stringify(role)).join(', ')}); PostgREST sets NOINHERIT on its connect_as user, which would stop it using them: connect PostgREST as a dedicated authenticator user`;
}

export function authenticatorSharedMessage(connectAs: string, other: { serviceId: string; type: string }): string {
  return `database user ${JSON.stringify(connectAs)} is the connect_as user of ${other.type} service ${JSON.stringify(other.serviceId)}; PostgREST sets NOINHERIT on its connect_as user, which would take away the privileges that service uses: connect PostgREST as a dedicated authenticator user`;
}

export function authenticatorTakenMessage(connectAs: string, type: string, postgrest: string): string {
  return `database user ${JSON.stringify(connectAs)} is the PostgREST authenticator of service ${JSON.stringify(postgrest)} (NOINHERIT, no privileges of its own in use); connect the ${type} service as another database user`;
}

export function anonRoleCanLoginMessage(role: string): string {
  return `db_anon_role ${JSON.stringify(role)} can log in (LOGIN); PostgREST's anonymous role must be NOLOGIN`;
}

export function schemaMissingMessage(schema: string, database: string): string {
  return `schema ${JSON.stringify(schema)} does not exist in database ${JSON.stringify(database)}; create it before deploying PostgREST`;
}

export function anonRoleMissingMessage(role: string): string {
  return `role ${JSON.stringify(role)} does not exist on the Postgres cluster; create it before deploying PostgREST`;
}

export function validateService(
  input: ServiceInput,
  context: ServiceRuleContext,
  path: readonly string[] = ['input'],
): ServiceValidation {
  const errors: FieldError[] = [];
  const at = (...fields: string[]) => [...path, ...fields];

  const idProblem = serviceIdProblem(input.serviceId);
  if (idProblem) errors.push({ path: at('serviceId'), message: idProblem });

  const type = SERVICE_TYPES.find((known) => known === input.type);
  if (!type) errors.push({ path: at('type'), message: `unsupported service type ${JSON.stringify(input.type)}` });

  if (!VERSION_PATTERN.test(input.version)) {
    errors.push({ path: at('version'), message: VERSION_MESSAGE });
  }

  const connectAs = input.connectAs ?? '';
  if (connectAs === '') {
    errors.push({ path: at('connectAs'), message: connectAsRequiredMessage() });
  } else if (!hasDatabaseUser(context.databaseUsers, connectAs)) {
    errors.push({ path: at('connectAs'), message: connectAsUnknownMessage(connectAs) });
  }

  const config = input.config ?? {};
  if (!isPlainObject(config)) {
    errors.push({ path: at('config'), message: 'config must be an object' });
    return { fieldErrors: errors, normalizedConfig: {} };
  }
  if (Buffer.byteLength(JSON.stringify(config), 'utf8') > MAX_CONFIG_BYTES) {
    errors.push({ path: at('config'), message: `config must be at most ${MAX_CONFIG_BYTES / 1024} KB of JSON` });
    return { fieldErrors: errors, normalizedConfig: {} };
  }
  if (type === 'POSTGREST') {
    const postgrest = validatePostgrestConfig(config, at('config'));
    errors.push(...postgrest.fieldErrors);
    return { fieldErrors: errors, normalizedConfig: postgrest.config ? { ...postgrest.config } : { ...config } };
  }
  return { fieldErrors: errors, normalizedConfig: { ...config } };
}

function hasDatabaseUser(lookup: DatabaseUserLookup, username: string): boolean {
  if (typeof lookup === 'function') return lookup(username);
  for (const name of lookup) if (name === username) return true;
  return false;
}

/**
 * `config` is undefined when there are field errors. A little over the usual
 * length: one check per PostgREST setting, in the order errors are reported.
 */
export function validatePostgrestConfig(
  raw: Record<string, unknown>,
  path: readonly string[] = ['input', 'config'],
): { fieldErrors: FieldError[]; config: PostgrestConfig | undefined } {
  const errors: FieldError[] = [];
  const at = (key: string) => [...path, key];
  const fail = (key: string, message: string) => {
    errors.push({ path: at(key), message });
    return undefined;
  };
  // JSON null means "not set" here, as it does for an omitted key.
  const given = (key: string): unknown => (raw[key] === null ? undefined : raw[key]);

  const known = new Set<string>(POSTGREST_CONFIG_KEYS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) fail(key, `unknown config key ${JSON.stringify(key)}`);
  }

  const nonEmptyString = (key: string): string | undefined => {
    const value = given(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return fail(key, `${key} must be a string`);
    if (value.trim() === '') return fail(key, `${key} must not be empty`);
    return value;
  };

  const integerIn = (key: string, min: number, max: number, fallback: number): number | undefined => {
    const value = given(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) return fail(key, `${key} must be an integer`);
    if (value < min || value > max) return fail(key, `${key} must be between ${min} and ${max}`);
    return value;
  };

  let dbSchemas: string | undefined = POSTGREST_DEFAULTS.db_schemas;
  if (given('db_schemas') !== undefined) {
    const text = nonEmptyString('db_schemas');
    dbSchemas = text === undefined ? undefined : normalizeSchemaList(text, (message) => fail('db_schemas', message));
  }

  let anonRole: string | undefined;
  if (given('db_anon_role') === undefined) {
    fail('db_anon_role', 'db_anon_role is required');
  } else {
    anonRole = nonEmptyString('db_anon_role');
    const problem = anonRole === undefined ? undefined : identifierProblem(anonRole);
    if (problem) anonRole = fail('db_anon_role', `db_anon_role ${problem}`);
  }

  const dbPool = integerIn('db_pool', 1, 30, POSTGREST_DEFAULTS.db_pool);
  const maxRows = integerIn('max_rows', 1, 10_000, POSTGREST_DEFAULTS.max_rows);

  const jwtSecret = nonEmptyString('jwt_secret');
  if (jwtSecret !== undefined && [...jwtSecret].length < MIN_JWT_SECRET_LENGTH) {
    fail('jwt_secret', `jwt_secret must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  const jwtAud = nonEmptyString('jwt_aud');
  const roleClaimKey = nonEmptyString('jwt_role_claim_key');
  const corsOrigins = nonEmptyString('server_cors_allowed_origins');

  if (errors.length > 0 || dbSchemas === undefined || anonRole === undefined || dbPool === undefined || maxRows === undefined) {
    return { fieldErrors: errors, config: undefined };
  }
  const config: PostgrestConfig = { db_schemas: dbSchemas, db_anon_role: anonRole, db_pool: dbPool, max_rows: maxRows };
  if (jwtSecret !== undefined) config.jwt_secret = jwtSecret;
  if (jwtAud !== undefined) config.jwt_aud = jwtAud;
  if (roleClaimKey !== undefined) config.jwt_role_claim_key = roleClaimKey;
  if (corsOrigins !== undefined) config.server_cors_allowed_origins = corsOrigins;
  return { fieldErrors: [], config };
}

function normalizeSchemaList(text: string, fail: (message: string) => undefined): string | undefined {
  const schemas = text.split(',').map((schema) => schema.trim());
  if (schemas.some((schema) => schema === '')) return fail('db_schemas must be a comma-separated list of schema names');
  for (const schema of schemas) {
    const problem = identifierProblem(schema);
    if (problem) return fail(`invalid schema name ${JSON.stringify(schema)} in db_schemas: ${problem}`);
  }
  return [...new Set(schemas)].join(',');
}

export function postgrestSchemas(config: Pick<PostgrestConfig, 'db_schemas'>): string[] {
  return config.db_schemas.split(',');
}

/** What the preflight needs from the cluster; `PostgresRoles` provides both. */
export interface PostgrestPreflightChecks {
  schemaExists(schema: string): Promise<boolean>;
  roleExists(role: string): Promise<boolean>;
}

/**
 * The checks the control plane runs when a PostgREST deploy task starts,
 * here run before anything is granted so they come back as validation errors.
 */
export async function postgrestPreflight(
  checks: PostgrestPreflightChecks,
  config: PostgrestConfig,
  database: string,
  path: readonly string[] = ['input', 'config'],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const schema of postgrestSchemas(config)) {
    if (!(await checks.schemaExists(schema))) {
      errors.push({ path: [...path, 'db_schemas'], message: schemaMissingMessage(schema, database) });
    }
  }
  if (!(await checks.roleExists(config.db_anon_role))) {
    errors.push({ path: [...path, 'db_anon_role'], message: anonRoleMissingMessage(config.db_anon_role) });
  }
  return errors;
}

export interface PostgrestConfOptions {
  host: string;
  port: number;
  database: string;
  /** The authenticator role PostgREST logs in as. */
  connectAs: string;
  config: PostgrestConfig;
}

export const MASKED_PASSWORD = '********';
export const REDACTED = 'redacted';

/** A service config is settings, not data: 16 KB of JSON is ample, and bounds what every read of a service returns. */
export const MAX_CONFIG_BYTES = 16 * 1024;

// Free-form (MCP, RAG) configs have no schema to say which values are
// secret, so names do: these are shown as FREE_FORM_REDACTED.
const SECRET_NAME = /secret|password|token|key/i;
export const FREE_FORM_REDACTED = '[redacted]';

/** A free-form config as it is shown: every value under a secret-looking name (at any depth) redacted. */
export function redactFreeFormConfig(config: Record<string, unknown>): Record<string, unknown> {
  const redact = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
    if (!isPlainObject(value) || depth > 50) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_NAME.test(key) && item !== null && !isPlainObject(item) && !Array.isArray(item) ? FREE_FORM_REDACTED : redact(item, depth + 1)]));
  };
  return redact(config, 0) as Record<string, unknown>;
}

/** An updated free-form config with every value sent back as FREE_FORM_REDACTED replaced by the stored one. */
export function keepRedactedValues(given: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  const keep = (value: unknown, before: unknown, depth: number): unknown => {
    if (!isPlainObject(value) || depth > 50) return value;
    const previous = isPlainObject(before) ? before : {};
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, item === FREE_FORM_REDACTED && SECRET_NAME.test(key) && key in previous ? previous[key] : keep(item, previous[key], depth + 1)]),
    );
  };
  return keep(given, stored, 0) as Record<string, unknown>;
}

/**
 * postgrest.conf for display: the password in db-uri is masked and the JWT
 * secret redacted, because secrets are revealed once, by the mutation that
 * made them, and never rendered again.
 */
export function renderPostgrestConf(options: PostgrestConfOptions): string {
  const { config } = options;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const uri = `postgres://${encodeURIComponent(options.connectAs)}:${MASKED_PASSWORD}@${host}:${options.port}/${encodeURIComponent(options.database)}`;
  const lines = [
    `db-uri = ${confString(uri)}`,
    `db-schemas = ${confString(config.db_schemas)}`,
    `db-anon-role = ${confString(config.db_anon_role)}`,
    `db-pool = ${config.db_pool}`,
    `db-max-rows = ${config.max_rows}`,
  ];
  if (config.jwt_secret !== undefined) lines.push(`jwt-secret = ${confString(REDACTED)}`);
  if (config.jwt_aud !== undefined) lines.push(`jwt-aud = ${confString(config.jwt_aud)}`);
  if (config.jwt_role_claim_key !== undefined) lines.push(`jwt-role-claim-key = ${confString(config.jwt_role_claim_key)}`);
  if (config.server_cors_allowed_origins !== undefined) {
    lines.push(`server-cors-allowed-origins = ${confString(config.server_cors_allowed_origins)}`);
  }
  return `${lines.join('\n')}\n`;
}

// A value such as jwt-role-claim-key `."https://x".role` carries quotes of
// its own; escaping keeps it one value rather than the end of one.
function confString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
