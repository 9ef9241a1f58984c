// The operations the bench sends. The baseline server dispatches on the
// operation name and answers the same bytes without any GraphQL machinery.

export const USERS_WITH_POOLS = 'BenchUsers';
export const USERS_WITH_POOL_LIST = 'BenchUsersPoolList';
export const USERS_WITHOUT_POOLS = 'BenchUsersNoPools';
export const NODE_LOOKUP = 'BenchNode';
export const SERVICES = 'BenchServices';
export const CREATE_USER = 'BenchCreateUser';
export const CREATE_USERS = 'BenchCreateUsers';

export const QUERIES = {
  [USERS_WITH_POOLS]: `query ${USERS_WITH_POOLS}($first: Int!) {
  users(first: $first) { edges { node { id email status accounts { backend status } resourcePools(first: 10) { edges { node { name } } } } } }
}`,
  [USERS_WITH_POOL_LIST]: `query ${USERS_WITH_POOL_LIST}($first: Int!) {
  users(first: $first) { edges { node { id email status accounts { backend status } resourcePools { name } } } }
}`,
  [USERS_WITHOUT_POOLS]: `query ${USERS_WITHOUT_POOLS}($first: Int!) {
  users(first: $first) { edges { node { id email status accounts { backend status } } } }
}`,
  [NODE_LOOKUP]: `query ${NODE_LOOKUP}($id: ID!) {
  node(id: $id) { __typename id ... on User { email username status } }
}`,
  [SERVICES]: `query ${SERVICES}($first: Int!) {
  services(first: $first) { edges { node { serviceId connectAs { username services { serviceId } } } } }
}`,
  [CREATE_USER]: `mutation ${CREATE_USER}($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on CreateUserPayload { user { id } accounts { backend status lastError } }
    ... on Error { message }
  }
}`,
  [CREATE_USERS]: `mutation ${CREATE_USERS}($input: CreateUsersInput!) {
  createUsers(input: $input) {
    __typename
    ... on CreateUsersPayload { created existing failed }
    ... on Error { message }
  }
}`,
} as const;

export type OperationName = keyof typeof QUERIES;

export function requestBody(operationName: OperationName, variables: Record<string, unknown>): string {
  return JSON.stringify({ operationName, query: QUERIES[operationName], variables });
}

/** Relay global id, as the gateway encodes it (Pothos: base64 of `Type:id`). */
export const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
