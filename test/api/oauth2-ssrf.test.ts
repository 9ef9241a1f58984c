// The SSRF surface of OAuth2 providers (docs/oauth2-and-pools.md, "Provider
// URLs and SSRF"): internal targets refused when a provider is saved, every
// resolved address checked again when a request connects (host names are
// mapped by an injected resolver: nothing here talks to a non-loopback
// address), and one generic error for anyone but an admin.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress } from '../../src/backends/outbound-policy.ts';
import { graphql } from '../gql/index.ts';
import { CLIENTS, CreateProvider, PUBLIC_URL, startTestProvider, unique } from '../support/oauth2-flow.ts';
import { startTestGateway } from '../support/gateway.ts';
import type { OidcTestServer } from '../support/oidc-server.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const PRODUCTION = { NODE_ENV: 'production', GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'), PUBLIC_URL };

let oidc: OidcTestServer;
beforeAll(async () => {
  oidc = await startTestProvider();
});
afterAll(async () => {
  await oidc?.close();
});

const UpdateProvider = graphql(`
  mutation SsrfUpdateProvider($input: UpdateOAuth2ProviderInput!) {
    updateOAuth2Provider(input: $input) {
      __typename
      ... on UpdateOAuth2ProviderPayload { provider { issuer } }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ConnectWithDetail = graphql(`
  mutation SsrfConnect($input: ConnectOAuth2ProviderInput!) {
    connectOAuth2Provider(input: $input) {
      __typename
      ... on BackendError { message backend retryable }
      ... on Error { message }
    }
  }
`);

const CreateToken = graphql(`
  mutation SsrfCreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token }
    }
  }
`);

const Providers = graphql(`
  query SsrfProviders {
    oauth2Providers { slug issuer tokenEndpoint }
  }
`);

/** A resolver that knows only the names a test gives it, and records what it was asked. */
function fakeDns(names: Record<string, ResolvedAddress[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  return { asked, resolve };
}

const providerInput = (fields: Record<string, string>) => ({
  slug: unique('ssrf'),
  kind: 'GENERIC_OIDC' as const,
  displayName: 'SSRF probe',
  clientId: CLIENTS.a.client_id,
  clientSecret: CLIENTS.a.client_secret,
  ...fields,
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('provider URLs when a provider is saved', () => {
  it('refuses link-local, private, loopback (in any IPv4 spelling), IPv4-mapped and userinfo URLs in production, naming the field', async () => {
    const api = startTestGateway(testStore().store, PRODUCTION);
    const cases: Array<[Record<string, string>, string]> = [
      [{ issuer: 'http://169.254.169.254/' }, 'issuer'],
      [{ issuer: 'https://169.254.169.254/' }, 'issuer'],
      [{ issuer: 'http://10.0.0.1/' }, 'issuer'],
      [{ issuer: 'https://10.0.0.1/' }, 'issuer'],
      [{ issuer: 'https://192.168.1.10' }, 'issuer'],
      [{ issuer: 'https://100.64.0.1' }, 'issuer'],
      [{ issuer: 'http://2130706433/' }, 'issuer'],
      [{ issuer: 'https://2130706433/' }, 'issuer'],
      [{ issuer: 'http://0x7f.1/' }, 'issuer'],
      [{ issuer: 'https://0177.0.0.1/' }, 'issuer'],
      [{ issuer: 'https://localhost/' }, 'issuer'],
      [{ issuer: 'https://user:pw@idp.example/' }, 'issuer'],
      [{ issuer: 'https://0.0.0.0/' }, 'issuer'],
      [{ authorizationEndpoint: 'https://idp.example/auth', tokenEndpoint: 'https://[::ffff:169.254.169.254]/token' }, 'tokenEndpoint'],
      [{ authorizationEndpoint: 'https://[fe80::1]/auth', tokenEndpoint: 'https://idp.example/token' }, 'authorizationEndpoint'],
      [
        { authorizationEndpoint: 'https://idp.example/auth', tokenEndpoint: 'https://idp.example/token', revocationEndpoint: 'https://[fd12::1]/revoke' },
        'revocationEndpoint',
      ],
    ];
    for (const [fields, field] of cases) {
      const input = providerInput(fields);
      const { data } = await api.graphql(CreateProvider, { input });
      expect(data?.createOAuth2Provider, JSON.stringify(fields)).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', field] }] });
    }
    const listed = await api.graphql(Providers);
    expect(listed.data?.oauth2Providers.filter((p) => p.slug.startsWith('ssrf-'))).toEqual([]);
  });

  it('refuses the same on update, and leaves the provider as it was', async () => {
    const api = startTestGateway(testStore().store, PRODUCTION);
    const created = await api.graphql(CreateProvider, { input: providerInput({ issuer: 'https://idp.example' }) });
    if (created.data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(created));
    const id = created.data.createOAuth2Provider.provider.id;
    for (const issuer of ['https://169.254.169.254/latest/meta-data', 'http://0x7f.1/', 'https://admin:secret@idp.example']) {
      const { data } = await api.graphql(UpdateProvider, { input: { id, issuer } });
      expect(data?.updateOAuth2Provider, issuer).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'issuer'] }] });
    }
    const unchanged = await api.graphql(UpdateProvider, { input: { id } });
    expect(unchanged.data?.updateOAuth2Provider).toEqual({ __typename: 'UpdateOAuth2ProviderPayload', provider: { issuer: 'https://idp.example' } });
  });

  it('accepts internal hosts OAUTH2_ALLOWED_PRIVATE_HOSTS names (by CIDR or by name, plain http included), and nothing else', async () => {
    const api = startTestGateway(testStore().store, { ...PRODUCTION, OAUTH2_ALLOWED_PRIVATE_HOSTS: '10.20.0.0/16, idp.corp' });
    for (const issuer of ['https://10.20.3.4/', 'http://idp.corp/realms/main']) {
      const { data } = await api.graphql(CreateProvider, { input: providerInput({ issuer }) });
      expect(data?.createOAuth2Provider.__typename, issuer).toBe('CreateOAuth2ProviderPayload');
    }
    for (const issuer of ['https://10.21.0.1/', 'http://idp.example/', 'https://169.254.169.254/']) {
      const { data } = await api.graphql(CreateProvider, { input: providerInput({ issuer }) });
      expect(data?.createOAuth2Provider.__typename, issuer).toBe('ValidationError');
    }
  });

  it('outside production allows loopback (development and tests) but still no other internal target', async () => {
    const api = startTestGateway(testStore().store);
    for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080']) {
      const { data } = await api.graphql(CreateProvider, { input: providerInput({ issuer }) });
      expect(data?.createOAuth2Provider.__typename, issuer).toBe('CreateOAuth2ProviderPayload');
    }
    for (const issuer of ['https://169.254.169.254/', 'https://10.0.0.1/', 'https://user:pw@idp.example/']) {
      const { data } = await api.graphql(CreateProvider, { input: providerInput({ issuer }) });
      expect(data?.createOAuth2Provider.__typename, issuer).toBe('ValidationError');
    }
  });
});

describe('a provider saved with userinfo before these checks', () => {
  it('is never shown with its credentials, and is refused when used', async () => {
    const api = startTestGateway(testStore().store, PRODUCTION);
    const row = await seed(api.deps.store).provider({ issuer: 'https://admin:hunter2-secret@idp.example/realm', tokenEndpoint: null });
    const listed = await api.graphql(Providers);
    expect(listed.data?.oauth2Providers.find((p) => p.slug === row.id)).toEqual({ slug: row.id, issuer: 'https://redacted@idp.example/realm', tokenEndpoint: null });

    const user = encodeGlobalID('User', (await seed(api.deps.store).user()).id);
    const { data } = await api.graphql(ConnectWithDetail, { input: { providerId: encodeGlobalID('OAuth2Provider', row.id), userId: user } });
    expect(data?.connectOAuth2Provider).toMatchObject({ __typename: 'BackendError', message: expect.stringContaining('userinfo') });
    expect(JSON.stringify(data)).not.toContain('hunter2');
    expect(api.logs.join('\n')).not.toContain('hunter2');
  });
});

describe('provider requests when they connect', () => {
  it('refuses a host name that resolves to an internal address by the time it is fetched (DNS rebinding), checking every address', async () => {
    const dns = fakeDns({
      'idp.rebound.example': [{ address: '10.0.0.7', family: 4 }],
      // The first address is allowed (listed below; loopback, so a slip would go nowhere): the second must still refuse the name.
      'idp.mixed.example': [
        { address: '127.0.0.1', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ],
      'idp.mapped.example': [{ address: '::ffff:192.168.0.1', family: 6 }],
    });
    const api = startTestGateway(testStore().store, { ...PRODUCTION, OAUTH2_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' }, { oauth2Resolver: dns.resolve });
    const user = encodeGlobalID('User', (await seed(api.deps.store).user()).id);
    for (const [host, address] of [
      ['idp.rebound.example', '10.0.0.7'],
      ['idp.mixed.example', '169.254.169.254'],
      ['idp.mapped.example', '192.168.0.1'],
    ] as const) {
      // Saved while it was (as far as a URL shows) a public name.
      const created = await api.graphql(CreateProvider, { input: providerInput({ issuer: `https://${host}` }) });
      if (created.data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(created));

      const { data } = await api.graphql(ConnectWithDetail, { input: { providerId: created.data.createOAuth2Provider.provider.id, userId: user } });
      expect(data?.connectOAuth2Provider, host).toMatchObject({
        __typename: 'BackendError',
        backend: 'oauth2',
        message: expect.stringMatching(new RegExp(`${host.replaceAll('.', '\\.')} resolves to .*${address.replaceAll('.', '\\.')}.*address`)),
      });
    }
    expect(dns.asked).toEqual(['idp.rebound.example', 'idp.mixed.example', 'idp.mapped.example']);
  });

  it('connects to the address it checked: a loopback name the injected resolver maps reaches the test provider', async () => {
    const port = new URL(oidc.issuer).port;
    const dns = fakeDns({ 'oidc.localhost': [{ address: '127.0.0.1', family: 4 }] });
    const api = startTestGateway(testStore().store, { PUBLIC_URL }, { oauth2Resolver: dns.resolve });
    const created = await api.graphql(CreateProvider, { input: providerInput({ issuer: `http://oidc.localhost:${port}` }) });
    if (created.data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(created));
    const user = encodeGlobalID('User', (await seed(api.deps.store).user()).id);

    const { data } = await api.graphql(ConnectWithDetail, { input: { providerId: created.data.createOAuth2Provider.provider.id, userId: user } });
    // The provider answered (its metadata names its own 127.0.0.1 issuer): the request went through the checked address.
    expect(data?.connectOAuth2Provider).toMatchObject({ __typename: 'BackendError', message: expect.stringContaining('names a different issuer') });
    expect(dns.asked).toEqual(['oidc.localhost']);
  });
});

describe('what a caller learns from a failing provider', () => {
  it('a self caller sees one generic error for "HTTP 404" and "connection refused"; an admin sees the detail; the log has it', async () => {
    const api = startTestGateway(testStore().store, { PUBLIC_URL });
    const me = await seed(api.deps.store).user();
    const minted = await api.graphql(CreateToken, { input: { name: unique('self'), scopes: [], userId: encodeGlobalID('User', me.id) } });
    if (minted.data?.createApiToken.__typename !== 'CreateApiTokenPayload') throw new Error(JSON.stringify(minted));
    const selfToken = minted.data.createApiToken.token;

    const notFound = await api.graphql(CreateProvider, { input: providerInput({ issuer: `${oidc.issuer}/no-such-issuer` }) });
    const refused = await api.graphql(CreateProvider, { input: providerInput({ issuer: `http://127.0.0.1:${await closedPort()}` }) });
    if (notFound.data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(notFound));
    if (refused.data?.createOAuth2Provider.__typename !== 'CreateOAuth2ProviderPayload') throw new Error(JSON.stringify(refused));
    const providers = [notFound.data.createOAuth2Provider.provider.id, refused.data.createOAuth2Provider.provider.id];

    const asSelf = [];
    const asAdmin = [];
    for (const providerId of providers) {
      asSelf.push((await api.graphql(ConnectWithDetail, { input: { providerId } }, { token: selfToken })).data?.connectOAuth2Provider);
      asAdmin.push((await api.graphql(ConnectWithDetail, { input: { providerId, userId: encodeGlobalID('User', me.id) } })).data?.connectOAuth2Provider);
    }
    const generic = { __typename: 'BackendError', backend: 'oauth2', message: 'the provider could not be used', retryable: true };
    expect(asSelf).toEqual([generic, generic]);
    expect(asAdmin).toEqual([
      expect.objectContaining({ __typename: 'BackendError', message: expect.stringContaining('HTTP 404') }),
      expect.objectContaining({ __typename: 'BackendError', message: expect.stringContaining('could not be reached') }),
    ]);
    const logged = api.logs.join('\n');
    expect(logged).toContain('HTTP 404');
    expect(logged).toContain('could not be reached');
    // Nothing was started for either caller.
    expect(await api.deps.store.raw('select id from oauth2_connections where user_id = $1', [me.id])).toEqual([]);
  });
});
