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
    "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged failed }\n      ... on Error { message }\n    }\n  }\n": typeof types.SyncBackendDocument,
    "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n": typeof types.ImportedUserDocument,
    "\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n": typeof types.CreateForRaceDocument,
    "\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n": typeof types.RetryRaceDocument,
    "\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n": typeof types.FaultyCreateDocument,
    "\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n": typeof types.RetryAfterFaultDocument,
    "\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n": typeof types.CreateWithSecretsDocument,
    "\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n": typeof types.RetryForSecretsDocument,
    "\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ProvisionUserDocument,
    "\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n": typeof types.SetStatusDocument,
    "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n": typeof types.UsersWithAccountsDocument,
    "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n": typeof types.CreateForWorkerDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.EnableUserDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.DisableUserDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.UsersPageDocument,
    "\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n": typeof types.UserByEmailDocument,
};
const documents: Documents = {
    "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged failed }\n      ... on Error { message }\n    }\n  }\n": types.SyncBackendDocument,
    "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n": types.ImportedUserDocument,
    "\n  mutation CreateForRace($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { user { id } accounts { status } } }\n  }\n": types.CreateForRaceDocument,
    "\n  mutation RetryRace($userId: ID!) { retryProvisioning(input: { userId: $userId }) { __typename } }\n": types.RetryRaceDocument,
    "\n  mutation FaultyCreate($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } accounts { backend status lastError attempts nextAttemptAt } }\n    }\n  }\n": types.FaultyCreateDocument,
    "\n  mutation RetryAfterFault($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      __typename\n      ... on RetryProvisioningPayload { accounts { backend status lastError externalId } }\n    }\n  }\n": types.RetryAfterFaultDocument,
    "\n  mutation CreateWithSecrets($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { user { id } secrets { backend kind value } }\n    }\n  }\n": types.CreateWithSecretsDocument,
    "\n  mutation RetryForSecrets($userId: ID!) {\n    retryProvisioning(input: { userId: $userId }) {\n      ... on RetryProvisioningPayload { secrets { value } }\n    }\n  }\n": types.RetryForSecretsDocument,
    "\n  mutation ProvisionUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload {\n        created\n        user { id email }\n        accounts { backend status externalId lastError }\n        secrets { backend kind value }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ProvisionUserDocument,
    "\n  mutation SetStatus($id: ID!, $disable: Boolean!) {\n    disableUser(input: { id: $id }) @include(if: $disable) {\n      __typename\n      ... on DisableUserPayload { accounts { backend status } }\n    }\n    enableUser(input: { id: $id }) @skip(if: $disable) {\n      __typename\n      ... on EnableUserPayload { accounts { backend status } }\n    }\n  }\n": types.SetStatusDocument,
    "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n": types.UsersWithAccountsDocument,
    "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n": types.CreateForWorkerDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserPayload { created user { id email username status displayName } accounts { backend } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(input: { id: $id }) {\n      __typename\n      ... on EnableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": types.EnableUserDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(input: { id: $id }) {\n      __typename\n      ... on DisableUserPayload { user { id status } }\n      ... on Error { message }\n    }\n  }\n": types.DisableUserDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { __typename id ... on User { email } }\n  }\n": types.NodeByIdDocument,
    "\n  query UsersPage($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter) {\n    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      totalCount\n      edges { cursor node { email } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.UsersPageDocument,
    "\n  query UserByEmail($email: String!) { user(email: $email) { email username } }\n": types.UserByEmailDocument,
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
export function graphql(source: "\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged failed }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation SyncBackend($backend: Backend!) {\n    syncBackend(input: { backend: $backend }) {\n      __typename\n      ... on SyncBackendPayload { backend linked created unchanged failed }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n"): (typeof documents)["\n  query ImportedUser($email: String!) {\n    user(email: $email) { username status accounts { backend status externalId } }\n  }\n"];
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
export function graphql(source: "\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n"): (typeof documents)["\n  query UsersWithAccounts($first: Int!) {\n    users(first: $first) { edges { node { id accounts { backend } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n"): (typeof documents)["\n  mutation CreateForWorker($input: CreateUserInput!) {\n    createUser(input: $input) { ... on CreateUserPayload { accounts { status } } }\n  }\n"];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;