import { describe, expect, it } from 'vitest';
import {
  anonRoleMissingMessage,
  type PostgrestConfig,
  postgrestPreflight,
  renderPostgrestConf,
  type ServiceInput,
  type ServiceRuleContext,
  schemaMissingMessage,
  validateService,
} from '../../src/domain/service-rules.ts';

const context: ServiceRuleContext = { databaseUsers: ['app_reader', 'authenticator'] };

function postgrest(overrides: Partial<ServiceInput> = {}): ServiceInput {
  return {
    serviceId: 'orders-api',
    type: 'POSTGREST',
    version: '12.2',
    connectAs: 'authenticator',
    config: { db_anon_role: 'web_anon' },
    ...overrides,
  };
}

describe('validateService', () => {
  it('accepts a PostgREST service and fills in the defaults', () => {
    expect(validateService(postgrest(), context)).toEqual({
      fieldErrors: [],
      normalizedConfig: { db_schemas: 'public', db_anon_role: 'web_anon', db_pool: 10, max_rows: 1000 },
    });
  });

  it('keeps every PostgREST setting that is given', () => {
    const config = {
      db_schemas: ' api , public,api',
      db_anon_role: 'web_anon',
      db_pool: 30,
      max_rows: 10_000,
      jwt_secret: 'x'.repeat(32),
      jwt_aud: 'orders',
      jwt_role_claim_key: '.role',
      server_cors_allowed_origins: 'https://app.example.com',
    };

    expect(validateService(postgrest({ config }), context)).toEqual({
      fieldErrors: [],
      normalizedConfig: { ...config, db_schemas: 'api,public' },
    });
  });

  it.each([
    { serviceId: '', message: 'service_id is required' },
    { serviceId: 'a'.repeat(37), message: 'service_id must be at most 36 characters' },
    { serviceId: 'Orders', message: 'service_id may contain only lowercase letters, digits and hyphens' },
    { serviceId: 'orders_api', message: 'service_id may contain only lowercase letters, digits and hyphens' },
    { serviceId: '-orders', message: 'service_id must not start or end with a hyphen' },
    { serviceId: 'orders-', message: 'service_id must not start or end with a hyphen' },
    { serviceId: 'orders--api', message: 'service_id must not contain a double hyphen' },
  ])('rejects service_id "$serviceId": $message', ({ serviceId, message }) => {
    expect(validateService(postgrest({ serviceId }), context).fieldErrors).toEqual([{ path: ['input', 'serviceId'], message }]);
  });

  it('accepts service ids of 1 and 36 characters', () => {
    expect(validateService(postgrest({ serviceId: 'a' }), context).fieldErrors).toEqual([]);
    expect(validateService(postgrest({ serviceId: `a1-${'b'.repeat(33)}` }), context).fieldErrors).toEqual([]);
  });

  it.each(['1.0', '1.0.0', '12.2.3', 'latest'])('accepts version %s', (version) => {
    expect(validateService(postgrest({ version }), context).fieldErrors).toEqual([]);
  });

  it.each(['1', 'v1.0', '1.0.0.0', '1.0-beta', 'Latest', ''])('rejects version "%s"', (version) => {
    expect(validateService(postgrest({ version }), context).fieldErrors).toEqual([
      { path: ['input', 'version'], message: "version must be in semver format (e.g., '1.0.0') or 'latest'" },
    ]);
  });

  it.each(['MCP', 'POSTGREST', 'RAG'])('requires connect_as for a %s service', (type) => {
    for (const connectAs of [undefined, null, '']) {
      expect(validateService(postgrest({ type, connectAs, config: {} }), context).fieldErrors).toContainEqual({
        path: ['input', 'connectAs'],
        message: 'connect_as is required',
      });
    }
  });

  it('requires connect_as to equal an existing database user, case and all', () => {
    expect(validateService(postgrest({ connectAs: 'Authenticator' }), context).fieldErrors).toEqual([
      { path: ['input', 'connectAs'], message: 'connect_as "Authenticator" does not match any database_users entry' },
    ]);
  });

  it('looks database users up through a list, a set or a function alike', () => {
    const asked: string[] = [];
    const lookup = (name: string) => {
      asked.push(name);
      return name === 'authenticator';
    };

    expect(validateService(postgrest(), { databaseUsers: new Set(['authenticator']) }).fieldErrors).toEqual([]);
    expect(validateService(postgrest(), { databaseUsers: lookup }).fieldErrors).toEqual([]);
    expect(asked).toEqual(['authenticator']);
    expect(validateService(postgrest(), { databaseUsers: [] }).fieldErrors).toEqual([
      { path: ['input', 'connectAs'], message: 'connect_as "authenticator" does not match any database_users entry' },
    ]);
  });

  it('rejects an unknown service type', () => {
    expect(validateService(postgrest({ type: 'GRAPHQL' }), context).fieldErrors).toEqual([
      { path: ['input', 'type'], message: 'unsupported service type "GRAPHQL"' },
    ]);
  });

  it('passes MCP and RAG config through untouched, but it must be an object', () => {
    const config = { allow_writes: false, anything: ['goes'] };

    expect(validateService(postgrest({ type: 'MCP', config }), context)).toEqual({ fieldErrors: [], normalizedConfig: config });
    expect(validateService(postgrest({ type: 'RAG', config: undefined }), context)).toEqual({ fieldErrors: [], normalizedConfig: {} });
    expect(validateService(postgrest({ type: 'RAG', config: ['x'] }), context).fieldErrors).toEqual([
      { path: ['input', 'config'], message: 'config must be an object' },
    ]);
  });
});

describe('PostgREST config', () => {
  const errorsFor = (config: Record<string, unknown>) => validateService(postgrest({ config }), context).fieldErrors;

  it('accepts only known keys', () => {
    expect(errorsFor({ db_anon_role: 'web_anon', db_uri: 'postgres://x', 'server-port': 3000 })).toEqual([
      { path: ['input', 'config', 'db_uri'], message: 'unknown config key "db_uri"' },
      { path: ['input', 'config', 'server-port'], message: 'unknown config key "server-port"' },
    ]);
  });

  it('requires db_anon_role, as a usable role name', () => {
    expect(errorsFor({})).toEqual([{ path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role is required' }]);
    expect(errorsFor({ db_anon_role: null })).toEqual([{ path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role is required' }]);
    expect(errorsFor({ db_anon_role: '' })).toEqual([{ path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role must not be empty' }]);
    expect(errorsFor({ db_anon_role: 7 })).toEqual([{ path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role must be a string' }]);
    expect(errorsFor({ db_anon_role: 'a'.repeat(64) })).toEqual([
      { path: ['input', 'config', 'db_anon_role'], message: 'db_anon_role must be at most 63 bytes' },
    ]);
  });

  it.each([
    { key: 'db_pool', value: 0, message: 'db_pool must be between 1 and 30' },
    { key: 'db_pool', value: 31, message: 'db_pool must be between 1 and 30' },
    { key: 'db_pool', value: 5.5, message: 'db_pool must be an integer' },
    { key: 'db_pool', value: '10', message: 'db_pool must be an integer' },
    { key: 'max_rows', value: 0, message: 'max_rows must be between 1 and 10000' },
    { key: 'max_rows', value: 10_001, message: 'max_rows must be between 1 and 10000' },
    { key: 'jwt_secret', value: 'x'.repeat(31), message: 'jwt_secret must be at least 32 characters' },
    { key: 'jwt_secret', value: 42, message: 'jwt_secret must be a string' },
    { key: 'jwt_aud', value: '', message: 'jwt_aud must not be empty' },
    { key: 'jwt_role_claim_key', value: ' ', message: 'jwt_role_claim_key must not be empty' },
    { key: 'server_cors_allowed_origins', value: ['https://a.example'], message: 'server_cors_allowed_origins must be a string' },
    { key: 'db_schemas', value: '', message: 'db_schemas must not be empty' },
    { key: 'db_schemas', value: 'api,,public', message: 'db_schemas must be a comma-separated list of schema names' },
  ])('rejects $key = $value', ({ key, value, message }) => {
    expect(errorsFor({ db_anon_role: 'web_anon', [key]: value })).toEqual([{ path: ['input', 'config', key], message }]);
  });

  it('reports every config problem at once, with no normalised config to store', () => {
    const result = validateService(postgrest({ config: { db_pool: 0, max_rows: 'many', extra: true } }), context);

    expect(result.fieldErrors.map((error) => error.path.at(-1))).toEqual(['extra', 'db_anon_role', 'db_pool', 'max_rows']);
  });
});

describe('PostgREST preflight', () => {
  const config: PostgrestConfig = { db_schemas: 'api,public,reports', db_anon_role: 'web_anon', db_pool: 10, max_rows: 1000 };

  it('words its messages as the control plane does', () => {
    expect(schemaMissingMessage('api', 'orders')).toBe('schema "api" does not exist in database "orders"; create it before deploying PostgREST');
    expect(anonRoleMissingMessage('web_anon')).toBe('role "web_anon" does not exist on the Postgres cluster; create it before deploying PostgREST');
  });

  it('reports each missing schema and a missing anon role as field errors', async () => {
    const errors = await postgrestPreflight(
      { schemaExists: async (schema) => schema === 'public', roleExists: async () => false },
      config,
      'orders',
    );

    expect(errors).toEqual([
      { path: ['input', 'config', 'db_schemas'], message: schemaMissingMessage('api', 'orders') },
      { path: ['input', 'config', 'db_schemas'], message: schemaMissingMessage('reports', 'orders') },
      { path: ['input', 'config', 'db_anon_role'], message: anonRoleMissingMessage('web_anon') },
    ]);
  });

  it('passes when everything exists', async () => {
    expect(await postgrestPreflight({ schemaExists: async () => true, roleExists: async () => true }, config, 'orders')).toEqual([]);
  });
});

describe('renderPostgrestConf', () => {
  it('renders postgrest.conf with the password masked and the JWT secret redacted', () => {
    const jwtSecret = 'super-secret-signing-key-0123456789';
    const text = renderPostgrestConf({
      host: 'db.internal',
      port: 5432,
      database: 'orders',
      connectAs: 'authenticator',
      config: {
        db_schemas: 'api,public',
        db_anon_role: 'web_anon',
        db_pool: 10,
        max_rows: 1000,
        jwt_secret: jwtSecret,
        jwt_aud: 'orders',
        jwt_role_claim_key: '."https://example.com/claims".role',
        server_cors_allowed_origins: 'https://app.example.com',
      },
    });

    expect(text).toBe(
      [
        'db-uri = "postgres://authenticator:********@db.internal:5432/orders"',
        'db-schemas = "api,public"',
        'db-anon-role = "web_anon"',
        'db-pool = 10',
        'db-max-rows = 1000',
        'jwt-secret = "redacted"',
        'jwt-aud = "orders"',
        'jwt-role-claim-key = ".\\"https://example.com/claims\\".role"',
        'server-cors-allowed-origins = "https://app.example.com"',
        '',
      ].join('\n'),
    );
    expect(text).not.toContain(jwtSecret);
  });

  it('leaves out unset JWT settings and encodes names that are not URI-safe', () => {
    const text = renderPostgrestConf({
      host: '::1',
      port: 6432,
      database: 'my db',
      connectAs: 'svc@orders',
      config: { db_schemas: 'public', db_anon_role: 'anon', db_pool: 5, max_rows: 50 },
    });

    expect(text).toBe(
      [
        'db-uri = "postgres://svc%40orders:********@[::1]:6432/my%20db"',
        'db-schemas = "public"',
        'db-anon-role = "anon"',
        'db-pool = 5',
        'db-max-rows = 50',
        '',
      ].join('\n'),
    );
  });
});
