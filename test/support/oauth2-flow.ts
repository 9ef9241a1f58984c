// The OAuth2 connection flow as a browser and an admin drive it, for the pool
// and OAuth2 tests: providers and pools made through the API, the
// authorization run against a real oidc-provider on loopback, and the
// provider's redirect handed to the gateway's own `/oauth2/callback`.
import { randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import type { Store } from '../../src/store/client.ts';
import { graphql } from '../gql/index.ts';
import { startTestGateway, type TestGateway } from './gateway.ts';
import { type OidcTestServer, startOidcServer } from './oidc-server.ts';
import { seed } from './seed.ts';

export const PUBLIC_URL = 'https://gateway.example';
export const REDIRECT_URI = `${PUBLIC_URL}/oauth2/callback`;
export const ALLOWED_RETURN = 'https://app.example/settings';

/** Two clients registered at the test provider; gateway providers pick one. */
export const CLIENTS = {
  a: { client_id: 'gateway-a', client_secret: randomBytes(24).toString('hex'), redirect_uris: [REDIRECT_URI] },
  b: { client_id: 'gateway-b', client_secret: randomBytes(24).toString('hex'), redirect_uris: [REDIRECT_URI] },
};

export const startTestProvider = () => startOidcServer({ clients: Object.values(CLIENTS) });

export const gatewayFor = (store: Store) => startTestGateway(store, { PUBLIC_URL, OAUTH2_RETURN_TO_ALLOWLIST: `${ALLOWED_RETURN},https://ops.example/` });

export const CreateProvider = graphql(`
  mutation FlowCreateProvider($input: CreateOAuth2ProviderInput!) {
    createOAuth2Provider(input: $input) {
      __typename
      ... on CreateOAuth2ProviderPayload { provider { id slug clientSecret } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const CreatePool = graphql(`
  mutation FlowCreatePool($input: CreateResourcePoolInput!) {
    createResourcePool(input: $input) {
      __typename
      ... on CreateResourcePoolPayload { resourcePool { id name provider { slug } providers { slug } } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const UpdatePool = graphql(`
  mutation FlowUpdatePool($input: UpdateResourcePoolInput!) {
    updateResourcePool(input: $input) {
      __typename
      ... on UpdateResourcePoolPayload { resourcePool { id name public default provider { slug } providers { slug } } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const Connect = graphql(`
  mutation FlowConnect($input: ConnectOAuth2ProviderInput!) {
    connectOAuth2Provider(input: $input) {
      __typename
      ... on ConnectOAuth2ProviderPayload { authorizationUrl connection { id status authorizationPending } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const Disconnect = graphql(`
  mutation FlowDisconnect($connectionId: ID!) {
    disconnectOAuth2Provider(input: { connectionId: $connectionId }) {
      __typename
      ... on DisconnectOAuth2ProviderPayload { deletedConnectionId tokenRevoked provider { slug } user { id } }
      ... on Error { message }
    }
  }
`);

export const GrantViewer = graphql(`
  mutation FlowGrantViewer($poolId: ID!, $userId: ID!) {
    grantResourcePoolViewer(input: { poolId: $poolId, userId: $userId }) {
      __typename
      ... on GrantResourcePoolViewerPayload { granted }
      ... on Error { message }
    }
  }
`);

export const UserAccess = graphql(`
  query FlowUserAccess($id: ID!) {
    node(id: $id) {
      ... on User {
        oauth2Connections { id status authorizationPending provider { slug } }
        resourcePools(first: 100) { edges { node { name } } }
      }
    }
  }
`);

export const PoolViewers = graphql(`
  query FlowPoolViewers($id: ID!) {
    node(id: $id) {
      ... on ResourcePool {
        viewers(first: 100) { totalCount edges { node { user { id } grants { source provider { slug } } } } }
      }
    }
  }
`);

let sequence = 0;
export const unique = (prefix: string) => `${prefix}-${(sequence += 1)}-${randomBytes(3).toString('hex')}`;

export interface Access {
  connections: Array<{ id: string; status: string; authorizationPending: boolean; provider: string | undefined }>;
  pools: string[];
}

/** Admin and browser steps over one gateway and one test provider. */
export function oauth2Flow(api: TestGateway, oidc: OidcTestServer) {
  const flow = {
    api,
    oidc,

    async provider(options: { client?: keyof typeof CLIENTS; slug?: string } = {}): Promise<{ id: string; slug: string }> {
      const client = CLIENTS[options.client ?? 'a'];
      const slug = options.slug ?? unique('idp');
      const { data } = await api.graphql(CreateProvider, {
        input: {
          slug,
          kind: 'GENERIC_OIDC',
          displayName: `Test IdP ${slug}`,
          clientId: client.client_id,
          clientSecret: client.client_secret,
          issuer: oidc.issuer,
          scope: 'openid email',
        },
      });
      if (data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(`createOAuth2Provider: ${JSON.stringify(data)}`);
      return { id: data.createOAuth2Provider.provider.id, slug };
    },

    async pool(options: { providerId?: string | null; additionalProviderIds?: string[]; name?: string } = {}): Promise<{ id: string; name: string }> {
      const name = options.name ?? unique('pool');
      const { data } = await api.graphql(CreatePool, {
        input: { name, providerId: options.providerId ?? null, additionalProviderIds: options.additionalProviderIds ?? null },
      });
      if (data?.createResourcePool.__typename !== 'CreateResourcePoolPayload') throw new Error(`createResourcePool: ${JSON.stringify(data)}`);
      return { id: data.createResourcePool.resourcePool.id, name };
    },

    /** A gateway user; `login` is the account they use at the provider. */
    async user(): Promise<{ id: string; rowId: string; login: string }> {
      const row = await seed(api.deps.store).user();
      return { id: encodeGlobalID('User', row.id), rowId: row.id, login: row.username };
    },

    /**
     * connectOAuth2Provider: the connection with an authorization in flight
     * (PENDING when new, still CONNECTED when re-authorized) and where to
     * send the browser.
     */
    async start(providerId: string, userId: string, returnTo?: string): Promise<{ connectionId: string; status: string; authorizationUrl: URL }> {
      const { data } = await api.graphql(Connect, { input: { providerId, userId, returnTo: returnTo ?? null } });
      if (data?.connectOAuth2Provider.__typename !== 'ConnectOAuth2ProviderPayload') throw new Error(`connectOAuth2Provider: ${JSON.stringify(data)}`);
      const { connection, authorizationUrl } = data.connectOAuth2Provider;
      expect(connection.authorizationPending).toBe(true);
      return { connectionId: connection.id, status: connection.status, authorizationUrl: new URL(authorizationUrl) };
    },

    /** The browser at the provider: login and consent (or refusal), up to the redirect back to the gateway. */
    authorize: (authorizationUrl: URL, login: string, deny = false) => oidc.driveAuthorization(authorizationUrl, { accountId: login, deny }),

    /** The browser arriving at the gateway's callback with what the provider put in the redirect. */
    callback: (redirect: URL, accept = 'application/json') => api.fetch(`${redirect.pathname}${redirect.search}`, { headers: { accept } }),

    /** The whole flow; the connection ends CONNECTED. */
    async connect(providerId: string, user: { id: string; login: string }): Promise<string> {
      const started = await flow.start(providerId, user.id);
      const response = await flow.callback(await flow.authorize(started.authorizationUrl, user.login));
      expect(response.status, await response.clone().text()).toBe(200);
      return started.connectionId;
    },

    async disconnect(connectionId: string) {
      const { data } = await api.graphql(Disconnect, { connectionId });
      if (data?.disconnectOAuth2Provider.__typename !== 'DisconnectOAuth2ProviderPayload') throw new Error(`disconnect: ${JSON.stringify(data)}`);
      return data.disconnectOAuth2Provider;
    },

    async grant(poolId: string, userId: string) {
      const { data } = await api.graphql(GrantViewer, { poolId, userId });
      expect(data?.grantResourcePoolViewer.__typename).toBe('GrantResourcePoolViewerPayload');
    },

    /** What the API says the user has: connections and the pools they view, by name. */
    async access(userId: string): Promise<Access> {
      const { data, errors } = await api.graphql(UserAccess, { id: userId });
      expect(errors).toBeUndefined();
      const node = data?.node;
      if (!node || !('resourcePools' in node)) throw new Error(`not a user: ${userId}`);
      return {
        connections: node.oauth2Connections.map((c) => ({ id: c.id, status: c.status, authorizationPending: c.authorizationPending, provider: c.provider?.slug })),
        pools: node.resourcePools.edges.map((edge) => edge.node.name).sort(),
      };
    },

    /** Each viewer of the pool with their grants as `source:provider` strings. */
    async viewers(poolId: string): Promise<Record<string, string[]>> {
      const { data, errors } = await api.graphql(PoolViewers, { id: poolId });
      expect(errors).toBeUndefined();
      const node = data?.node;
      if (!node || !('viewers' in node)) throw new Error(`not a pool: ${poolId}`);
      return Object.fromEntries(
        node.viewers.edges.map(({ node: viewer }) => [
          viewer.user?.id ?? '?',
          viewer.grants.map((grant) => (grant.provider ? `${grant.source.toLowerCase()}:${grant.provider.slug}` : grant.source.toLowerCase())).sort(),
        ]),
      );
    },
  };
  return flow;
}

export type OAuth2Flow = ReturnType<typeof oauth2Flow>;
