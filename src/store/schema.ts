// The gateway's own store. Every table the design names is here from the
// start so that areas added later only add repositories, never re-shape rows.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

// UUIDv7 ids sort by creation time, so `ORDER BY id` is a stable, index-backed
// order for keyset pagination without a separate sequence column.
/** A new row's id; statement templates pass it themselves (a default function would be called once, when the template is built). */
export const newRowId = (): string => uuidv7();
const id = () => uuid('id').primaryKey().$defaultFn(newRowId);

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

export const USER_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const BACKENDS = ['RETOOL', 'FORGE'] as const;
export type Backend = (typeof BACKENDS)[number];

// CONFLICT: the backend already holds an account for this user that the
// gateway cannot prove it made; nothing is done to it until an admin adopts it.
export const ACCOUNT_STATUSES = ['PENDING', 'ACTIVE', 'DISABLED', 'FAILED', 'CONFLICT'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

// How the gateway came to act on a backend account: it CREATED it (for this
// user, proven), or an admin ADOPTED an account that existed before. Null
// until provisioning has proven one or the other; nothing is ever done to an
// account whose ownership is null beyond the proof itself.
export const ACCOUNT_OWNERSHIPS = ['CREATED', 'ADOPTED'] as const;
export type AccountOwnership = (typeof ACCOUNT_OWNERSHIPS)[number];

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    username: text('username').notNull(),
    displayName: text('display_name'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    status: text('status', { enum: USER_STATUSES }).notNull().default('ACTIVE'),
    // A deleted user is a tombstone: hidden from every read, its credentials
    // refused, its email and username still taken (so old accounts are never
    // re-linked to someone new). `status` is kept for restoreUser.
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    // The caller id (as in the audit log) that deleted it.
    deletedBy: text('deleted_by'),
    // SCIM (docs/scim.md): the identity provider's userName (an email or
    // UPN, unique ignoring case, kept by a tombstone like the email) and its
    // externalId. Null for users the gateway did not get through SCIM; SCIM
    // sees only users that have a userName.
    scimUserName: text('scim_user_name'),
    externalId: text('external_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    uniqueIndex('users_scim_user_name_lower_key').on(sql`lower(${t.scimUserName})`),
    index('users_external_id_idx').on(t.externalId),
    index('users_status_idx').on(t.status, t.id),
  ],
);

export const backendAccounts = pgTable(
  'backend_accounts',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    backend: text('backend', { enum: BACKENDS }).notNull(),
    // The durable external id (Retool: legacy id; Forgejo: numeric user id).
    externalId: text('external_id'),
    // Secondary handle the backend's API addresses the account by
    // (Retool: the `user_…` sid; Forgejo: the login name).
    externalRef: text('external_ref'),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('PENDING'),
    ownership: text('ownership', { enum: ACCOUNT_OWNERSHIPS }),
    // What the gateway wants the account to be; `status` is what was last
    // confirmed. A difference is work for the reconciler (docs/operations.md,
    // "Convergence").
    desiredStatus: text('desired_status', { enum: USER_STATUSES }).notNull().default('ACTIVE'),
    // The generation of the desired state: bumped by every change of it
    // (status now, other fields later), so whoever holds the lease records
    // success only for the generation it worked on (compare-and-set) and goes
    // round again when it moved meanwhile.
    desiredVersion: integer('desired_version').notNull().default(1),
    // The generation the backend last confirmed; equal to desiredVersion once converged.
    confirmedVersion: integer('confirmed_version').notNull().default(0),
    // When the desired state last changed: the age of unconverged work (metrics).
    desiredAt: timestamp('desired_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    // While set and in the future, one gateway instance is working on this
    // account; others skip it. Expires by itself if that instance dies.
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    // Which instance (a random id per process) holds the lease: renewals and
    // outcomes are written only by the holder, so a worker whose lease
    // expired and was taken over never overwrites the newer holder's record.
    leaseOwner: text('lease_owner'),
    // Set once the account was fully provisioned (created or linked, plus any
    // follow-up such as a forge token); null means provisioning is unfinished.
    syncedAt: timestamp('synced_at', { withTimezone: true, mode: 'date' }),
    // The profile (names, email) step: `profile_version` is bumped by every
    // change of the user's profile (desired), `profile_synced_version` is the
    // version last pushed to the backend (confirmed). A difference is work.
    profileVersion: integer('profile_version').notNull().default(0),
    profileSyncedVersion: integer('profile_synced_version').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    unique('backend_accounts_user_backend_key').on(t.userId, t.backend),
    index('backend_accounts_backend_idx').on(t.backend, t.userId),
    index('backend_accounts_due_idx').on(t.nextAttemptAt),
  ],
);

export const secrets = pgTable(
  'secrets',
  {
    id: id(),
    ownerType: text('owner_type').notNull(),
    // Text, not uuid: some owners (OAuth2 providers) have slug ids.
    ownerId: text('owner_id').notNull(),
    purpose: text('purpose').notNull(),
    keyId: text('key_id').notNull(),
    nonce: bytea('nonce').notNull(),
    // AES-256-GCM ciphertext with the 16-byte auth tag appended.
    ciphertext: bytea('ciphertext').notNull(),
    // One-time secrets (a backend account's initial password or token): set
    // when the secret was shown, inline or by its one pickup; never shown again.
    revealedAt: timestamp('revealed_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [unique('secrets_owner_purpose_key').on(t.ownerType, t.ownerId, t.purpose)],
);

export const DATABASE_USER_STATUSES = ['ACTIVE', 'DISABLED'] as const;

export const DATABASE_USER_OWNERSHIPS = ['CREATED', 'ADOPTED'] as const;
export type DatabaseUserOwnership = (typeof DATABASE_USER_OWNERSHIPS)[number];

export const databaseUsers = pgTable(
  'database_users',
  {
    id: id(),
    username: text('username').notNull().unique('database_users_username_key'),
    dbOwner: boolean('db_owner').notNull().default(false),
    attributes: jsonb('attributes').$type<string[]>().notNull().default([]),
    roles: jsonb('roles').$type<string[]>().notNull().default([]),
    status: text('status', { enum: DATABASE_USER_STATUSES }).notNull().default('ACTIVE'),
    // CREATED: the gateway created the role (only such a role may ever be
    // dropped by it). ADOPTED: the role existed and an admin adopted it.
    // The default is the safe one: a row written without saying is never dropped.
    ownership: text('ownership', { enum: DATABASE_USER_OWNERSHIPS }).notNull().default('ADOPTED'),
    // pg_roles.oid of the role when created or adopted: a role of the same
    // name made later by someone else is not the gateway's to touch. Null
    // for rows older than this column until their next write pins it.
    roleOid: bigint('role_oid', { mode: 'number' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('database_users_one_owner_key').on(t.dbOwner).where(sql`${t.dbOwner}`)],
);

export const SERVICE_TYPES = ['MCP', 'POSTGREST', 'RAG'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const services = pgTable(
  'services',
  {
    id: id(),
    serviceId: text('service_id').notNull().unique('services_service_id_key'),
    type: text('type', { enum: SERVICE_TYPES }).notNull(),
    version: text('version').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    connectAsId: uuid('connect_as_id')
      .notNull()
      .references(() => databaseUsers.id, { onDelete: 'restrict' }),
    ...timestamps,
  },
  (t) => [index('services_connect_as_idx').on(t.connectAsId), index('services_type_idx').on(t.type, t.id)],
);

export const SERVICE_GRANT_KINDS = ['CONNECT', 'ROLE', 'NOINHERIT'] as const;

// The grants the gateway itself made for a service, so that deleting the
// service revokes exactly those and nothing an operator granted by hand.
export const serviceGrants = pgTable(
  'service_grants',
  {
    id: id(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: SERVICE_GRANT_KINDS }).notNull(),
    // Database name for CONNECT, role name for ROLE, the grantee itself for
    // NOINHERIT (the attribute a PostgREST authenticator gets).
    target: text('target').notNull(),
    grantee: text('grantee').notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [unique('service_grants_key').on(t.serviceId, t.kind, t.target, t.grantee)],
);

export const OAUTH2_PROVIDER_KINDS = ['generic_oidc', 'github', 'gitlab', 'google', 'dropbox', 'zenodo'] as const;

export const oauth2Providers = pgTable('oauth2_providers', {
  // A slug chosen by the admin.
  id: text('id').primaryKey(),
  kind: text('kind', { enum: OAUTH2_PROVIDER_KINDS }).notNull(),
  clientId: text('client_id').notNull(),
  displayName: text('display_name').notNull(),
  scope: text('scope').notNull().default(''),
  issuer: text('issuer'),
  authorizationEndpoint: text('authorization_endpoint'),
  tokenEndpoint: text('token_endpoint'),
  revocationEndpoint: text('revocation_endpoint'),
  usePkce: boolean('use_pkce').notNull().default(true),
  ...timestamps,
});

export const OAUTH2_CONNECTION_STATUSES = ['PENDING', 'CONNECTED'] as const;

export const oauth2Connections = pgTable(
  'oauth2_connections',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    providerId: text('provider_id')
      .notNull()
      .references(() => oauth2Providers.id, { onDelete: 'cascade' }),
    status: text('status', { enum: OAUTH2_CONNECTION_STATUSES }).notNull().default('PENDING'),
    // SHA-256 (hex) of the one-time state of the authorization in flight
    // (the first one, or a re-authorization of a CONNECTED connection): the
    // state itself is a bearer credential for the callback and never stored.
    // `state_expires_at` is cleared when a callback claims it, and the hash
    // when that authorization completes.
    stateHash: text('state').unique('oauth2_connections_state_key'),
    stateExpiresAt: timestamp('state_expires_at', { withTimezone: true, mode: 'date' }),
    returnTo: text('return_to'),
    ...timestamps,
  },
  (t) => [
    unique('oauth2_connections_user_provider_key').on(t.userId, t.providerId),
    index('oauth2_connections_provider_idx').on(t.providerId, t.status),
  ],
);

export const resourcePools = pgTable(
  'resource_pools',
  {
    id: id(),
    name: text('name').notNull().unique('resource_pools_name_key'),
    public: boolean('public').notNull().default(false),
    isDefault: boolean('is_default').notNull().default(false),
    quota: jsonb('quota').$type<{ cpu: number; memory: number; gpu: number }>(),
    remoteKind: text('remote_kind'),
    providerId: text('provider_id').references(() => oauth2Providers.id, { onDelete: 'restrict' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('resource_pools_one_default_key').on(t.isDefault).where(sql`${t.isDefault}`),
    index('resource_pools_provider_idx').on(t.providerId),
  ],
);

// Every provider a pool is linked to: `resource_pools.provider_id` (the
// spec's `remote.provider_id`, shown as `provider`) plus any further ones, so
// that a pool can be reached through more than one provider. Access rules
// read only this table; the primary provider always has a row here too.
export const resourcePoolProviders = pgTable(
  'resource_pool_providers',
  {
    poolId: uuid('pool_id')
      .notNull()
      .references(() => resourcePools.id, { onDelete: 'cascade' }),
    providerId: text('provider_id')
      .notNull()
      .references(() => oauth2Providers.id, { onDelete: 'restrict' }),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.poolId, t.providerId] }), index('resource_pool_providers_provider_idx').on(t.providerId, t.poolId)],
);

export const VIEWER_SOURCES = ['oauth2', 'manual'] as const;

export const resourcePoolViewers = pgTable(
  'resource_pool_viewers',
  {
    id: id(),
    poolId: uuid('pool_id')
      .notNull()
      .references(() => resourcePools.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text('source', { enum: VIEWER_SOURCES }).notNull(),
    // The provider an `oauth2` grant came from; null for manual grants.
    providerId: text('provider_id').references(() => oauth2Providers.id, { onDelete: 'cascade' }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    unique('resource_pool_viewers_key').on(t.poolId, t.userId, t.source, t.providerId).nullsNotDistinct(),
    index('resource_pool_viewers_user_idx').on(t.userId, t.poolId),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    // Who used the key: keys are scoped per caller, as Stripe does.
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    operation: text('operation').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: ['IN_PROGRESS', 'DONE'] }).notNull().default('IN_PROGRESS'),
    response: jsonb('response'),
    createdAt: timestamps.createdAt,
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    operation: text('operation').notNull(),
    targetIds: jsonb('target_ids').$type<string[]>().notNull().default([]),
    outcome: text('outcome').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_events_operation_idx').on(t.operation, t.id)],
);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  name: text('name').notNull(),
  // SHA-256 of the token; the token itself is shown once and never stored.
  tokenHash: text('token_hash').notNull().unique('api_tokens_token_hash_key'),
  scopes: jsonb('scopes').$type<string[]>().notNull().default([]),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamps.createdAt,
});

export type UserRow = typeof users.$inferSelect;
export type BackendAccountRow = typeof backendAccounts.$inferSelect;
export type SecretRow = typeof secrets.$inferSelect;
export type DatabaseUserRow = typeof databaseUsers.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
export type ServiceGrantRow = typeof serviceGrants.$inferSelect;
export type OAuth2ProviderRow = typeof oauth2Providers.$inferSelect;
export type OAuth2ConnectionRow = typeof oauth2Connections.$inferSelect;
export type ResourcePoolRow = typeof resourcePools.$inferSelect;
export type ResourcePoolViewerRow = typeof resourcePoolViewers.$inferSelect;
export type ResourcePoolProviderRow = typeof resourcePoolProviders.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
