// The OAuth2 connection flow end to end over HTTP, against a real
// authorization server (oidc-provider on loopback): connectOAuth2Provider →
// login and consent at the provider → the gateway's /oauth2/callback → pool
// access, and the access rules of backends.md §4, each in one scenario.
import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import {
  ALLOWED_RETURN,
  CLIENTS,
  Connect,
  gatewayFor,
  type OAuth2Flow,
  oauth2Flow,
  REDIRECT_URI,
  startTestProvider,
  UpdatePool,
} from '../support/oauth2-flow.ts';
import type { OidcTestServer } from '../support/oidc-server.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
let oidc: OidcTestServer;

beforeAll(async () => {
  oidc = await startTestProvider();
});

afterAll(async () => {
  await oidc?.close();
});

const newFlow = (): OAuth2Flow => oauth2Flow(gatewayFor(testStore().store), oidc);

const DeleteProvider = graphql(`
  mutation FlowDeleteProvider($id: ID!) {
    deleteOAuth2Provider(input: { id: $id }) {
      __typename
      ... on DeleteOAuth2ProviderPayload { deletedProviderId }
      ... on Error { message }
    }
  }
`);

interface SecretRow extends Record<string, unknown> {
  purpose: string;
  ciphertext: Uint8Array;
}

/** The sealed rows the store holds for a connection (by its row id, not the global id). */
async function connectionSecrets(flow: OAuth2Flow, connectionGlobalId: string): Promise<SecretRow[]> {
  const rowId = Buffer.from(connectionGlobalId, 'base64').toString('utf8').split(':')[1];
  return flow.api.deps.store.raw<SecretRow>(
    `select purpose, ciphertext from secrets where owner_type = 'oauth2_connection' and owner_id = $1 order by purpose`,
    [rowId],
  );
}

const rowIdOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1] ?? '';

async function storedToken(flow: OAuth2Flow, connectionId: string): Promise<{ accessToken: string; refreshToken?: string } | undefined> {
  const sealed = await flow.api.deps.secrets.get(flow.api.deps.store.db, {
    ownerType: 'oauth2_connection',
    ownerId: rowIdOf(connectionId),
    purpose: 'oauth2_token',
  });
  return sealed === undefined ? undefined : (JSON.parse(sealed) as { accessToken: string; refreshToken?: string });
}

describe('the authorization-code flow', () => {
  it('connects through the provider, stores the token encrypted and grants the linked pools; disconnecting undoes exactly that', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const linked = await flow.pool({ providerId: idp.id });
    const alsoLinked = await flow.pool({ providerId: idp.id });
    const unrelated = await flow.pool();
    const alice = await flow.user();
    await flow.grant(linked.id, alice.id);

    const started = await flow.start(idp.id, alice.id, `${ALLOWED_RETURN}/connections`);
    const params = started.authorizationUrl.searchParams;
    expect(`${started.authorizationUrl.origin}${started.authorizationUrl.pathname}`).toBe(`${oidc.issuer}/auth`);
    expect(Object.fromEntries(params)).toMatchObject({
      client_id: CLIENTS.a.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(params.get('state')).toMatch(/^[\w-]{43}$/);
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The verifier is sealed at rest until the callback consumes it.
    expect((await connectionSecrets(flow, started.connectionId)).map((row) => row.purpose)).toEqual(['pkce_verifier']);

    const redirect = await flow.authorize(started.authorizationUrl, alice.login);
    const response = await flow.callback(redirect, 'text/html');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ALLOWED_RETURN}/connections`);

    expect(await flow.access(alice.id)).toEqual({
      connections: [{ id: started.connectionId, status: 'CONNECTED', authorizationPending: false, provider: idp.slug }],
      pools: [alsoLinked.name, linked.name].sort(),
    });
    expect(await flow.viewers(linked.id)).toEqual({ [alice.id]: ['manual', `oauth2:${idp.slug}`] });
    expect(await flow.viewers(unrelated.id)).toEqual({});

    const sealed = await connectionSecrets(flow, started.connectionId);
    expect(sealed.map((row) => row.purpose)).toEqual(['oauth2_token']);
    const token = await storedToken(flow, started.connectionId);
    expect(token?.accessToken).toEqual(expect.any(String));
    const accessToken = token?.accessToken ?? '';
    expect(Buffer.from(sealed[0]?.ciphertext ?? []).toString('latin1')).not.toContain(accessToken);
    expect((await oidc.introspect(accessToken)).active).toBe(true);

    const disconnected = await flow.disconnect(started.connectionId);
    expect(disconnected).toMatchObject({ deletedConnectionId: started.connectionId, tokenRevoked: true, provider: { slug: idp.slug }, user: { id: alice.id } });
    expect((await oidc.introspect(accessToken)).active).toBe(false);
    expect(await flow.access(alice.id)).toEqual({ connections: [], pools: [linked.name] });
    expect(await flow.viewers(linked.id)).toEqual({ [alice.id]: ['manual'] });
    expect(await connectionSecrets(flow, started.connectionId)).toEqual([]);

    const logs = flow.api.logs.join('\n');
    for (const secret of [accessToken, token?.refreshToken, CLIENTS.a.client_secret, redirect.searchParams.get('code'), params.get('state')]) {
      if (secret) expect(logs).not.toContain(secret);
    }
  });

  it('answers a small JSON page when the connection has no returnTo', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const bob = await flow.user();
    const started = await flow.start(idp.id, bob.id);
    const response = await flow.callback(await flow.authorize(started.authorizationUrl, bob.login));
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toEqual({ status: 'connected', provider: idp.slug, connectionStatus: 'CONNECTED' });
  });
});

describe('one-time values', () => {
  it('the store keeps only the SHA-256 of the state, and a replayed connectOAuth2Provider does not show the authorization URL again', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const ivy = await flow.user();
    const key = `connect-${ivy.rowId}`;
    const first = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: ivy.id } }, { headers: { 'idempotency-key': key } });
    if (first.data?.connectOAuth2Provider.__typename !== 'ConnectOAuth2ProviderPayload') throw new Error(JSON.stringify(first));
    const url = first.data.connectOAuth2Provider.authorizationUrl;
    const state = new URL(url).searchParams.get('state') ?? '';

    const [row] = await flow.api.deps.store.raw<{ state: string }>('select state from oauth2_connections where id = $1', [rowIdOf(first.data.connectOAuth2Provider.connection.id)]);
    expect(row?.state).toBe(createHash('sha256').update(state).digest('hex'));
    expect(JSON.stringify(await flow.api.deps.store.raw('select * from oauth2_connections'))).not.toContain(state);

    const replay = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: ivy.id } }, { headers: { 'idempotency-key': key } });
    expect(replay.data?.connectOAuth2Provider).toMatchObject({ __typename: 'ConnectOAuth2ProviderPayload', authorizationUrl: '[revealed once]' });
    const stored = await flow.api.deps.store.raw<{ response: unknown }>('select response from idempotency_keys where key = $1', [key]);
    expect(JSON.stringify(stored)).not.toContain(state);
    expect(JSON.stringify(await flow.api.deps.store.raw('select details from audit_events'))).not.toContain(state);

    // The URL handed out first still works.
    const response = await flow.callback(await flow.authorize(new URL(url), ivy.login));
    expect(response.status).toBe(200);
  });
});

describe('re-authorizing a CONNECTED connection', () => {
  it('keeps the connection CONNECTED with its token and grants until the callback; a successful one swaps the token', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const carol = await flow.user();
    const first = await flow.connect(idp.id, carol);
    const firstToken = await storedToken(flow, first);

    const again = await flow.start(idp.id, carol.id);
    expect(again).toMatchObject({ connectionId: first, status: 'CONNECTED' });
    // In flight: nothing withdrawn, the old token still the one stored.
    expect(await flow.access(carol.id)).toEqual({
      connections: [{ id: first, status: 'CONNECTED', authorizationPending: true, provider: idp.slug }],
      pools: [pool.name],
    });
    expect(await flow.viewers(pool.id)).toEqual({ [carol.id]: [`oauth2:${idp.slug}`] });
    expect(await storedToken(flow, first)).toEqual(firstToken);

    const response = await flow.callback(await flow.authorize(again.authorizationUrl, carol.login));
    expect(response.status).toBe(200);
    expect(await flow.access(carol.id)).toEqual({
      connections: [{ id: first, status: 'CONNECTED', authorizationPending: false, provider: idp.slug }],
      pools: [pool.name],
    });
    const swapped = await storedToken(flow, first);
    expect(swapped?.accessToken).toEqual(expect.any(String));
    expect(swapped?.accessToken).not.toBe(firstToken?.accessToken);
    expect((await oidc.introspect(swapped?.accessToken ?? '')).active).toBe(true);
  });

  it('a failed re-authorization (refused at the provider) keeps the old token and grants', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const dora = await flow.user();
    const connection = await flow.connect(idp.id, dora);
    const token = await storedToken(flow, connection);

    const again = await flow.start(idp.id, dora.id);
    const refused = await flow.callback(await flow.authorize(again.authorizationUrl, dora.login, true));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ status: 'error', error: { code: 'provider_error' } });

    expect(await flow.access(dora.id)).toEqual({
      connections: [{ id: connection, status: 'CONNECTED', authorizationPending: false, provider: idp.slug }],
      pools: [pool.name],
    });
    expect(await storedToken(flow, connection)).toEqual(token);
    expect((await oidc.introspect(token?.accessToken ?? '')).active).toBe(true);
  });

  it('an abandoned re-authorization changes nothing, and an older one cannot complete once a newer one started', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const ezra = await flow.user();
    const connection = await flow.connect(idp.id, ezra);
    const token = await storedToken(flow, connection);

    const abandoned = await flow.start(idp.id, ezra.id);
    const newer = await flow.start(idp.id, ezra.id);
    // The first one's state was replaced: its callback is refused and changes nothing.
    const stale = await flow.callback(await flow.authorize(abandoned.authorizationUrl, ezra.login));
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ status: 'error', error: { code: 'invalid_state' } });
    expect(await storedToken(flow, connection)).toEqual(token);
    expect((await flow.access(ezra.id)).pools).toEqual([pool.name]);

    expect((await flow.callback(await flow.authorize(newer.authorizationUrl, ezra.login))).status).toBe(200);
    expect((await storedToken(flow, connection))?.accessToken).not.toBe(token?.accessToken);
  });
});

describe('access rules (backends.md §4)', () => {
  it('rule 1: connecting grants viewer on every pool linked to that provider, and on no other', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const other = await flow.provider({ client: 'b' });
    const primary = await flow.pool({ providerId: idp.id });
    const further = await flow.pool({ providerId: other.id, additionalProviderIds: [idp.id] });
    const elsewhere = await flow.pool({ providerId: other.id });
    const dave = await flow.user();

    await flow.connect(idp.id, dave);

    expect((await flow.access(dave.id)).pools).toEqual([further.name, primary.name].sort());
    expect(await flow.viewers(elsewhere.id)).toEqual({});
  });

  it('rule 2: disconnecting revokes the grants that came from that provider only', async () => {
    const flow = newFlow();
    const one = await flow.provider();
    const two = await flow.provider({ client: 'b' });
    const poolOne = await flow.pool({ providerId: one.id });
    const poolTwo = await flow.pool({ providerId: two.id });
    const erin = await flow.user();
    const viaOne = await flow.connect(one.id, erin);
    await flow.connect(two.id, erin);

    await flow.disconnect(viaOne);

    expect((await flow.access(erin.id)).pools).toEqual([poolTwo.name]);
    expect(await flow.viewers(poolOne.id)).toEqual({});
  });

  it('rule 3: a pool created with a provider grants every user connected to it, and no PENDING one', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const [frank, grace, heidi] = [await flow.user(), await flow.user(), await flow.user()];
    await flow.connect(idp.id, frank);
    await flow.connect(idp.id, grace);
    await flow.start(idp.id, heidi.id);

    const pool = await flow.pool({ providerId: idp.id });

    expect(await flow.viewers(pool.id)).toEqual({ [frank.id]: [`oauth2:${idp.slug}`], [grace.id]: [`oauth2:${idp.slug}`] });
  });

  it("rule 4: changing a pool's provider revokes the old provider's grants and grants the new one's users; clearing it revokes all", async () => {
    const flow = newFlow();
    const before = await flow.provider();
    const after = await flow.provider({ client: 'b' });
    const [ivan, judy, kim] = [await flow.user(), await flow.user(), await flow.user()];
    await flow.connect(before.id, ivan);
    await flow.connect(after.id, judy);
    const pool = await flow.pool({ providerId: before.id });
    await flow.grant(pool.id, kim.id);
    expect(Object.keys(await flow.viewers(pool.id)).sort()).toEqual([ivan.id, kim.id].sort());

    const changed = await flow.api.graphql(UpdatePool, { input: { id: pool.id, providerId: after.id } });
    expect(changed.data?.updateResourcePool).toMatchObject({ __typename: 'UpdateResourcePoolPayload', resourcePool: { provider: { slug: after.slug } } });
    expect(await flow.viewers(pool.id)).toEqual({ [judy.id]: [`oauth2:${after.slug}`], [kim.id]: ['manual'] });

    const cleared = await flow.api.graphql(UpdatePool, { input: { id: pool.id, providerId: null } });
    expect(cleared.data?.updateResourcePool).toMatchObject({ __typename: 'UpdateResourcePoolPayload', resourcePool: { provider: null, providers: [] } });
    expect(await flow.viewers(pool.id)).toEqual({ [kim.id]: ['manual'] });
  });

  it('rule 5: a provider a pool references cannot be deleted; once unlinked it can, and its connections go with it', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const leo = await flow.user();
    const connection = await flow.connect(idp.id, leo);
    const token = await storedToken(flow, connection);

    const refused = await flow.api.graphql(DeleteProvider, { id: idp.id });
    expect(refused.data?.deleteOAuth2Provider).toEqual({ __typename: 'ConflictError', message: expect.stringContaining(`"${pool.name}"`) });
    expect((await flow.access(leo.id)).pools).toEqual([pool.name]);

    await flow.api.graphql(UpdatePool, { input: { id: pool.id, providerId: null } });
    const deleted = await flow.api.graphql(DeleteProvider, { id: idp.id });
    expect(deleted.data?.deleteOAuth2Provider).toEqual({ __typename: 'DeleteOAuth2ProviderPayload', deletedProviderId: idp.id });
    expect(await flow.access(leo.id)).toEqual({ connections: [], pools: [] });
    expect(await connectionSecrets(flow, connection)).toEqual([]);
    expect((await oidc.introspect(token?.accessToken ?? '')).active).toBe(false);
  });

  it('manual grants are never removed by the OAuth2 rules', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const mallory = await flow.user();
    await flow.grant(pool.id, mallory.id);
    const connection = await flow.connect(idp.id, mallory);
    await flow.start(idp.id, mallory.id);
    await flow.disconnect(connection);
    await flow.api.graphql(UpdatePool, { input: { id: pool.id, providerId: null } });

    expect(await flow.viewers(pool.id)).toEqual({ [mallory.id]: ['manual'] });
  });

  it('the source system\'s gap is closed: a grant given when a pool was created goes when the user disconnects', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const nina = await flow.user();
    const connection = await flow.connect(idp.id, nina);
    const created = await flow.pool({ providerId: idp.id });
    const relinked = await flow.pool();
    await flow.api.graphql(UpdatePool, { input: { id: relinked.id, providerId: idp.id } });
    expect((await flow.access(nina.id)).pools).toEqual([created.name, relinked.name].sort());

    await flow.disconnect(connection);

    expect((await flow.access(nina.id)).pools).toEqual([]);
    expect(await flow.viewers(created.id)).toEqual({});
    expect(await flow.viewers(relinked.id)).toEqual({});
  });

  it('a user connected to two providers linked to the same pool keeps access until both disconnect', async () => {
    const flow = newFlow();
    const one = await flow.provider();
    const two = await flow.provider({ client: 'b' });
    const pool = await flow.pool({ providerId: one.id, additionalProviderIds: [two.id] });
    const oscar = await flow.user();
    const viaOne = await flow.connect(one.id, oscar);
    const viaTwo = await flow.connect(two.id, oscar);
    expect(await flow.viewers(pool.id)).toEqual({ [oscar.id]: [`oauth2:${one.slug}`, `oauth2:${two.slug}`] });

    await flow.disconnect(viaOne);
    expect((await flow.access(oscar.id)).pools).toEqual([pool.name]);
    expect(await flow.viewers(pool.id)).toEqual({ [oscar.id]: [`oauth2:${two.slug}`] });

    await flow.disconnect(viaTwo);
    expect((await flow.access(oscar.id)).pools).toEqual([]);
  });
});

describe('a callback that must not connect', () => {
  /** After a refused callback: still PENDING, no token sealed, no grant. */
  async function expectNothingGranted(flow: OAuth2Flow, user: { id: string }, connectionId: string) {
    expect(await flow.access(user.id)).toMatchObject({ connections: [{ id: connectionId, status: 'PENDING' }], pools: [] });
    expect((await connectionSecrets(flow, connectionId)).map((row) => row.purpose)).not.toContain('oauth2_token');
  }

  async function refused(response: Response, code: string): Promise<string> {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('location')).toBeNull();
    const body = (await response.json()) as { status: string; error: { code: string; message: string } };
    expect(body).toMatchObject({ status: 'error', error: { code } });
    return body.error.message;
  }

  it('a replayed state is refused: the first use consumed it', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    await flow.pool({ providerId: idp.id });
    const pat = await flow.user();
    const started = await flow.start(idp.id, pat.id);
    const redirect = await flow.authorize(started.authorizationUrl, pat.login);
    const tampered = new URL(redirect);
    tampered.searchParams.set('iss', 'http://127.0.0.1:1/evil');

    expect(await refused(await flow.callback(tampered), 'iss_mismatch')).toContain('iss');
    // The genuine redirect arrives after the state was used: refused too.
    expect(await refused(await flow.callback(redirect), 'invalid_state')).toContain('already used');
    await expectNothingGranted(flow, pat, started.connectionId);
  });

  it('two callbacks racing with the same state: exactly one connects', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const olga = await flow.user();
    const started = await flow.start(idp.id, olga.id);
    const redirect = await flow.authorize(started.authorizationUrl, olga.login);

    const statuses = (await Promise.all([flow.callback(redirect), flow.callback(redirect)])).map((response) => response.status);

    expect(statuses.sort()).toEqual([200, 400]);
    expect(await flow.viewers(pool.id)).toEqual({ [olga.id]: [`oauth2:${idp.slug}`] });
  });

  it('a replay of a successful callback changes nothing', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const quinn = await flow.user();
    const started = await flow.start(idp.id, quinn.id);
    const redirect = await flow.authorize(started.authorizationUrl, quinn.login);
    expect((await flow.callback(redirect)).status).toBe(200);
    const token = await storedToken(flow, started.connectionId);

    await refused(await flow.callback(redirect), 'invalid_state');
    expect(await storedToken(flow, started.connectionId)).toEqual(token);
    expect((await oidc.introspect(token?.accessToken ?? '')).active).toBe(true);
    expect((await flow.access(quinn.id)).pools).toEqual([pool.name]);
  });

  it('a wrong state is refused and does not use up the real one', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const rita = await flow.user();
    const started = await flow.start(idp.id, rita.id);
    const redirect = await flow.authorize(started.authorizationUrl, rita.login);
    const forged = new URL(redirect);
    forged.searchParams.set('state', 'x'.repeat(43));

    await refused(await flow.callback(forged), 'invalid_state');
    await refused(await flow.callback(new URL(`${REDIRECT_URI}?code=abc`)), 'invalid_request');
    await expectNothingGranted(flow, rita, started.connectionId);

    expect((await flow.callback(redirect)).status).toBe(200);
    expect((await flow.access(rita.id)).pools).toEqual([pool.name]);
  });

  it('a missing PKCE verifier is refused before any code exchange', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    await flow.pool({ providerId: idp.id });
    const sam = await flow.user();
    const started = await flow.start(idp.id, sam.id);
    const redirect = await flow.authorize(started.authorizationUrl, sam.login);
    await flow.api.deps.store.raw(`delete from secrets where owner_type = 'oauth2_connection' and owner_id = $1 and purpose = 'pkce_verifier'`, [
      rowIdOf(started.connectionId),
    ]);

    expect(await refused(await flow.callback(redirect), 'missing_verifier')).toContain('PKCE');
    await expectNothingGranted(flow, sam, started.connectionId);
  });

  it('an iss naming another authorization server is refused (RFC 9207)', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    await flow.pool({ providerId: idp.id });
    const tina = await flow.user();
    const started = await flow.start(idp.id, tina.id);
    const redirect = await flow.authorize(started.authorizationUrl, tina.login);
    expect(redirect.searchParams.get('iss')).toBe(oidc.issuer);
    redirect.searchParams.set('iss', 'https://evil.example');

    expect(await refused(await flow.callback(redirect), 'iss_mismatch')).toContain('different authorization server');
    await expectNothingGranted(flow, tina, started.connectionId);
  });

  it('a refusal at the provider (error=access_denied) is reported as such', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    await flow.pool({ providerId: idp.id });
    const uma = await flow.user();
    const started = await flow.start(idp.id, uma.id, ALLOWED_RETURN);
    const redirect = await flow.authorize(started.authorizationUrl, uma.login, true);
    expect(redirect.searchParams.get('error')).toBe('access_denied');

    const response = await flow.callback(redirect, 'text/html');
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('access_denied');
    await expectNothingGranted(flow, uma, started.connectionId);
  });

  it('an expired state is refused', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const victor = await flow.user();
    const started = await flow.start(idp.id, victor.id);
    const redirect = await flow.authorize(started.authorizationUrl, victor.login);
    await flow.api.deps.store.raw(`update oauth2_connections set state_expires_at = now() - interval '1 second' where id = $1`, [rowIdOf(started.connectionId)]);

    await refused(await flow.callback(redirect), 'expired_state');
    await expectNothingGranted(flow, victor, started.connectionId);
  });
});

describe('returnTo', () => {
  it('is refused by connectOAuth2Provider unless it is on the allowlist, compared as origin and whole path segments', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const wendy = await flow.user();
    for (const returnTo of [
      'https://app.example.evil.com/settings',
      'https://app.example@evil.com/settings',
      'https://app.example/settingsX',
      'http://app.example/settings',
      'https://app.example:8443/settings',
      '//evil.com/settings',
      'javascript:alert(1)',
      'https://evil.com/?next=https://app.example/settings',
    ]) {
      const { data } = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: wendy.id, returnTo } });
      expect(data?.connectOAuth2Provider, returnTo).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'returnTo'] }] });
    }
    for (const returnTo of [ALLOWED_RETURN, `${ALLOWED_RETURN}/oauth?x=1`, 'https://ops.example/anything']) {
      const { data } = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: wendy.id, returnTo } });
      expect(data?.connectOAuth2Provider.__typename, returnTo).toBe('ConnectOAuth2ProviderPayload');
    }
    expect((await flow.access(wendy.id)).connections).toHaveLength(1);
  });

  it('is never redirected to when it is not on the allowlist at callback time', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const xena = await flow.user();
    const started = await flow.start(idp.id, xena.id, ALLOWED_RETURN);
    // As if the row had been tampered with, or the allowlist shrunk since.
    await flow.api.deps.store.raw(`update oauth2_connections set return_to = 'https://evil.example/' where id = $1`, [rowIdOf(started.connectionId)]);

    const response = await flow.callback(await flow.authorize(started.authorizationUrl, xena.login), 'text/html');
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain('connected');
    expect(page).not.toContain('evil.example');
  });
});

describe('returnTo as a header value', () => {
  it('refuses CR/LF (raw or percent-encoded), other controls, backslashes and userinfo, even where the URL parser would repair them', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const wendy = await flow.user();
    for (const returnTo of [
      `${ALLOWED_RETURN}/\r\nSet-Cookie: session=evil`,
      `${ALLOWED_RETURN}/\nx`,
      `${ALLOWED_RETURN}/\tx`,
      `${ALLOWED_RETURN}/%0d%0aSet-Cookie:%20session=evil`,
      `${ALLOWED_RETURN}/%0Ax`,
      `${ALLOWED_RETURN}/%00`,
      `${ALLOWED_RETURN}\\evil`,
      'https://app.example\\@evil.example/settings',
      'https://user:pw@app.example/settings',
      'https://@app.example/settings',
    ]) {
      const { data } = await flow.api.graphql(Connect, { input: { providerId: idp.id, userId: wendy.id, returnTo } });
      expect(data?.connectOAuth2Provider, JSON.stringify(returnTo)).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'returnTo'] }] });
    }
    expect((await flow.access(wendy.id)).connections).toEqual([]);
  });

  it('is stored and redirected to as the parser\'s normalised href', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const xavi = await flow.user();
    const started = await flow.start(idp.id, xavi.id, 'HTTPS://APP.EXAMPLE/settings/./oauth/done page?x=a b');
    const [row] = await flow.api.deps.store.raw<{ return_to: string }>('select return_to from oauth2_connections where id = $1', [rowIdOf(started.connectionId)]);
    const normalised = 'https://app.example/settings/oauth/done%20page?x=a%20b';
    expect(row?.return_to).toBe(normalised);

    const response = await flow.callback(await flow.authorize(started.authorizationUrl, xavi.login));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(normalised);
  });

  it('a bad returnTo already in the store never turns the completed callback into a 500', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    for (const stored of [`${ALLOWED_RETURN}/\r\nSet-Cookie: session=evil`, `${ALLOWED_RETURN}\\@evil.example/`, 'https://@app.example/settings']) {
      const user = await flow.user();
      const started = await flow.start(idp.id, user.id, ALLOWED_RETURN);
      // Seeded directly: as if written before these checks existed.
      await flow.api.deps.store.raw('update oauth2_connections set return_to = $2 where id = $1', [rowIdOf(started.connectionId), stored]);

      const response = await flow.callback(await flow.authorize(started.authorizationUrl, user.login), 'text/html');
      expect(response.status, JSON.stringify(stored)).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('connected');
      expect((await flow.access(user.id)).pools).toEqual([pool.name]);
    }

    // One the parser only normalises is redirected to as its href.
    const yara = await flow.user();
    const started = await flow.start(idp.id, yara.id, ALLOWED_RETURN);
    await flow.api.deps.store.raw('update oauth2_connections set return_to = $2 where id = $1', [rowIdOf(started.connectionId), 'https://APP.example/settings/a/../b c']);
    const response = await flow.callback(await flow.authorize(started.authorizationUrl, yara.login));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://app.example/settings/b%20c');
  });
});

describe('connectOAuth2Provider input', () => {
  it('answers an unknown provider or user with NotFoundError, and needs a user when the caller is none', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const yuri = await flow.user();
    const unknownProvider = encodeGlobalID('OAuth2Provider', 'no-such-idp');
    const unknownUser = encodeGlobalID('User', '01900000-0000-7000-8000-000000000000');

    const cases: Array<[Record<string, string>, string]> = [
      [{ providerId: unknownProvider, userId: yuri.id }, 'NotFoundError'],
      [{ providerId: idp.id, userId: unknownUser }, 'NotFoundError'],
      [{ providerId: 'not-a-global-id', userId: yuri.id }, 'NotFoundError'],
      [{ providerId: idp.id }, 'ValidationError'],
    ];
    for (const [input, typename] of cases) {
      const { data, errors } = await flow.api.graphql(Connect, { input: { providerId: input.providerId ?? '', userId: input.userId ?? null } });
      expect(errors).toBeUndefined();
      expect(data?.connectOAuth2Provider.__typename, JSON.stringify(input)).toBe(typename);
    }
    expect((await flow.access(yuri.id)).connections).toEqual([]);
  });
});

describe('one transaction per change', () => {
  /** A trigger that fails every write of `op` to the grants table: a fault between the connection change and its grants. */
  async function failingGrants<T>(flow: OAuth2Flow, op: 'insert' | 'delete', run: () => Promise<T>): Promise<T> {
    const { raw } = flow.api.deps.store;
    await raw(`create or replace function test_fail_grants() returns trigger language plpgsql as $$ begin raise exception 'injected grant failure'; end $$`);
    await raw(`create trigger test_fail_grants before ${op} on resource_pool_viewers for each row execute function test_fail_grants()`);
    try {
      return await run();
    } finally {
      await raw('drop trigger test_fail_grants on resource_pool_viewers');
    }
  }

  it('a failure while granting leaves neither the connection CONNECTED nor the token stored', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const zoe = await flow.user();
    const started = await flow.start(idp.id, zoe.id);
    const redirect = await flow.authorize(started.authorizationUrl, zoe.login);

    const response = await failingGrants(flow, 'insert', () => flow.callback(redirect));

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ status: 'error', error: { code: 'internal_error', message: 'Unexpected error.' } });
    expect(await flow.access(zoe.id)).toEqual({
      connections: [{ id: started.connectionId, status: 'PENDING', authorizationPending: false, provider: idp.slug }],
      pools: [],
    });
    expect(await connectionSecrets(flow, started.connectionId)).toEqual([]);
    expect(await flow.viewers(pool.id)).toEqual({});
  });

  it('a failure while revoking grants leaves the connection, its token and its grants in place', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const pool = await flow.pool({ providerId: idp.id });
    const amy = await flow.user();
    const connection = await flow.connect(idp.id, amy);
    const token = await storedToken(flow, connection);

    const result = await failingGrants(flow, 'delete', () => flow.api.graphql(Disconnect, { connectionId: connection }));

    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    expect(await flow.access(amy.id)).toEqual({
      connections: [{ id: connection, status: 'CONNECTED', authorizationPending: false, provider: idp.slug }],
      pools: [pool.name],
    });
    expect(await storedToken(flow, connection)).toEqual(token);
    // Revocation only follows a committed disconnect.
    expect((await oidc.introspect(token?.accessToken ?? '')).active).toBe(true);
  });

  it('a failure while granting a new pool to connected users leaves no pool', async () => {
    const flow = newFlow();
    const idp = await flow.provider();
    const ben = await flow.user();
    await flow.connect(idp.id, ben);

    const name = 'pool that must not exist';
    const result = await failingGrants(flow, 'insert', () => flow.api.graphql(CreatePoolByName, { name, providerId: idp.id }));

    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    const count = await flow.api.deps.store.raw<{ n: number }>('select count(*)::int as n from resource_pools where name = $1', [name]);
    expect(count[0]?.n).toBe(0);
  });
});

const Disconnect = graphql(`
  mutation TxDisconnect($connectionId: ID!) {
    disconnectOAuth2Provider(input: { connectionId: $connectionId }) { __typename }
  }
`);

const CreatePoolByName = graphql(`
  mutation TxCreatePool($name: String!, $providerId: ID!) {
    createResourcePool(input: { name: $name, providerId: $providerId }) { __typename }
  }
`);
