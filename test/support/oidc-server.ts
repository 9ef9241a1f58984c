// A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider v8)
// on 127.0.0.1 for the OAuth2 connection tests. It stands in for a
// provider's login and consent pages with a programmatic interaction:
// `driveAuthorization` plays the browser (a cookie jar over fetch, redirects
// followed by hand) from the authorization URL up to the redirect back to the
// client, and returns that URL unvisited so a test can hand it to the
// gateway's callback. Everything lives in memory and dies with `close()`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Account, type Adapter, type AdapterPayload, type ClientMetadata } from 'oidc-provider';

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface StartOidcServerOptions {
  clients: OidcTestClient[];
  /** Scopes beyond `openid` and `email` (`offline_access` is always on). */
  scopes?: string[];
  /** Seconds; default one hour. */
  accessTokenTtl?: number;
}

export interface DriveOptions {
  /** The end-user who logs in. */
  accountId: string;
  /** Refuse instead of consenting: the client receives `error=access_denied`. */
  deny?: boolean;
}

export interface IntrospectionResult {
  active: boolean;
  client_id?: string;
  sub?: string;
  scope?: string;
  token_type?: string;
  [claim: string]: unknown;
}

export interface OidcTestServer {
  /** `http://127.0.0.1:<port>`, also the origin of every endpoint. */
  readonly issuer: string;
  readonly provider: Provider;
  /** Runs authorize → login → consent and returns the redirect to the client without following it. */
  driveAuthorization(authorizationUrl: URL | string, options: DriveOptions): Promise<URL>;
  /** RFC 7662, as a resource server would ask. */
  introspect(token: string): Promise<IntrospectionResult>;
  close(): Promise<void>;
}

export async function startOidcServer(options: StartOidcServerOptions): Promise<OidcTestServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A resource server's credentials, so introspection never borrows a client under test.
  const introspector = { client_id: 'resource-server', client_secret: randomBytes(24).toString('hex') };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const storage = new MemoryStorage();

  const clients: ClientMetadata[] = [
    ...options.clients.map((client) => ({
      ...client,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    { ...introspector, grant_types: [], response_types: [], redirect_uris: [] },
  ];

  const provider = new Provider(issuer, {
    adapter: (model) => new MemoryAdapter(model, storage),
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'email', ...(options.scopes ?? [])],
    findAccount: async (_ctx, sub): Promise<Account> => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@users.example`, email_verified: true }),
    }),
    // Like GitHub or GitLab: every client allowed the grant gets a refresh token, offline_access or not.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
      resourceIndicators: { enabled: false },
    },
  });
  const providerCallback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      void interact(provider, req, res);
      return;
    }
    providerCallback(req, res);
  });

  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    introspection_endpoint: string;
  };
  const redirectUris = new Set(options.clients.flatMap((client) => client.redirect_uris));

  return {
    issuer,
    provider,
    driveAuthorization: (authorizationUrl, drive) => driveAuthorization(issuer, redirectUris, new URL(authorizationUrl), drive),
    async introspect(token) {
      const credentials = Buffer.from(
        `${encodeURIComponent(introspector.client_id)}:${encodeURIComponent(introspector.client_secret)}`,
      ).toString('base64');
      const response = await fetch(metadata.introspection_endpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      if (!response.ok) throw new Error(`introspection failed: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as IntrospectionResult;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * The login and consent "pages": a form post naming the account and the
 * decision. Login and consent are separate interactions, as in a browser.
 */
async function interact(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const details = await provider.interactionDetails(req, res);

    if (form.get('decision') === 'deny') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      const accountId = form.get('accountId');
      if (!accountId) throw new Error('login needs an accountId');
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'consent') {
      if (!details.session) throw new Error('consent without a login session');
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new Error(`unsupported prompt ${details.prompt.name}`);
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function driveAuthorization(issuer: string, redirectUris: Set<string>, start: URL, drive: DriveOptions): Promise<URL> {
  const jar = new CookieJar();
  const origin = new URL(issuer).origin;
  let url = start;
  for (let hop = 0; hop < 10; hop += 1) {
    if (url.origin !== origin || redirectUris.has(`${url.origin}${url.pathname}`)) return url;
    const onInteraction = url.pathname.startsWith('/interaction/');
    const response = await fetch(url, {
      method: onInteraction ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(url),
        ...(onInteraction ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(onInteraction
        ? { body: new URLSearchParams({ accountId: drive.accountId, decision: drive.deny ? 'deny' : 'allow' }) }
        : {}),
    });
    jar.store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      throw new Error(`authorization stopped at ${url.pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
    }
    await response.body?.cancel();
    url = new URL(location, url);
  }
  throw new Error('authorization did not reach the client within 10 redirects');
}

/**
 * Just enough of RFC 6265 for one host: oidc-provider scopes its interaction
 * cookies by path (`/interaction/<uid>`, `/auth/<uid>`), and a later
 * interaction reuses the cookie name, so paths and expiry must be honoured.
 */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(requestUrl: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      let path = requestUrl.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=', 2);
        switch (key.toLowerCase()) {
          case 'path':
            path = attributeValue || '/';
            break;
          case 'max-age':
            expired ||= Number(attributeValue) <= 0;
            break;
          case 'expires':
            expired ||= Date.parse(attributeValue) <= Date.now();
            break;
        }
      }
      const key = `${name};${path}`;
      if (expired || value === '') this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.#cookies.values()]
      .filter(({ path }) => url.pathname === path || url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

/** oidc-provider's bundled memory adapter keeps one module-wide store; this one belongs to a single server. */
class MemoryStorage {
  readonly payloads = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  readonly grants = new Map<string, string[]>();
  readonly sessionUids = new Map<string, string>();
  readonly userCodes = new Map<string, string>();
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly storage: MemoryStorage,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const key = this.key(id);
    if (this.model === 'Session' && typeof payload.uid === 'string') this.storage.sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.storage.userCodes.set(payload.userCode, id);
    if (typeof payload.grantId === 'string') {
      const keys = this.storage.grants.get(payload.grantId) ?? [];
      keys.push(key);
      this.storage.grants.set(payload.grantId, keys);
    }
    this.storage.payloads.set(key, { payload, expiresAt: Date.now() + expiresIn * 1000 });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = this.storage.payloads.get(this.key(id));
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.storage.payloads.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.storage.sessionUids.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.storage.userCodes.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const entry = this.storage.payloads.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.storage.payloads.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.storage.grants.get(grantId) ?? []) this.storage.payloads.delete(key);
    this.storage.grants.delete(grantId);
  }
}
