/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation OwnershipCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        user { id }\n        accounts { backend status ownership lastError nextAttemptAt }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.OwnershipCreateUserDocument,
    "\n  mutation OwnershipDisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status ownership } }\n    }\n  }\n": typeof types.OwnershipDisableUserDocument,
    "\n  mutation OwnershipRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership lastError } secrets { backend kind value } }\n    }\n  }\n": typeof types.OwnershipRetryDocument,
    "\n  mutation OwnershipAdopt($input: AdoptAccountInput!) {\n    adoptAccount(input: $input) {\n      __typename\n      ... on AdoptAccountPayload { account { backend status ownership externalId } secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n": typeof types.OwnershipAdoptDocument,
    "\n  mutation OwnershipRelease($userId: ID!, $backend: Backend!) {\n    releaseAccount(input: { userId: $userId, backend: $backend }) {\n      __typename\n      ... on ReleaseAccountPayload { user { accounts { backend } } account { backend ownership } }\n      ... on Error { message }\n    }\n  }\n": typeof types.OwnershipReleaseDocument,
    "\n  mutation OwnershipSync($backend: Backend!, $dryRun: Boolean) {\n    syncBackend(input: { backend: $backend, dryRun: $dryRun }) {\n      __typename\n      ... on SyncBackendPayload { dryRun linked created unchanged skippedAdmins skippedMismatches failed }\n    }\n  }\n": typeof types.OwnershipSyncDocument,
    "\n  query OwnershipEvents($operation: String!) {\n    auditEvents(filter: { operation: $operation }, last: 5) { edges { node { actor operation outcome targetIds } } }\n  }\n": typeof types.OwnershipEventsDocument,
    "\n  mutation OwnershipToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n": typeof types.OwnershipTokenDocument,
    "\n  mutation AuditCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { value } }\n    }\n  }\n": typeof types.AuditCreateUserDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $last: Int) {\n    auditEvents(filter: $filter, last: $last) {\n      totalCount\n      edges { node { id actor operation targetIds outcome details at } }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query AuditEventNode($id: ID!) {\n    node(id: $id) { __typename ... on AuditEvent { operation } }\n  }\n": typeof types.AuditEventNodeDocument,
    "\n  query BackendHealth {\n    backends { name status message checkedAt }\n  }\n": typeof types.BackendHealthDocument,
    "\n  mutation HealthCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on CreateUserPayload { accounts { backend status lastError } } }\n  }\n": typeof types.HealthCreateUserDocument,
    "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged skippedAdmins failed }\n      ... on Error { message }\n    }\n  }\n": typeof types.SyncBackendDocument,
    "\n  mutation SyncBackendFailure($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on BackendError { backend retryable }\n    }\n  }\n": typeof types.SyncBackendFailureDocument,
    "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n": typeof types.ImportedUserDocument,
    "\n  mutation BulkCreateUsers($input: CreateUsersInput!) {\n    createUsers(input: $input) {\n      __typename\n      ... on CreateUsersPayload {\n        created\n        existing\n        failed\n        results {\n          __typename\n          ... on CreateUserPayload { created user { id email } accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n          ... on ValidationError { fieldErrors { path message } }\n          ... on Error { message }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.BulkCreateUsersDocument,
    "\n  mutation ConvergeCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id }\n        accounts { backend status desiredStatus converged }\n        secrets { backend kind value }\n        pendingSecrets { backend kind }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConvergeCreateDocument,
    "\n  mutation ConvergeFlip($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n  }\n": typeof types.ConvergeFlipDocument,
    "\n  mutation ConvergeReveal($userId: ID!) {\n    revealAccountSecrets(input: { userId: $userId }) {\n      __typename\n      ... on RevealAccountSecretsPayload { secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConvergeRevealDocument,
    "\n  mutation ConvergeRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { accounts { backend status converged } secrets { kind } pendingSecrets { kind } }\n    }\n  }\n": typeof types.ConvergeRetryDocument,
    "\n  mutation CountedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n": typeof types.CountedCreateUserDocument,
    "\n  mutation CredentialsCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name scopes user { id } revokedAt } }\n      ... on Error { message }\n    }\n  }\n": typeof types.CredentialsCreateTokenDocument,
    "\n  mutation CredentialsRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n    }\n  }\n": typeof types.CredentialsRevokeTokenDocument,
    "\n  query CredentialsCountUsers {\n    users(first: 1) { totalCount }\n  }\n": typeof types.CredentialsCountUsersDocument,
    "\n  query CredentialsViewer {\n    viewer { id email accounts { backend status } }\n  }\n": typeof types.CredentialsViewerDocument,
    "\n  query CredentialsNodeUser($id: ID!) {\n    node(id: $id) { id ... on User { email accounts { backend } } }\n  }\n": typeof types.CredentialsNodeUserDocument,
    "\n  mutation CredentialsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id email } }\n    }\n  }\n": typeof types.CredentialsCreateUserDocument,
    "\n  mutation CredentialsConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) { __typename }\n  }\n": typeof types.CredentialsConnectDocument,
    "\n  mutation CredentialsDisconnect($id: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $id }) { __typename }\n  }\n": typeof types.CredentialsDisconnectDocument,
    "\n  query CredentialsMyConnections {\n    viewer { oauth2Connections { id status } }\n  }\n": typeof types.CredentialsMyConnectionsDocument,
    "\n  query CredentialsNodesOfUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { email } }\n  }\n": typeof types.CredentialsNodesOfUsersDocument,
    "\n  query CredentialsNodesOfPools($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on ResourcePool { name } }\n  }\n": typeof types.CredentialsNodesOfPoolsDocument,
    "\n  query CredentialsMyPools {\n    viewer { resourcePools(first: 10) { edges { node { name } } } }\n  }\n": typeof types.CredentialsMyPoolsDocument,
    "\n  query CredentialsMyPoolsViewers {\n    viewer { resourcePools(first: 10) { edges { node { name viewers(first: 10) { edges { node { __typename user { email } } } } } } } }\n  }\n": typeof types.CredentialsMyPoolsViewersDocument,
    "\n  mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload {\n        password\n        roleCreated\n        databaseUser { id username dbOwner attributes roles status roleCreated services { serviceId } }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on BackendError { retryable }\n    }\n  }\n": typeof types.CreateDatabaseUserDocument,
    "\n  mutation EnableDatabaseUser($id: ID!) {\n    enableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on EnableDatabaseUserPayload { databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.EnableDatabaseUserDocument,
    "\n  mutation DisableDatabaseUser($id: ID!) {\n    disableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on DisableDatabaseUserPayload { sessionsTerminated databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.DisableDatabaseUserDocument,
    "\n  mutation DeleteDatabaseUser($id: ID!, $dropRole: Boolean) {\n    deleteDatabaseUser(input: { id: $id, dropRole: $dropRole }) {\n      __typename\n      ... on DeleteDatabaseUserPayload { deletedDatabaseUserId roleDropped }\n      ... on Error { message }\n    }\n  }\n": typeof types.DeleteDatabaseUserDocument,
    "\n  mutation CreateMcpService($serviceId: String!, $connectAs: String!) {\n    createService(input: { serviceId: $serviceId, type: MCP, version: \"1.0\", connectAs: $connectAs }) {\n      __typename\n      ... on CreateServicePayload { service { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.CreateMcpServiceDocument,
    "\n  mutation DeleteServiceForUser($id: ID!) {\n    deleteService(input: { id: $id }) { __typename }\n  }\n": typeof types.DeleteServiceForUserDocument,
    "\n  query DatabaseUsersPage($first: Int, $after: String) {\n    databaseUsers(first: $first, after: $after) {\n      totalCount\n      edges { node { id username status } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.DatabaseUsersPageDocument,
    "\n  query DatabaseUserNode($id: ID!) {\n    node(id: $id) { __typename id ... on DatabaseUser { username status } }\n  }\n": typeof types.DatabaseUserNodeDocument,
    "\n  mutation AdoptDatabaseUser($input: AdoptDatabaseUserInput!) {\n    adoptDatabaseUser(input: $input) {\n      __typename\n      ... on AdoptDatabaseUserPayload { ownership databaseUser { id username status ownership roleCreated attributes roles } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.AdoptDatabaseUserDocument,
    "\n  mutation ReleaseDatabaseUser($id: ID!) {\n    releaseDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on ReleaseDatabaseUserPayload { releasedDatabaseUserId ownership }\n      ... on Error { message }\n    }\n  }\n": typeof types.ReleaseDatabaseUserDocument,
    "\n  query AdoptionEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 10) {\n      edges { node { actor operation outcome targetIds details } }\n    }\n  }\n": typeof types.AdoptionEventsDocument,
    "\n  query LockoutViewer {\n    viewer { id status }\n  }\n": typeof types.LockoutViewerDocument,
    "\n  query LockoutCountUsers {\n    users(first: 1) { totalCount }\n  }\n": typeof types.LockoutCountUsersDocument,
    "\n  mutation LockoutDisable($id: ID!) {\n    disableUser(input: { id: $id }) { __typename }\n  }\n": typeof types.LockoutDisableDocument,
    "\n  mutation LockoutEnable($id: ID!) {\n    enableUser(input: { id: $id }) { __typename }\n  }\n": typeof types.LockoutEnableDocument,
    "\n  mutation LockoutCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n": typeof types.LockoutCreateTokenDocument,
    "\n  mutation LockoutRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) { __typename }\n  }\n": typeof types.LockoutRevokeTokenDocument,
    "mutation LockoutCreateUser { createUser(input: { email: \"locked@example.com\", username: \"locked\" }) { __typename } }": typeof types.LockoutCreateUserDocument,
    "\n  query LockoutPoolViewerCount($id: ID!) {\n    node(id: $id) { ... on ResourcePool { viewers(first: 10) { totalCount } } }\n  }\n": typeof types.LockoutPoolViewerCountDocument,
    "\n  mutation IdempotentCreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.IdempotentCreateUserDocument,
    "\n  mutation IdempotentCreateToken($key: String!) {\n    createApiToken(input: { name: \"replayed\", scopes: [READ] }, idempotencyKey: $key) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n": typeof types.IdempotentCreateTokenDocument,
    "\n  mutation IdempotentCreateNamedToken($name: String!) {\n    createApiToken(input: { name: $name, scopes: [READ] }) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name } }\n      ... on Error { message }\n    }\n  }\n": typeof types.IdempotentCreateNamedTokenDocument,
    "\n  mutation IdempotentConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) {\n      __typename\n      ... on Error { message }\n    }\n  }\n": typeof types.IdempotentConnectDocument,
    "\n  mutation IdempotentCreateUserToken($userId: ID!) {\n    createApiToken(input: { name: \"self\", scopes: [], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": typeof types.IdempotentCreateUserTokenDocument,
    "\n  mutation IdempotentEnableUser($id: ID!) {\n    enableUser(input: { id: $id }) { __typename ... on Error { message } }\n  }\n": typeof types.IdempotentEnableUserDocument,
    "\n  mutation LimitsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename }\n  }\n": typeof types.LimitsCreateUserDocument,
    "\n  mutation FlowDeleteProvider($id: ID!) {\n    deleteOAuth2Provider(input: { id: $id }) {\n      __typename\n      ... on DeleteOAuth2ProviderPayload { deletedProviderId }\n      ... on Error { message }\n    }\n  }\n": typeof types.FlowDeleteProviderDocument,
    "\n  mutation TxDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) { __typename }\n  }\n": typeof types.TxDisconnectDocument,
    "\n  mutation TxCreatePool($name: String!, $providerId: ID!) {\n    createResourcePool(input: { name: $name, providerId: $providerId }) { __typename }\n  }\n": typeof types.TxCreatePoolDocument,
    "\n  mutation SsrfUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { issuer } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SsrfUpdateProviderDocument,
    "\n  mutation SsrfConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on BackendError { message backend retryable }\n      ... on Error { message }\n    }\n  }\n": typeof types.SsrfConnectDocument,
    "\n  mutation SsrfCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": typeof types.SsrfCreateTokenDocument,
    "\n  query SsrfProviders {\n    oauth2Providers { slug issuer tokenEndpoint }\n  }\n": typeof types.SsrfProvidersDocument,
    "\n  mutation ObservedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { kind value } }\n    }\n  }\n": typeof types.ObservedCreateUserDocument,
    "\n  mutation ObservedCreateToken {\n    createApiToken(input: { name: \"observed\", scopes: [READ, AUTOMATION] }) {\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": typeof types.ObservedCreateTokenDocument,
    "\n  mutation ObservedCreateProvider($secret: String!) {\n    createOAuth2Provider(\n      input: { slug: \"observed-idp\", kind: GENERIC_OIDC, clientId: \"observed-client\", clientSecret: $secret, displayName: \"Observed\", issuer: \"https://idp.example\" }\n    ) { __typename }\n  }\n": typeof types.ObservedCreateProviderDocument,
    "\n  query ObservedUsers {\n    users(first: 5) { totalCount edges { node { email accounts { backend status } } } }\n  }\n": typeof types.ObservedUsersDocument,
    "\n  mutation ProvenCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership lastError } secrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ProvenCreateUserDocument,
    "\n  mutation ProvenRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership } }\n    }\n  }\n": typeof types.ProvenRetryDocument,
    "\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n": typeof types.CreateForRaceDocument,
    "\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n": typeof types.RetryRaceDocument,
    "\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n": typeof types.FaultyCreateDocument,
    "\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n": typeof types.RetryAfterFaultDocument,
    "\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n": typeof types.CreateWithSecretsDocument,
    "\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n": typeof types.RetryForSecretsDocument,
    "\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ProvisionUserDocument,
    "\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n": typeof types.SetStatusDocument,
    "\n  mutation ConcurrencyCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename }\n  }\n": typeof types.ConcurrencyCreateApiTokenDocument,
    "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n": typeof types.UsersWithAccountsDocument,
    "\n  query UsersWithAccountsAndPools($first: Int!) {\n    users(first: $first) {\n      edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } }\n    }\n  }\n": typeof types.UsersWithAccountsAndPoolsDocument,
    "\n  mutation PoolsUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { slug clientSecret displayName issuer tokenEndpoint } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.PoolsUpdateProviderDocument,
    "\n  query PoolsProviders {\n    oauth2Providers { id slug kind clientId clientSecret displayName scope issuer usePkce }\n  }\n": typeof types.PoolsProvidersDocument,
    "\n  query PoolsProviderNode($id: ID!) {\n    node(id: $id) { __typename ... on OAuth2Provider { slug displayName } }\n  }\n": typeof types.PoolsProviderNodeDocument,
    "\n  mutation PoolsRevokeViewer($poolId: ID!, $userId: ID!) {\n    revokeResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on RevokeResourcePoolViewerPayload { revoked resourcePool { name } user { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.PoolsRevokeViewerDocument,
    "\n  mutation PoolsDeletePool($id: ID!) {\n    deleteResourcePool(input: { id: $id }) {\n      __typename\n      ... on DeleteResourcePoolPayload { deletedResourcePoolId }\n      ... on Error { message }\n    }\n  }\n": typeof types.PoolsDeletePoolDocument,
    "\n  query PoolsPage($first: Int, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      totalCount\n      edges { node { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PoolsPageDocument,
    "\n  query PoolsPoolDetails($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        name public default remoteKind quota { cpu memory gpu }\n        provider { slug }\n        viewers(first: 10) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n": typeof types.PoolsPoolDetailsDocument,
    "\n  query PoolsWithViewers($first: Int!, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      edges { node { name providers { slug } viewers(first: 5) { totalCount edges { node { user { id } grants { source } } } } } }\n    }\n  }\n": typeof types.PoolsWithViewersDocument,
    "\n  query PoolsUserPools($id: ID!, $first: Int, $last: Int, $after: String) {\n    node(id: $id) {\n      ... on User {\n        resourcePools(first: $first, last: $last, after: $after) {\n          totalCount\n          edges { node { id } }\n          pageInfo { hasNextPage hasPreviousPage endCursor }\n        }\n      }\n    }\n  }\n": typeof types.PoolsUserPoolsDocument,
    "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n": typeof types.CreateForWorkerDocument,
    "\n  query ServicesWithConnectAs($first: Int!) {\n    services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }\n  }\n": typeof types.ServicesWithConnectAsDocument,
    "\n  mutation CreateUserForService($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload { databaseUser { id username } }\n      ... on Error { message }\n    }\n  }\n": typeof types.CreateUserForServiceDocument,
    "\n  mutation CreateService($input: CreateServiceInput!) {\n    createService(input: $input) {\n      __typename\n      ... on CreateServicePayload {\n        service { id serviceId type version config postgrestConfig connectAs { username services { serviceId } } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateServiceDocument,
    "\n  mutation UpdateService($input: UpdateServiceInput!) {\n    updateService(input: $input) {\n      __typename\n      ... on UpdateServicePayload {\n        service { id version config connectAs { username } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdateServiceDocument,
    "\n  mutation DeleteService($id: ID!) {\n    deleteService(input: { id: $id }) {\n      __typename\n      ... on DeleteServicePayload { deletedServiceId grantsRevoked { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n": typeof types.DeleteServiceDocument,
    "\n  query ServicesPage($first: Int, $type: ServiceType) {\n    services(first: $first, type: $type) {\n      totalCount\n      edges { node { serviceId type } }\n    }\n  }\n": typeof types.ServicesPageDocument,
    "\n  query ServiceNode($id: ID!) {\n    node(id: $id) { __typename id ... on Service { serviceId postgrestConfig } }\n  }\n": typeof types.ServiceNodeDocument,
    "\n  query ServicesCursorPage($first: Int, $after: String, $last: Int, $before: String, $type: ServiceType) {\n    services(first: $first, after: $after, last: $last, before: $before, type: $type) {\n      edges { node { serviceId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.ServicesCursorPageDocument,
    "\n  mutation RepairService($id: ID!) {\n    repairService(input: { id: $id }) {\n      __typename\n      ... on RepairServicePayload { grantsMade { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n": typeof types.RepairServiceDocument,
    "\n  mutation OutageMintToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n": typeof types.OutageMintTokenDocument,
    "\n  query OutageCount { users(first: 1) { totalCount } }\n": typeof types.OutageCountDocument,
    "\n  mutation ProfileCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ProfileCreateUserDocument,
    "\n  mutation ProfileUpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserPayload {\n        user { id email username displayName firstName lastName }\n        accounts { backend outcome message account { status ownership lastError nextAttemptAt } }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ProfileUpdateUserDocument,
    "\n  query ProfileUserByEmail($email: String!) {\n    user(email: $email) { id displayName accounts { backend status } }\n  }\n": typeof types.ProfileUserByEmailDocument,
    "\n      mutation ProfileAdopt($userId: ID!) {\n        adoptAccount(input: { userId: $userId, backend: RETOOL }) { __typename }\n      }\n    ": typeof types.ProfileAdoptDocument,
    "\n  mutation RemovalCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.RemovalCreateUserDocument,
    "\n  mutation RemovalDeleteUser($id: ID!) {\n    deleteUser(input: { id: $id }) {\n      __typename\n      ... on DeleteUserPayload {\n        user { id email status }\n        accounts { backend status ownership externalId lastError nextAttemptAt }\n        apiTokensRevoked\n        poolGrantsRemoved\n        oauth2ConnectionsRemoved\n        oauth2TokensRevoked\n        credentials { backend revoked message }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.RemovalDeleteUserDocument,
    "\n  mutation RemovalRestoreUser($id: ID!) {\n    restoreUser(input: { id: $id }) {\n      __typename\n      ... on RestoreUserPayload { user { id status } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.RemovalRestoreUserDocument,
    "\n  mutation RemovalUpdateUser($id: ID!) {\n    updateUser(input: { id: $id, displayName: \"Nobody\" }) { __typename ... on Error { message } }\n  }\n": typeof types.RemovalUpdateUserDocument,
    "\n  mutation RemovalCreateToken($userId: ID!) {\n    createApiToken(input: { name: \"theirs\", scopes: [READ], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": typeof types.RemovalCreateTokenDocument,
    "\n  query RemovalViewer {\n    viewer { id }\n  }\n": typeof types.RemovalViewerDocument,
    "\n  query RemovalLookups($id: ID!, $email: String!, $search: String!) {\n    byId: user(id: $id) { id }\n    byEmail: user(email: $email) { id }\n    node(id: $id) { id }\n    users(first: 10, filter: { search: $search }) { totalCount edges { node { id } } }\n  }\n": typeof types.RemovalLookupsDocument,
    "\n  query RemovalEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 20) { edges { node { actor operation outcome details } } }\n  }\n": typeof types.RemovalEventsDocument,
    "\n      mutation RemovalDisable($id: ID!) {\n        disableUser(input: { id: $id }) { __typename }\n      }\n    ": typeof types.RemovalDisableDocument,
    "\n      mutation RemovalSync {\n        syncBackend(input: { backend: RETOOL }) { __typename ... on SyncBackendPayload { linked created unchanged skippedMismatches } }\n      }\n    ": typeof types.RemovalSyncDocument,
    "\n      mutation RemovalRobot {\n        createApiToken(input: { name: \"robot\", scopes: [AUTOMATION] }) { __typename ... on CreateApiTokenPayload { token } }\n      }\n    ": typeof types.RemovalRobotDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.EnableUserDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.DisableUserDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.UsersPageDocument,
    "\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n": typeof types.UserByEmailDocument,
    "\n  mutation FlowCreateProvider($input: CreateOAuth2ProviderInput!) {\n    createOAuth2Provider(input: $input) {\n      __typename\n      ... on CreateOAuth2ProviderPayload { provider { id slug clientSecret } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.FlowCreateProviderDocument,
    "\n  mutation FlowCreatePool($input: CreateResourcePoolInput!) {\n    createResourcePool(input: $input) {\n      __typename\n      ... on CreateResourcePoolPayload { resourcePool { id name provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.FlowCreatePoolDocument,
    "\n  mutation FlowUpdatePool($input: UpdateResourcePoolInput!) {\n    updateResourcePool(input: $input) {\n      __typename\n      ... on UpdateResourcePoolPayload { resourcePool { id name public default provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.FlowUpdatePoolDocument,
    "\n  mutation FlowConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on ConnectOAuth2ProviderPayload { authorizationUrl connection { id status authorizationPending } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.FlowConnectDocument,
    "\n  mutation FlowDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) {\n      __typename\n      ... on DisconnectOAuth2ProviderPayload { deletedConnectionId tokenRevoked provider { slug } user { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.FlowDisconnectDocument,
    "\n  mutation FlowGrantViewer($poolId: ID!, $userId: ID!) {\n    grantResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on GrantResourcePoolViewerPayload { granted }\n      ... on Error { message }\n    }\n  }\n": typeof types.FlowGrantViewerDocument,
    "\n  query FlowUserAccess($id: ID!) {\n    node(id: $id) {\n      ... on User {\n        oauth2Connections { id status authorizationPending provider { slug } }\n        resourcePools(first: 100) { edges { node { name } } }\n      }\n    }\n  }\n": typeof types.FlowUserAccessDocument,
    "\n  query FlowPoolViewers($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        viewers(first: 100) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n": typeof types.FlowPoolViewersDocument,
};
const documents: Documents = {
    "\n  mutation OwnershipCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        user { id }\n        accounts { backend status ownership lastError nextAttemptAt }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n": types.OwnershipCreateUserDocument,
    "\n  mutation OwnershipDisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status ownership } }\n    }\n  }\n": types.OwnershipDisableUserDocument,
    "\n  mutation OwnershipRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership lastError } secrets { backend kind value } }\n    }\n  }\n": types.OwnershipRetryDocument,
    "\n  mutation OwnershipAdopt($input: AdoptAccountInput!) {\n    adoptAccount(input: $input) {\n      __typename\n      ... on AdoptAccountPayload { account { backend status ownership externalId } secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n": types.OwnershipAdoptDocument,
    "\n  mutation OwnershipRelease($userId: ID!, $backend: Backend!) {\n    releaseAccount(input: { userId: $userId, backend: $backend }) {\n      __typename\n      ... on ReleaseAccountPayload { user { accounts { backend } } account { backend ownership } }\n      ... on Error { message }\n    }\n  }\n": types.OwnershipReleaseDocument,
    "\n  mutation OwnershipSync($backend: Backend!, $dryRun: Boolean) {\n    syncBackend(input: { backend: $backend, dryRun: $dryRun }) {\n      __typename\n      ... on SyncBackendPayload { dryRun linked created unchanged skippedAdmins skippedMismatches failed }\n    }\n  }\n": types.OwnershipSyncDocument,
    "\n  query OwnershipEvents($operation: String!) {\n    auditEvents(filter: { operation: $operation }, last: 5) { edges { node { actor operation outcome targetIds } } }\n  }\n": types.OwnershipEventsDocument,
    "\n  mutation OwnershipToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n": types.OwnershipTokenDocument,
    "\n  mutation AuditCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { value } }\n    }\n  }\n": types.AuditCreateUserDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $last: Int) {\n    auditEvents(filter: $filter, last: $last) {\n      totalCount\n      edges { node { id actor operation targetIds outcome details at } }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query AuditEventNode($id: ID!) {\n    node(id: $id) { __typename ... on AuditEvent { operation } }\n  }\n": types.AuditEventNodeDocument,
    "\n  query BackendHealth {\n    backends { name status message checkedAt }\n  }\n": types.BackendHealthDocument,
    "\n  mutation HealthCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on CreateUserPayload { accounts { backend status lastError } } }\n  }\n": types.HealthCreateUserDocument,
    "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged skippedAdmins failed }\n      ... on Error { message }\n    }\n  }\n": types.SyncBackendDocument,
    "\n  mutation SyncBackendFailure($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on BackendError { backend retryable }\n    }\n  }\n": types.SyncBackendFailureDocument,
    "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n": types.ImportedUserDocument,
    "\n  mutation BulkCreateUsers($input: CreateUsersInput!) {\n    createUsers(input: $input) {\n      __typename\n      ... on CreateUsersPayload {\n        created\n        existing\n        failed\n        results {\n          __typename\n          ... on CreateUserPayload { created user { id email } accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n          ... on ValidationError { fieldErrors { path message } }\n          ... on Error { message }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.BulkCreateUsersDocument,
    "\n  mutation ConvergeCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id }\n        accounts { backend status desiredStatus converged }\n        secrets { backend kind value }\n        pendingSecrets { backend kind }\n      }\n      ... on Error { message }\n    }\n  }\n": types.ConvergeCreateDocument,
    "\n  mutation ConvergeFlip($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n  }\n": types.ConvergeFlipDocument,
    "\n  mutation ConvergeReveal($userId: ID!) {\n    revealAccountSecrets(input: { userId: $userId }) {\n      __typename\n      ... on RevealAccountSecretsPayload { secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n": types.ConvergeRevealDocument,
    "\n  mutation ConvergeRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { accounts { backend status converged } secrets { kind } pendingSecrets { kind } }\n    }\n  }\n": types.ConvergeRetryDocument,
    "\n  mutation CountedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n": types.CountedCreateUserDocument,
    "\n  mutation CredentialsCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name scopes user { id } revokedAt } }\n      ... on Error { message }\n    }\n  }\n": types.CredentialsCreateTokenDocument,
    "\n  mutation CredentialsRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n    }\n  }\n": types.CredentialsRevokeTokenDocument,
    "\n  query CredentialsCountUsers {\n    users(first: 1) { totalCount }\n  }\n": types.CredentialsCountUsersDocument,
    "\n  query CredentialsViewer {\n    viewer { id email accounts { backend status } }\n  }\n": types.CredentialsViewerDocument,
    "\n  query CredentialsNodeUser($id: ID!) {\n    node(id: $id) { id ... on User { email accounts { backend } } }\n  }\n": types.CredentialsNodeUserDocument,
    "\n  mutation CredentialsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id email } }\n    }\n  }\n": types.CredentialsCreateUserDocument,
    "\n  mutation CredentialsConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) { __typename }\n  }\n": types.CredentialsConnectDocument,
    "\n  mutation CredentialsDisconnect($id: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $id }) { __typename }\n  }\n": types.CredentialsDisconnectDocument,
    "\n  query CredentialsMyConnections {\n    viewer { oauth2Connections { id status } }\n  }\n": types.CredentialsMyConnectionsDocument,
    "\n  query CredentialsNodesOfUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { email } }\n  }\n": types.CredentialsNodesOfUsersDocument,
    "\n  query CredentialsNodesOfPools($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on ResourcePool { name } }\n  }\n": types.CredentialsNodesOfPoolsDocument,
    "\n  query CredentialsMyPools {\n    viewer { resourcePools(first: 10) { edges { node { name } } } }\n  }\n": types.CredentialsMyPoolsDocument,
    "\n  query CredentialsMyPoolsViewers {\n    viewer { resourcePools(first: 10) { edges { node { name viewers(first: 10) { edges { node { __typename user { email } } } } } } } }\n  }\n": types.CredentialsMyPoolsViewersDocument,
    "\n  mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload {\n        password\n        roleCreated\n        databaseUser { id username dbOwner attributes roles status roleCreated services { serviceId } }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on BackendError { retryable }\n    }\n  }\n": types.CreateDatabaseUserDocument,
    "\n  mutation EnableDatabaseUser($id: ID!) {\n    enableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on EnableDatabaseUserPayload { databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n": types.EnableDatabaseUserDocument,
    "\n  mutation DisableDatabaseUser($id: ID!) {\n    disableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on DisableDatabaseUserPayload { sessionsTerminated databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n": types.DisableDatabaseUserDocument,
    "\n  mutation DeleteDatabaseUser($id: ID!, $dropRole: Boolean) {\n    deleteDatabaseUser(input: { id: $id, dropRole: $dropRole }) {\n      __typename\n      ... on DeleteDatabaseUserPayload { deletedDatabaseUserId roleDropped }\n      ... on Error { message }\n    }\n  }\n": types.DeleteDatabaseUserDocument,
    "\n  mutation CreateMcpService($serviceId: String!, $connectAs: String!) {\n    createService(input: { serviceId: $serviceId, type: MCP, version: \"1.0\", connectAs: $connectAs }) {\n      __typename\n      ... on CreateServicePayload { service { id } }\n      ... on Error { message }\n    }\n  }\n": types.CreateMcpServiceDocument,
    "\n  mutation DeleteServiceForUser($id: ID!) {\n    deleteService(input: { id: $id }) { __typename }\n  }\n": types.DeleteServiceForUserDocument,
    "\n  query DatabaseUsersPage($first: Int, $after: String) {\n    databaseUsers(first: $first, after: $after) {\n      totalCount\n      edges { node { id username status } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.DatabaseUsersPageDocument,
    "\n  query DatabaseUserNode($id: ID!) {\n    node(id: $id) { __typename id ... on DatabaseUser { username status } }\n  }\n": types.DatabaseUserNodeDocument,
    "\n  mutation AdoptDatabaseUser($input: AdoptDatabaseUserInput!) {\n    adoptDatabaseUser(input: $input) {\n      __typename\n      ... on AdoptDatabaseUserPayload { ownership databaseUser { id username status ownership roleCreated attributes roles } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.AdoptDatabaseUserDocument,
    "\n  mutation ReleaseDatabaseUser($id: ID!) {\n    releaseDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on ReleaseDatabaseUserPayload { releasedDatabaseUserId ownership }\n      ... on Error { message }\n    }\n  }\n": types.ReleaseDatabaseUserDocument,
    "\n  query AdoptionEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 10) {\n      edges { node { actor operation outcome targetIds details } }\n    }\n  }\n": types.AdoptionEventsDocument,
    "\n  query LockoutViewer {\n    viewer { id status }\n  }\n": types.LockoutViewerDocument,
    "\n  query LockoutCountUsers {\n    users(first: 1) { totalCount }\n  }\n": types.LockoutCountUsersDocument,
    "\n  mutation LockoutDisable($id: ID!) {\n    disableUser(input: { id: $id }) { __typename }\n  }\n": types.LockoutDisableDocument,
    "\n  mutation LockoutEnable($id: ID!) {\n    enableUser(input: { id: $id }) { __typename }\n  }\n": types.LockoutEnableDocument,
    "\n  mutation LockoutCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n": types.LockoutCreateTokenDocument,
    "\n  mutation LockoutRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) { __typename }\n  }\n": types.LockoutRevokeTokenDocument,
    "mutation LockoutCreateUser { createUser(input: { email: \"locked@example.com\", username: \"locked\" }) { __typename } }": types.LockoutCreateUserDocument,
    "\n  query LockoutPoolViewerCount($id: ID!) {\n    node(id: $id) { ... on ResourcePool { viewers(first: 10) { totalCount } } }\n  }\n": types.LockoutPoolViewerCountDocument,
    "\n  mutation IdempotentCreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n": types.IdempotentCreateUserDocument,
    "\n  mutation IdempotentCreateToken($key: String!) {\n    createApiToken(input: { name: \"replayed\", scopes: [READ] }, idempotencyKey: $key) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n": types.IdempotentCreateTokenDocument,
    "\n  mutation IdempotentCreateNamedToken($name: String!) {\n    createApiToken(input: { name: $name, scopes: [READ] }) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name } }\n      ... on Error { message }\n    }\n  }\n": types.IdempotentCreateNamedTokenDocument,
    "\n  mutation IdempotentConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) {\n      __typename\n      ... on Error { message }\n    }\n  }\n": types.IdempotentConnectDocument,
    "\n  mutation IdempotentCreateUserToken($userId: ID!) {\n    createApiToken(input: { name: \"self\", scopes: [], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": types.IdempotentCreateUserTokenDocument,
    "\n  mutation IdempotentEnableUser($id: ID!) {\n    enableUser(input: { id: $id }) { __typename ... on Error { message } }\n  }\n": types.IdempotentEnableUserDocument,
    "\n  mutation LimitsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename }\n  }\n": types.LimitsCreateUserDocument,
    "\n  mutation FlowDeleteProvider($id: ID!) {\n    deleteOAuth2Provider(input: { id: $id }) {\n      __typename\n      ... on DeleteOAuth2ProviderPayload { deletedProviderId }\n      ... on Error { message }\n    }\n  }\n": types.FlowDeleteProviderDocument,
    "\n  mutation TxDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) { __typename }\n  }\n": types.TxDisconnectDocument,
    "\n  mutation TxCreatePool($name: String!, $providerId: ID!) {\n    createResourcePool(input: { name: $name, providerId: $providerId }) { __typename }\n  }\n": types.TxCreatePoolDocument,
    "\n  mutation SsrfUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { issuer } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SsrfUpdateProviderDocument,
    "\n  mutation SsrfConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on BackendError { message backend retryable }\n      ... on Error { message }\n    }\n  }\n": types.SsrfConnectDocument,
    "\n  mutation SsrfCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": types.SsrfCreateTokenDocument,
    "\n  query SsrfProviders {\n    oauth2Providers { slug issuer tokenEndpoint }\n  }\n": types.SsrfProvidersDocument,
    "\n  mutation ObservedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { kind value } }\n    }\n  }\n": types.ObservedCreateUserDocument,
    "\n  mutation ObservedCreateToken {\n    createApiToken(input: { name: \"observed\", scopes: [READ, AUTOMATION] }) {\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": types.ObservedCreateTokenDocument,
    "\n  mutation ObservedCreateProvider($secret: String!) {\n    createOAuth2Provider(\n      input: { slug: \"observed-idp\", kind: GENERIC_OIDC, clientId: \"observed-client\", clientSecret: $secret, displayName: \"Observed\", issuer: \"https://idp.example\" }\n    ) { __typename }\n  }\n": types.ObservedCreateProviderDocument,
    "\n  query ObservedUsers {\n    users(first: 5) { totalCount edges { node { email accounts { backend status } } } }\n  }\n": types.ObservedUsersDocument,
    "\n  mutation ProvenCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership lastError } secrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n": types.ProvenCreateUserDocument,
    "\n  mutation ProvenRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership } }\n    }\n  }\n": types.ProvenRetryDocument,
    "\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n": types.CreateForRaceDocument,
    "\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n": types.RetryRaceDocument,
    "\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n": types.FaultyCreateDocument,
    "\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n": types.RetryAfterFaultDocument,
    "\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n": types.CreateWithSecretsDocument,
    "\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n": types.RetryForSecretsDocument,
    "\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ProvisionUserDocument,
    "\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n": types.SetStatusDocument,
    "\n  mutation ConcurrencyCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename }\n  }\n": types.ConcurrencyCreateApiTokenDocument,
    "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n": types.UsersWithAccountsDocument,
    "\n  query UsersWithAccountsAndPools($first: Int!) {\n    users(first: $first) {\n      edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } }\n    }\n  }\n": types.UsersWithAccountsAndPoolsDocument,
    "\n  mutation PoolsUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { slug clientSecret displayName issuer tokenEndpoint } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.PoolsUpdateProviderDocument,
    "\n  query PoolsProviders {\n    oauth2Providers { id slug kind clientId clientSecret displayName scope issuer usePkce }\n  }\n": types.PoolsProvidersDocument,
    "\n  query PoolsProviderNode($id: ID!) {\n    node(id: $id) { __typename ... on OAuth2Provider { slug displayName } }\n  }\n": types.PoolsProviderNodeDocument,
    "\n  mutation PoolsRevokeViewer($poolId: ID!, $userId: ID!) {\n    revokeResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on RevokeResourcePoolViewerPayload { revoked resourcePool { name } user { id } }\n      ... on Error { message }\n    }\n  }\n": types.PoolsRevokeViewerDocument,
    "\n  mutation PoolsDeletePool($id: ID!) {\n    deleteResourcePool(input: { id: $id }) {\n      __typename\n      ... on DeleteResourcePoolPayload { deletedResourcePoolId }\n      ... on Error { message }\n    }\n  }\n": types.PoolsDeletePoolDocument,
    "\n  query PoolsPage($first: Int, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      totalCount\n      edges { node { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PoolsPageDocument,
    "\n  query PoolsPoolDetails($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        name public default remoteKind quota { cpu memory gpu }\n        provider { slug }\n        viewers(first: 10) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n": types.PoolsPoolDetailsDocument,
    "\n  query PoolsWithViewers($first: Int!, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      edges { node { name providers { slug } viewers(first: 5) { totalCount edges { node { user { id } grants { source } } } } } }\n    }\n  }\n": types.PoolsWithViewersDocument,
    "\n  query PoolsUserPools($id: ID!, $first: Int, $last: Int, $after: String) {\n    node(id: $id) {\n      ... on User {\n        resourcePools(first: $first, last: $last, after: $after) {\n          totalCount\n          edges { node { id } }\n          pageInfo { hasNextPage hasPreviousPage endCursor }\n        }\n      }\n    }\n  }\n": types.PoolsUserPoolsDocument,
    "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n": types.CreateForWorkerDocument,
    "\n  query ServicesWithConnectAs($first: Int!) {\n    services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }\n  }\n": types.ServicesWithConnectAsDocument,
    "\n  mutation CreateUserForService($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload { databaseUser { id username } }\n      ... on Error { message }\n    }\n  }\n": types.CreateUserForServiceDocument,
    "\n  mutation CreateService($input: CreateServiceInput!) {\n    createService(input: $input) {\n      __typename\n      ... on CreateServicePayload {\n        service { id serviceId type version config postgrestConfig connectAs { username services { serviceId } } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateServiceDocument,
    "\n  mutation UpdateService($input: UpdateServiceInput!) {\n    updateService(input: $input) {\n      __typename\n      ... on UpdateServicePayload {\n        service { id version config connectAs { username } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdateServiceDocument,
    "\n  mutation DeleteService($id: ID!) {\n    deleteService(input: { id: $id }) {\n      __typename\n      ... on DeleteServicePayload { deletedServiceId grantsRevoked { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n": types.DeleteServiceDocument,
    "\n  query ServicesPage($first: Int, $type: ServiceType) {\n    services(first: $first, type: $type) {\n      totalCount\n      edges { node { serviceId type } }\n    }\n  }\n": types.ServicesPageDocument,
    "\n  query ServiceNode($id: ID!) {\n    node(id: $id) { __typename id ... on Service { serviceId postgrestConfig } }\n  }\n": types.ServiceNodeDocument,
    "\n  query ServicesCursorPage($first: Int, $after: String, $last: Int, $before: String, $type: ServiceType) {\n    services(first: $first, after: $after, last: $last, before: $before, type: $type) {\n      edges { node { serviceId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.ServicesCursorPageDocument,
    "\n  mutation RepairService($id: ID!) {\n    repairService(input: { id: $id }) {\n      __typename\n      ... on RepairServicePayload { grantsMade { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n": types.RepairServiceDocument,
    "\n  mutation OutageMintToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n": types.OutageMintTokenDocument,
    "\n  query OutageCount { users(first: 1) { totalCount } }\n": types.OutageCountDocument,
    "\n  mutation ProfileCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership } }\n      ... on Error { message }\n    }\n  }\n": types.ProfileCreateUserDocument,
    "\n  mutation ProfileUpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserPayload {\n        user { id email username displayName firstName lastName }\n        accounts { backend outcome message account { status ownership lastError nextAttemptAt } }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ProfileUpdateUserDocument,
    "\n  query ProfileUserByEmail($email: String!) {\n    user(email: $email) { id displayName accounts { backend status } }\n  }\n": types.ProfileUserByEmailDocument,
    "\n      mutation ProfileAdopt($userId: ID!) {\n        adoptAccount(input: { userId: $userId, backend: RETOOL }) { __typename }\n      }\n    ": types.ProfileAdoptDocument,
    "\n  mutation RemovalCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n": types.RemovalCreateUserDocument,
    "\n  mutation RemovalDeleteUser($id: ID!) {\n    deleteUser(input: { id: $id }) {\n      __typename\n      ... on DeleteUserPayload {\n        user { id email status }\n        accounts { backend status ownership externalId lastError nextAttemptAt }\n        apiTokensRevoked\n        poolGrantsRemoved\n        oauth2ConnectionsRemoved\n        oauth2TokensRevoked\n        credentials { backend revoked message }\n      }\n      ... on Error { message }\n    }\n  }\n": types.RemovalDeleteUserDocument,
    "\n  mutation RemovalRestoreUser($id: ID!) {\n    restoreUser(input: { id: $id }) {\n      __typename\n      ... on RestoreUserPayload { user { id status } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n": types.RemovalRestoreUserDocument,
    "\n  mutation RemovalUpdateUser($id: ID!) {\n    updateUser(input: { id: $id, displayName: \"Nobody\" }) { __typename ... on Error { message } }\n  }\n": types.RemovalUpdateUserDocument,
    "\n  mutation RemovalCreateToken($userId: ID!) {\n    createApiToken(input: { name: \"theirs\", scopes: [READ], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n": types.RemovalCreateTokenDocument,
    "\n  query RemovalViewer {\n    viewer { id }\n  }\n": types.RemovalViewerDocument,
    "\n  query RemovalLookups($id: ID!, $email: String!, $search: String!) {\n    byId: user(id: $id) { id }\n    byEmail: user(email: $email) { id }\n    node(id: $id) { id }\n    users(first: 10, filter: { search: $search }) { totalCount edges { node { id } } }\n  }\n": types.RemovalLookupsDocument,
    "\n  query RemovalEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 20) { edges { node { actor operation outcome details } } }\n  }\n": types.RemovalEventsDocument,
    "\n      mutation RemovalDisable($id: ID!) {\n        disableUser(input: { id: $id }) { __typename }\n      }\n    ": types.RemovalDisableDocument,
    "\n      mutation RemovalSync {\n        syncBackend(input: { backend: RETOOL }) { __typename ... on SyncBackendPayload { linked created unchanged skippedMismatches } }\n      }\n    ": types.RemovalSyncDocument,
    "\n      mutation RemovalRobot {\n        createApiToken(input: { name: \"robot\", scopes: [AUTOMATION] }) { __typename ... on CreateApiTokenPayload { token } }\n      }\n    ": types.RemovalRobotDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": types.EnableUserDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": types.DisableUserDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n": types.NodeByIdDocument,
    "\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.UsersPageDocument,
    "\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n": types.UserByEmailDocument,
    "\n  mutation FlowCreateProvider($input: CreateOAuth2ProviderInput!) {\n    createOAuth2Provider(input: $input) {\n      __typename\n      ... on CreateOAuth2ProviderPayload { provider { id slug clientSecret } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.FlowCreateProviderDocument,
    "\n  mutation FlowCreatePool($input: CreateResourcePoolInput!) {\n    createResourcePool(input: $input) {\n      __typename\n      ... on CreateResourcePoolPayload { resourcePool { id name provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.FlowCreatePoolDocument,
    "\n  mutation FlowUpdatePool($input: UpdateResourcePoolInput!) {\n    updateResourcePool(input: $input) {\n      __typename\n      ... on UpdateResourcePoolPayload { resourcePool { id name public default provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.FlowUpdatePoolDocument,
    "\n  mutation FlowConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on ConnectOAuth2ProviderPayload { authorizationUrl connection { id status authorizationPending } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.FlowConnectDocument,
    "\n  mutation FlowDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) {\n      __typename\n      ... on DisconnectOAuth2ProviderPayload { deletedConnectionId tokenRevoked provider { slug } user { id } }\n      ... on Error { message }\n    }\n  }\n": types.FlowDisconnectDocument,
    "\n  mutation FlowGrantViewer($poolId: ID!, $userId: ID!) {\n    grantResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on GrantResourcePoolViewerPayload { granted }\n      ... on Error { message }\n    }\n  }\n": types.FlowGrantViewerDocument,
    "\n  query FlowUserAccess($id: ID!) {\n    node(id: $id) {\n      ... on User {\n        oauth2Connections { id status authorizationPending provider { slug } }\n        resourcePools(first: 100) { edges { node { name } } }\n      }\n    }\n  }\n": types.FlowUserAccessDocument,
    "\n  query FlowPoolViewers($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        viewers(first: 100) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n": types.FlowPoolViewersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        user { id }\n        accounts { backend status ownership lastError nextAttemptAt }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        user { id }\n        accounts { backend status ownership lastError nextAttemptAt }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipDisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status ownership } }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipDisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status ownership } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership lastError } secrets { backend kind value } }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership lastError } secrets { backend kind value } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipAdopt($input: AdoptAccountInput!) {\n    adoptAccount(input: $input) {\n      __typename\n      ... on AdoptAccountPayload { account { backend status ownership externalId } secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipAdopt($input: AdoptAccountInput!) {\n    adoptAccount(input: $input) {\n      __typename\n      ... on AdoptAccountPayload { account { backend status ownership externalId } secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipRelease($userId: ID!, $backend: Backend!) {\n    releaseAccount(input: { userId: $userId, backend: $backend }) {\n      __typename\n      ... on ReleaseAccountPayload { user { accounts { backend } } account { backend ownership } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipRelease($userId: ID!, $backend: Backend!) {\n    releaseAccount(input: { userId: $userId, backend: $backend }) {\n      __typename\n      ... on ReleaseAccountPayload { user { accounts { backend } } account { backend ownership } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipSync($backend: Backend!, $dryRun: Boolean) {\n    syncBackend(input: { backend: $backend, dryRun: $dryRun }) {\n      __typename\n      ... on SyncBackendPayload { dryRun linked created unchanged skippedAdmins skippedMismatches failed }\n    }\n  }\n"): (typeof documents)["\n  mutation OwnershipSync($backend: Backend!, $dryRun: Boolean) {\n    syncBackend(input: { backend: $backend, dryRun: $dryRun }) {\n      __typename\n      ... on SyncBackendPayload { dryRun linked created unchanged skippedAdmins skippedMismatches failed }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OwnershipEvents($operation: String!) {\n    auditEvents(filter: { operation: $operation }, last: 5) { edges { node { actor operation outcome targetIds } } }\n  }\n"): (typeof documents)["\n  query OwnershipEvents($operation: String!) {\n    auditEvents(filter: { operation: $operation }, last: 5) { edges { node { actor operation outcome targetIds } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OwnershipToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n"): (typeof documents)["\n  mutation OwnershipToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuditCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { value } }\n    }\n  }\n"): (typeof documents)["\n  mutation AuditCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { value } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($filter: AuditEventFilter, $last: Int) {\n    auditEvents(filter: $filter, last: $last) {\n      totalCount\n      edges { node { id actor operation targetIds outcome details at } }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($filter: AuditEventFilter, $last: Int) {\n    auditEvents(filter: $filter, last: $last) {\n      totalCount\n      edges { node { id actor operation targetIds outcome details at } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEventNode($id: ID!) {\n    node(id: $id) { __typename ... on AuditEvent { operation } }\n  }\n"): (typeof documents)["\n  query AuditEventNode($id: ID!) {\n    node(id: $id) { __typename ... on AuditEvent { operation } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackendHealth {\n    backends { name status message checkedAt }\n  }\n"): (typeof documents)["\n  query BackendHealth {\n    backends { name status message checkedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HealthCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on CreateUserPayload { accounts { backend status lastError } } }\n  }\n"): (typeof documents)["\n  mutation HealthCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on CreateUserPayload { accounts { backend status lastError } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged skippedAdmins failed }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged skippedAdmins failed }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncBackendFailure($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on BackendError { backend retryable }\n    }\n  }\n"): (typeof documents)["\n  mutation SyncBackendFailure($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on BackendError { backend retryable }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n"): (typeof documents)["\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkCreateUsers($input: CreateUsersInput!) {\n    createUsers(input: $input) {\n      __typename\n      ... on CreateUsersPayload {\n        created\n        existing\n        failed\n        results {\n          __typename\n          ... on CreateUserPayload { created user { id email } accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n          ... on ValidationError { fieldErrors { path message } }\n          ... on Error { message }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation BulkCreateUsers($input: CreateUsersInput!) {\n    createUsers(input: $input) {\n      __typename\n      ... on CreateUsersPayload {\n        created\n        existing\n        failed\n        results {\n          __typename\n          ... on CreateUserPayload { created user { id email } accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n          ... on ValidationError { fieldErrors { path message } }\n          ... on Error { message }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvergeCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id }\n        accounts { backend status desiredStatus converged }\n        secrets { backend kind value }\n        pendingSecrets { backend kind }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvergeCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id }\n        accounts { backend status desiredStatus converged }\n        secrets { backend kind value }\n        pendingSecrets { backend kind }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvergeFlip($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvergeFlip($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status desiredStatus converged } pendingSecrets { backend kind } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvergeReveal($userId: ID!) {\n    revealAccountSecrets(input: { userId: $userId }) {\n      __typename\n      ... on RevealAccountSecretsPayload { secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvergeReveal($userId: ID!) {\n    revealAccountSecrets(input: { userId: $userId }) {\n      __typename\n      ... on RevealAccountSecretsPayload { secrets { backend kind value } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvergeRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { accounts { backend status converged } secrets { kind } pendingSecrets { kind } }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvergeRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { accounts { backend status converged } secrets { kind } pendingSecrets { kind } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CountedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CountedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created accounts { backend status } secrets { backend kind value } pendingSecrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CredentialsCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name scopes user { id } revokedAt } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CredentialsCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name scopes user { id } revokedAt } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CredentialsRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n    }\n  }\n"): (typeof documents)["\n  mutation CredentialsRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsCountUsers {\n    users(first: 1) { totalCount }\n  }\n"): (typeof documents)["\n  query CredentialsCountUsers {\n    users(first: 1) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsViewer {\n    viewer { id email accounts { backend status } }\n  }\n"): (typeof documents)["\n  query CredentialsViewer {\n    viewer { id email accounts { backend status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsNodeUser($id: ID!) {\n    node(id: $id) { id ... on User { email accounts { backend } } }\n  }\n"): (typeof documents)["\n  query CredentialsNodeUser($id: ID!) {\n    node(id: $id) { id ... on User { email accounts { backend } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CredentialsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id email } }\n    }\n  }\n"): (typeof documents)["\n  mutation CredentialsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id email } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CredentialsConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) { __typename }\n  }\n"): (typeof documents)["\n  mutation CredentialsConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CredentialsDisconnect($id: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation CredentialsDisconnect($id: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsMyConnections {\n    viewer { oauth2Connections { id status } }\n  }\n"): (typeof documents)["\n  query CredentialsMyConnections {\n    viewer { oauth2Connections { id status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsNodesOfUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { email } }\n  }\n"): (typeof documents)["\n  query CredentialsNodesOfUsers($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on User { email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsNodesOfPools($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on ResourcePool { name } }\n  }\n"): (typeof documents)["\n  query CredentialsNodesOfPools($ids: [ID!]!) {\n    nodes(ids: $ids) { ... on ResourcePool { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsMyPools {\n    viewer { resourcePools(first: 10) { edges { node { name } } } }\n  }\n"): (typeof documents)["\n  query CredentialsMyPools {\n    viewer { resourcePools(first: 10) { edges { node { name } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CredentialsMyPoolsViewers {\n    viewer { resourcePools(first: 10) { edges { node { name viewers(first: 10) { edges { node { __typename user { email } } } } } } } }\n  }\n"): (typeof documents)["\n  query CredentialsMyPoolsViewers {\n    viewer { resourcePools(first: 10) { edges { node { name viewers(first: 10) { edges { node { __typename user { email } } } } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload {\n        password\n        roleCreated\n        databaseUser { id username dbOwner attributes roles status roleCreated services { serviceId } }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on BackendError { retryable }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload {\n        password\n        roleCreated\n        databaseUser { id username dbOwner attributes roles status roleCreated services { serviceId } }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on BackendError { retryable }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableDatabaseUser($id: ID!) {\n    enableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on EnableDatabaseUserPayload { databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation EnableDatabaseUser($id: ID!) {\n    enableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on EnableDatabaseUserPayload { databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableDatabaseUser($id: ID!) {\n    disableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on DisableDatabaseUserPayload { sessionsTerminated databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DisableDatabaseUser($id: ID!) {\n    disableDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on DisableDatabaseUserPayload { sessionsTerminated databaseUser { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteDatabaseUser($id: ID!, $dropRole: Boolean) {\n    deleteDatabaseUser(input: { id: $id, dropRole: $dropRole }) {\n      __typename\n      ... on DeleteDatabaseUserPayload { deletedDatabaseUserId roleDropped }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteDatabaseUser($id: ID!, $dropRole: Boolean) {\n    deleteDatabaseUser(input: { id: $id, dropRole: $dropRole }) {\n      __typename\n      ... on DeleteDatabaseUserPayload { deletedDatabaseUserId roleDropped }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMcpService($serviceId: String!, $connectAs: String!) {\n    createService(input: { serviceId: $serviceId, type: MCP, version: \"1.0\", connectAs: $connectAs }) {\n      __typename\n      ... on CreateServicePayload { service { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMcpService($serviceId: String!, $connectAs: String!) {\n    createService(input: { serviceId: $serviceId, type: MCP, version: \"1.0\", connectAs: $connectAs }) {\n      __typename\n      ... on CreateServicePayload { service { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteServiceForUser($id: ID!) {\n    deleteService(input: { id: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation DeleteServiceForUser($id: ID!) {\n    deleteService(input: { id: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatabaseUsersPage($first: Int, $after: String) {\n    databaseUsers(first: $first, after: $after) {\n      totalCount\n      edges { node { id username status } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query DatabaseUsersPage($first: Int, $after: String) {\n    databaseUsers(first: $first, after: $after) {\n      totalCount\n      edges { node { id username status } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatabaseUserNode($id: ID!) {\n    node(id: $id) { __typename id ... on DatabaseUser { username status } }\n  }\n"): (typeof documents)["\n  query DatabaseUserNode($id: ID!) {\n    node(id: $id) { __typename id ... on DatabaseUser { username status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdoptDatabaseUser($input: AdoptDatabaseUserInput!) {\n    adoptDatabaseUser(input: $input) {\n      __typename\n      ... on AdoptDatabaseUserPayload { ownership databaseUser { id username status ownership roleCreated attributes roles } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation AdoptDatabaseUser($input: AdoptDatabaseUserInput!) {\n    adoptDatabaseUser(input: $input) {\n      __typename\n      ... on AdoptDatabaseUserPayload { ownership databaseUser { id username status ownership roleCreated attributes roles } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReleaseDatabaseUser($id: ID!) {\n    releaseDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on ReleaseDatabaseUserPayload { releasedDatabaseUserId ownership }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ReleaseDatabaseUser($id: ID!) {\n    releaseDatabaseUser(input: { id: $id }) {\n      __typename\n      ... on ReleaseDatabaseUserPayload { releasedDatabaseUserId ownership }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdoptionEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 10) {\n      edges { node { actor operation outcome targetIds details } }\n    }\n  }\n"): (typeof documents)["\n  query AdoptionEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 10) {\n      edges { node { actor operation outcome targetIds details } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockoutViewer {\n    viewer { id status }\n  }\n"): (typeof documents)["\n  query LockoutViewer {\n    viewer { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockoutCountUsers {\n    users(first: 1) { totalCount }\n  }\n"): (typeof documents)["\n  query LockoutCountUsers {\n    users(first: 1) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockoutDisable($id: ID!) {\n    disableUser(input: { id: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation LockoutDisable($id: ID!) {\n    disableUser(input: { id: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockoutEnable($id: ID!) {\n    enableUser(input: { id: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation LockoutEnable($id: ID!) {\n    enableUser(input: { id: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockoutCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation LockoutCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockoutRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation LockoutRevokeToken($id: ID!) {\n    revokeApiToken(input: { id: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LockoutCreateUser { createUser(input: { email: \"locked@example.com\", username: \"locked\" }) { __typename } }"): (typeof documents)["mutation LockoutCreateUser { createUser(input: { email: \"locked@example.com\", username: \"locked\" }) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockoutPoolViewerCount($id: ID!) {\n    node(id: $id) { ... on ResourcePool { viewers(first: 10) { totalCount } } }\n  }\n"): (typeof documents)["\n  query LockoutPoolViewerCount($id: ID!) {\n    node(id: $id) { ... on ResourcePool { viewers(first: 10) { totalCount } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentCreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation IdempotentCreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId }\n        secrets { backend kind value }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentCreateToken($key: String!) {\n    createApiToken(input: { name: \"replayed\", scopes: [READ] }, idempotencyKey: $key) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation IdempotentCreateToken($key: String!) {\n    createApiToken(input: { name: \"replayed\", scopes: [READ] }, idempotencyKey: $key) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentCreateNamedToken($name: String!) {\n    createApiToken(input: { name: $name, scopes: [READ] }) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation IdempotentCreateNamedToken($name: String!) {\n    createApiToken(input: { name: $name, scopes: [READ] }) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) {\n      __typename\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation IdempotentConnect($providerId: ID!, $userId: ID) {\n    connectOAuth2Provider(input: { providerId: $providerId, userId: $userId }) {\n      __typename\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentCreateUserToken($userId: ID!) {\n    createApiToken(input: { name: \"self\", scopes: [], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"): (typeof documents)["\n  mutation IdempotentCreateUserToken($userId: ID!) {\n    createApiToken(input: { name: \"self\", scopes: [], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IdempotentEnableUser($id: ID!) {\n    enableUser(input: { id: $id }) { __typename ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation IdempotentEnableUser($id: ID!) {\n    enableUser(input: { id: $id }) { __typename ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LimitsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename }\n  }\n"): (typeof documents)["\n  mutation LimitsCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowDeleteProvider($id: ID!) {\n    deleteOAuth2Provider(input: { id: $id }) {\n      __typename\n      ... on DeleteOAuth2ProviderPayload { deletedProviderId }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowDeleteProvider($id: ID!) {\n    deleteOAuth2Provider(input: { id: $id }) {\n      __typename\n      ... on DeleteOAuth2ProviderPayload { deletedProviderId }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TxDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) { __typename }\n  }\n"): (typeof documents)["\n  mutation TxDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TxCreatePool($name: String!, $providerId: ID!) {\n    createResourcePool(input: { name: $name, providerId: $providerId }) { __typename }\n  }\n"): (typeof documents)["\n  mutation TxCreatePool($name: String!, $providerId: ID!) {\n    createResourcePool(input: { name: $name, providerId: $providerId }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SsrfUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { issuer } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation SsrfUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { issuer } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SsrfConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on BackendError { message backend retryable }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation SsrfConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on BackendError { message backend retryable }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SsrfCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"): (typeof documents)["\n  mutation SsrfCreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SsrfProviders {\n    oauth2Providers { slug issuer tokenEndpoint }\n  }\n"): (typeof documents)["\n  query SsrfProviders {\n    oauth2Providers { slug issuer tokenEndpoint }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ObservedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { kind value } }\n    }\n  }\n"): (typeof documents)["\n  mutation ObservedCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { kind value } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ObservedCreateToken {\n    createApiToken(input: { name: \"observed\", scopes: [READ, AUTOMATION] }) {\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"): (typeof documents)["\n  mutation ObservedCreateToken {\n    createApiToken(input: { name: \"observed\", scopes: [READ, AUTOMATION] }) {\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ObservedCreateProvider($secret: String!) {\n    createOAuth2Provider(\n      input: { slug: \"observed-idp\", kind: GENERIC_OIDC, clientId: \"observed-client\", clientSecret: $secret, displayName: \"Observed\", issuer: \"https://idp.example\" }\n    ) { __typename }\n  }\n"): (typeof documents)["\n  mutation ObservedCreateProvider($secret: String!) {\n    createOAuth2Provider(\n      input: { slug: \"observed-idp\", kind: GENERIC_OIDC, clientId: \"observed-client\", clientSecret: $secret, displayName: \"Observed\", issuer: \"https://idp.example\" }\n    ) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ObservedUsers {\n    users(first: 5) { totalCount edges { node { email accounts { backend status } } } }\n  }\n"): (typeof documents)["\n  query ObservedUsers {\n    users(first: 5) { totalCount edges { node { email accounts { backend status } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProvenCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership lastError } secrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ProvenCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership lastError } secrets { backend kind } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProvenRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership } }\n    }\n  }\n"): (typeof documents)["\n  mutation ProvenRetry($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status ownership } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n"): (typeof documents)["\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n"): (typeof documents)["\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n"): (typeof documents)["\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n"): (typeof documents)["\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n"): (typeof documents)["\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n"): (typeof documents)["\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConcurrencyCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename }\n  }\n"): (typeof documents)["\n  mutation ConcurrencyCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n"): (typeof documents)["\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithAccountsAndPools($first: Int!) {\n    users(first: $first) {\n      edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } }\n    }\n  }\n"): (typeof documents)["\n  query UsersWithAccountsAndPools($first: Int!) {\n    users(first: $first) {\n      edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolsUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { slug clientSecret displayName issuer tokenEndpoint } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolsUpdateProvider($input: UpdateOAuth2ProviderInput!) {\n    updateOAuth2Provider(input: $input) {\n      __typename\n      ... on UpdateOAuth2ProviderPayload { provider { slug clientSecret displayName issuer tokenEndpoint } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsProviders {\n    oauth2Providers { id slug kind clientId clientSecret displayName scope issuer usePkce }\n  }\n"): (typeof documents)["\n  query PoolsProviders {\n    oauth2Providers { id slug kind clientId clientSecret displayName scope issuer usePkce }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsProviderNode($id: ID!) {\n    node(id: $id) { __typename ... on OAuth2Provider { slug displayName } }\n  }\n"): (typeof documents)["\n  query PoolsProviderNode($id: ID!) {\n    node(id: $id) { __typename ... on OAuth2Provider { slug displayName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolsRevokeViewer($poolId: ID!, $userId: ID!) {\n    revokeResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on RevokeResourcePoolViewerPayload { revoked resourcePool { name } user { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolsRevokeViewer($poolId: ID!, $userId: ID!) {\n    revokeResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on RevokeResourcePoolViewerPayload { revoked resourcePool { name } user { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PoolsDeletePool($id: ID!) {\n    deleteResourcePool(input: { id: $id }) {\n      __typename\n      ... on DeleteResourcePoolPayload { deletedResourcePoolId }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation PoolsDeletePool($id: ID!) {\n    deleteResourcePool(input: { id: $id }) {\n      __typename\n      ... on DeleteResourcePoolPayload { deletedResourcePoolId }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsPage($first: Int, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      totalCount\n      edges { node { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PoolsPage($first: Int, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      totalCount\n      edges { node { name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsPoolDetails($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        name public default remoteKind quota { cpu memory gpu }\n        provider { slug }\n        viewers(first: 10) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PoolsPoolDetails($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        name public default remoteKind quota { cpu memory gpu }\n        provider { slug }\n        viewers(first: 10) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsWithViewers($first: Int!, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      edges { node { name providers { slug } viewers(first: 5) { totalCount edges { node { user { id } grants { source } } } } } }\n    }\n  }\n"): (typeof documents)["\n  query PoolsWithViewers($first: Int!, $after: String) {\n    resourcePools(first: $first, after: $after) {\n      edges { node { name providers { slug } viewers(first: 5) { totalCount edges { node { user { id } grants { source } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolsUserPools($id: ID!, $first: Int, $last: Int, $after: String) {\n    node(id: $id) {\n      ... on User {\n        resourcePools(first: $first, last: $last, after: $after) {\n          totalCount\n          edges { node { id } }\n          pageInfo { hasNextPage hasPreviousPage endCursor }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PoolsUserPools($id: ID!, $first: Int, $last: Int, $after: String) {\n    node(id: $id) {\n      ... on User {\n        resourcePools(first: $first, last: $last, after: $after) {\n          totalCount\n          edges { node { id } }\n          pageInfo { hasNextPage hasPreviousPage endCursor }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n"): (typeof documents)["\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServicesWithConnectAs($first: Int!) {\n    services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }\n  }\n"): (typeof documents)["\n  query ServicesWithConnectAs($first: Int!) {\n    services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUserForService($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload { databaseUser { id username } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUserForService($input: CreateDatabaseUserInput!) {\n    createDatabaseUser(input: $input) {\n      __typename\n      ... on CreateDatabaseUserPayload { databaseUser { id username } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateService($input: CreateServiceInput!) {\n    createService(input: $input) {\n      __typename\n      ... on CreateServicePayload {\n        service { id serviceId type version config postgrestConfig connectAs { username services { serviceId } } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateService($input: CreateServiceInput!) {\n    createService(input: $input) {\n      __typename\n      ... on CreateServicePayload {\n        service { id serviceId type version config postgrestConfig connectAs { username services { serviceId } } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateService($input: UpdateServiceInput!) {\n    updateService(input: $input) {\n      __typename\n      ... on UpdateServicePayload {\n        service { id version config connectAs { username } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateService($input: UpdateServiceInput!) {\n    updateService(input: $input) {\n      __typename\n      ... on UpdateServicePayload {\n        service { id version config connectAs { username } grants { kind target grantee } }\n        grantsMade { kind target grantee }\n        grantsRevoked { kind target grantee }\n      }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteService($id: ID!) {\n    deleteService(input: { id: $id }) {\n      __typename\n      ... on DeleteServicePayload { deletedServiceId grantsRevoked { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteService($id: ID!) {\n    deleteService(input: { id: $id }) {\n      __typename\n      ... on DeleteServicePayload { deletedServiceId grantsRevoked { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServicesPage($first: Int, $type: ServiceType) {\n    services(first: $first, type: $type) {\n      totalCount\n      edges { node { serviceId type } }\n    }\n  }\n"): (typeof documents)["\n  query ServicesPage($first: Int, $type: ServiceType) {\n    services(first: $first, type: $type) {\n      totalCount\n      edges { node { serviceId type } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceNode($id: ID!) {\n    node(id: $id) { __typename id ... on Service { serviceId postgrestConfig } }\n  }\n"): (typeof documents)["\n  query ServiceNode($id: ID!) {\n    node(id: $id) { __typename id ... on Service { serviceId postgrestConfig } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServicesCursorPage($first: Int, $after: String, $last: Int, $before: String, $type: ServiceType) {\n    services(first: $first, after: $after, last: $last, before: $before, type: $type) {\n      edges { node { serviceId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ServicesCursorPage($first: Int, $after: String, $last: Int, $before: String, $type: ServiceType) {\n    services(first: $first, after: $after, last: $last, before: $before, type: $type) {\n      edges { node { serviceId } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RepairService($id: ID!) {\n    repairService(input: { id: $id }) {\n      __typename\n      ... on RepairServicePayload { grantsMade { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RepairService($id: ID!) {\n    repairService(input: { id: $id }) {\n      __typename\n      ... on RepairServicePayload { grantsMade { kind target grantee } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutageMintToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n"): (typeof documents)["\n  mutation OutageMintToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutageCount { users(first: 1) { totalCount } }\n"): (typeof documents)["\n  query OutageCount { users(first: 1) { totalCount } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProfileCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ProfileCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status ownership } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProfileUpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserPayload {\n        user { id email username displayName firstName lastName }\n        accounts { backend outcome message account { status ownership lastError nextAttemptAt } }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ProfileUpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserPayload {\n        user { id email username displayName firstName lastName }\n        accounts { backend outcome message account { status ownership lastError nextAttemptAt } }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProfileUserByEmail($email: String!) {\n    user(email: $email) { id displayName accounts { backend status } }\n  }\n"): (typeof documents)["\n  query ProfileUserByEmail($email: String!) {\n    user(email: $email) { id displayName accounts { backend status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation ProfileAdopt($userId: ID!) {\n        adoptAccount(input: { userId: $userId, backend: RETOOL }) { __typename }\n      }\n    "): (typeof documents)["\n      mutation ProfileAdopt($userId: ID!) {\n        adoptAccount(input: { userId: $userId, backend: RETOOL }) { __typename }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovalCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RemovalCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovalDeleteUser($id: ID!) {\n    deleteUser(input: { id: $id }) {\n      __typename\n      ... on DeleteUserPayload {\n        user { id email status }\n        accounts { backend status ownership externalId lastError nextAttemptAt }\n        apiTokensRevoked\n        poolGrantsRemoved\n        oauth2ConnectionsRemoved\n        oauth2TokensRevoked\n        credentials { backend revoked message }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RemovalDeleteUser($id: ID!) {\n    deleteUser(input: { id: $id }) {\n      __typename\n      ... on DeleteUserPayload {\n        user { id email status }\n        accounts { backend status ownership externalId lastError nextAttemptAt }\n        apiTokensRevoked\n        poolGrantsRemoved\n        oauth2ConnectionsRemoved\n        oauth2TokensRevoked\n        credentials { backend revoked message }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovalRestoreUser($id: ID!) {\n    restoreUser(input: { id: $id }) {\n      __typename\n      ... on RestoreUserPayload { user { id status } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RemovalRestoreUser($id: ID!) {\n    restoreUser(input: { id: $id }) {\n      __typename\n      ... on RestoreUserPayload { user { id status } accounts { backend status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovalUpdateUser($id: ID!) {\n    updateUser(input: { id: $id, displayName: \"Nobody\" }) { __typename ... on Error { message } }\n  }\n"): (typeof documents)["\n  mutation RemovalUpdateUser($id: ID!) {\n    updateUser(input: { id: $id, displayName: \"Nobody\" }) { __typename ... on Error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovalCreateToken($userId: ID!) {\n    createApiToken(input: { name: \"theirs\", scopes: [READ], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"): (typeof documents)["\n  mutation RemovalCreateToken($userId: ID!) {\n    createApiToken(input: { name: \"theirs\", scopes: [READ], userId: $userId }) {\n      __typename\n      ... on CreateApiTokenPayload { token }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RemovalViewer {\n    viewer { id }\n  }\n"): (typeof documents)["\n  query RemovalViewer {\n    viewer { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RemovalLookups($id: ID!, $email: String!, $search: String!) {\n    byId: user(id: $id) { id }\n    byEmail: user(email: $email) { id }\n    node(id: $id) { id }\n    users(first: 10, filter: { search: $search }) { totalCount edges { node { id } } }\n  }\n"): (typeof documents)["\n  query RemovalLookups($id: ID!, $email: String!, $search: String!) {\n    byId: user(id: $id) { id }\n    byEmail: user(email: $email) { id }\n    node(id: $id) { id }\n    users(first: 10, filter: { search: $search }) { totalCount edges { node { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RemovalEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 20) { edges { node { actor operation outcome details } } }\n  }\n"): (typeof documents)["\n  query RemovalEvents($targetId: ID!) {\n    auditEvents(filter: { targetId: $targetId }, first: 20) { edges { node { actor operation outcome details } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation RemovalDisable($id: ID!) {\n        disableUser(input: { id: $id }) { __typename }\n      }\n    "): (typeof documents)["\n      mutation RemovalDisable($id: ID!) {\n        disableUser(input: { id: $id }) { __typename }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation RemovalSync {\n        syncBackend(input: { backend: RETOOL }) { __typename ... on SyncBackendPayload { linked created unchanged skippedMismatches } }\n      }\n    "): (typeof documents)["\n      mutation RemovalSync {\n        syncBackend(input: { backend: RETOOL }) { __typename ... on SyncBackendPayload { linked created unchanged skippedMismatches } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      mutation RemovalRobot {\n        createApiToken(input: { name: \"robot\", scopes: [AUTOMATION] }) { __typename ... on CreateApiTokenPayload { token } }\n      }\n    "): (typeof documents)["\n      mutation RemovalRobot {\n        createApiToken(input: { name: \"robot\", scopes: [AUTOMATION] }) { __typename ... on CreateApiTokenPayload { token } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n"): (typeof documents)["\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n"): (typeof documents)["\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowCreateProvider($input: CreateOAuth2ProviderInput!) {\n    createOAuth2Provider(input: $input) {\n      __typename\n      ... on CreateOAuth2ProviderPayload { provider { id slug clientSecret } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowCreateProvider($input: CreateOAuth2ProviderInput!) {\n    createOAuth2Provider(input: $input) {\n      __typename\n      ... on CreateOAuth2ProviderPayload { provider { id slug clientSecret } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowCreatePool($input: CreateResourcePoolInput!) {\n    createResourcePool(input: $input) {\n      __typename\n      ... on CreateResourcePoolPayload { resourcePool { id name provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowCreatePool($input: CreateResourcePoolInput!) {\n    createResourcePool(input: $input) {\n      __typename\n      ... on CreateResourcePoolPayload { resourcePool { id name provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowUpdatePool($input: UpdateResourcePoolInput!) {\n    updateResourcePool(input: $input) {\n      __typename\n      ... on UpdateResourcePoolPayload { resourcePool { id name public default provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowUpdatePool($input: UpdateResourcePoolInput!) {\n    updateResourcePool(input: $input) {\n      __typename\n      ... on UpdateResourcePoolPayload { resourcePool { id name public default provider { slug } providers { slug } } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on ConnectOAuth2ProviderPayload { authorizationUrl connection { id status authorizationPending } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowConnect($input: ConnectOAuth2ProviderInput!) {\n    connectOAuth2Provider(input: $input) {\n      __typename\n      ... on ConnectOAuth2ProviderPayload { authorizationUrl connection { id status authorizationPending } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) {\n      __typename\n      ... on DisconnectOAuth2ProviderPayload { deletedConnectionId tokenRevoked provider { slug } user { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowDisconnect($connectionId: ID!) {\n    disconnectOAuth2Provider(input: { connectionId: $connectionId }) {\n      __typename\n      ... on DisconnectOAuth2ProviderPayload { deletedConnectionId tokenRevoked provider { slug } user { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FlowGrantViewer($poolId: ID!, $userId: ID!) {\n    grantResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on GrantResourcePoolViewerPayload { granted }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation FlowGrantViewer($poolId: ID!, $userId: ID!) {\n    grantResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {\n      __typename\n      ... on GrantResourcePoolViewerPayload { granted }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FlowUserAccess($id: ID!) {\n    node(id: $id) {\n      ... on User {\n        oauth2Connections { id status authorizationPending provider { slug } }\n        resourcePools(first: 100) { edges { node { name } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FlowUserAccess($id: ID!) {\n    node(id: $id) {\n      ... on User {\n        oauth2Connections { id status authorizationPending provider { slug } }\n        resourcePools(first: 100) { edges { node { name } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FlowPoolViewers($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        viewers(first: 100) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FlowPoolViewers($id: ID!) {\n    node(id: $id) {\n      ... on ResourcePool {\n        viewers(first: 100) { totalCount edges { node { user { id } grants { source provider { slug } } } } }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;