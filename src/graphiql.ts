// GraphiQL served entirely by the gateway. Yoga's default page loads React,
// GraphiQL and Monaco from a public CDN, so on a machine without internet
// access it stays a blank "Loading…" page; @graphql-yoga/render-graphiql
// inlines all of them (about 9 MB of script) into the one HTML response.
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Config } from './config.ts';

const TITLE = 'Identity Gateway';

const AUTH_HINT_DEV = `# Dev mode: every caller is an admin, no header needed.
# Once GATEWAY_ADMIN_TOKEN is set, send it in "Headers":
#   { "Authorization": "Bearer <token>" }`;

const AUTH_HINT = `# Put your credential in "Headers" below:
#   { "Authorization": "Bearer <token>" }
# GATEWAY_ADMIN_TOKEN, an API token (igw_...) or a JWT.`;

/**
 * One tab per area. Every operation is named, so a tab's operations live in
 * one document and the run button asks which to run. The first tab needs no
 * variables: GraphiQL leaves the first tab's variables editor empty on a
 * first visit.
 */
export function exampleTabs(backends: readonly string[]): Array<{ name: string; query: string; variables: string }> {
  return [
    {
      name: 'users',
      query: `# Users and their account on each backend.
query ListUsers {
  users(first: 10, filter: { status: ACTIVE }) {
    totalCount
    edges {
      node {
        id email username displayName status
        accounts { backend status externalId }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

query FindUser {
  user(email: "ada@example.com") {
    id username status createdAt
    accounts { backend status lastError }
  }
}
`,
      variables: '',
    },
    {
      name: 'provisioning',
      query: `# Provisioning: an account on every configured backend.
# Secrets (initial password, forge token) show once, here.
mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on CreateUserPayload {
      created
      user { id email username }
      accounts { backend status externalId lastError }
      secrets { backend kind value }
    }
    ... on ValidationError { message fieldErrors { path message } }
    ... on Error { message }
  }
}

query FailedAccounts {
  users(first: 20) {
    edges { node { username accounts { backend status attempts lastError nextAttemptAt } } }
  }
}
`,
      // Only the backends this gateway has: any other is a ValidationError.
      variables: JSON.stringify({ input: { email: 'grace@example.com', username: 'grace', displayName: 'Grace Hopper', backends } }, null, 2),
    },
    {
      name: 'database users',
      query: `# Database users are Postgres roles; services
# (PostgREST, MCP, RAG) connect as one of them.
query DatabaseUsersAndServices {
  databaseUsers(first: 20) {
    totalCount
    edges { node { id username status roles roleCreated services { serviceId type } } }
  }
  services(first: 20) {
    totalCount
    edges { node { id serviceId type version connectAs { username } grants { kind target grantee } } }
  }
}

mutation CreateDatabaseUser($input: CreateDatabaseUserInput!) {
  createDatabaseUser(input: $input) {
    __typename
    ... on CreateDatabaseUserPayload { password roleCreated databaseUser { id username status } }
    ... on ValidationError { message fieldErrors { path message } }
    ... on Error { message }
  }
}
`,
      variables: JSON.stringify({ input: { username: 'reporting_reader' } }, null, 2),
    },
    {
      name: 'pools and OAuth2',
      query: `# Resource pools are gated by OAuth2 providers: a user
# connected to a pool's provider is one of its viewers.
query PoolsAndViewers {
  resourcePools(first: 10) {
    totalCount
    edges {
      node {
        id name public default remoteKind
        providers { slug displayName kind }
        viewers(first: 5) { totalCount }
      }
    }
  }
}

mutation CreateResourcePool($input: CreateResourcePoolInput!) {
  createResourcePool(input: $input) {
    __typename
    ... on CreateResourcePoolPayload { resourcePool { id name public } }
    ... on ValidationError { message fieldErrors { path message } }
    ... on Error { message }
  }
}
`,
      variables: JSON.stringify({ input: { name: 'shared-datasets', public: false } }, null, 2),
    },
  ];
}

/** The page's options: the project's title, the example tabs, and where the credential goes. */
export function graphiqlOptions(config: Pick<Config, 'auth' | 'retool' | 'forge'>): GraphiQLOptions {
  const devMode = config.auth.devMode;
  const backends = [config.retool && 'RETOOL', config.forge && 'FORGE'].filter((name) => typeof name === 'string');
  const hint = devMode ? AUTH_HINT_DEV : AUTH_HINT;
  const headers = devMode ? '{}' : JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2);
  return {
    title: TITLE,
    defaultTabs: exampleTabs(backends).map((tab) => ({ query: `${hint}\n\n${tab.query}`, variables: tab.variables, headers })),
    defaultEditorToolsVisibility: 'variables',
    // Never keep a pasted token in the browser's storage.
    shouldPersistHeaders: false,
  };
}

// The page is about 14 MB once the workers are inlined: loaded on the first
// browser visit (not at start-up) and rendered once per set of options.
const rendered = new Map<string, Promise<string>>();

/** Yoga's `renderGraphiQL`: the self-contained page. */
export function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = rendered.get(key);
  if (!page) {
    page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    page.catch(() => rendered.delete(key));
    rendered.set(key, page);
  }
  return page;
}
