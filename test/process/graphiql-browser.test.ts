// GraphiQL as a person sees it: a real headless Chromium on a real port, with
// every request that would leave loopback refused and recorded. The page must
// work with no CDN: the editor renders, the docs explorer lists the schema, an
// example runs and shows data. Writes docs/graphiql.png.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildDeps } from '../../src/compose.ts';
import { createLogger } from '../../src/logger.ts';
import { createGateway } from '../../src/server.ts';
import { randomSecretKey } from '../../src/store/secret-box.ts';
import { useFakeBackends } from '../support/backends.ts';
import { useTestStore } from '../support/store.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The picture in docs/ is refreshed on request (`WRITE_DOCS_SCREENSHOT=1`);
// otherwise it goes to the temp dir, so an ordinary run leaves the tree
// clean (the ids in it change every run).
const SCREENSHOT = process.env.WRITE_DOCS_SCREENSHOT === '1' ? join(import.meta.dirname, '../../docs/graphiql.png') : join(tmpdir(), 'identity-gateway-graphiql.png');

// Flags for a browser that talks to nothing but the page under test.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Requests that never touch the network: the page's own inlined workers and images. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

const testStore = useTestStore();
const backends = useFakeBackends();

let server: Server | undefined;
let baseUrl = '';
const dirs: string[] = [];

beforeAll(async () => {
  // Dev mode, as `npm start` runs on a first visit: no credential needed.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RETRY_WORKER_INTERVAL_MS: '0', ...backends().env });
  const deps = buildDeps(config, testStore().store, createLogger('silent'), randomSecretKey());
  const yoga = createGateway(deps);
  server = createServer(yoga);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const created = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation { createUser(input: { email: "ada@example.com", username: "ada", displayName: "Ada Lovelace", backends: [RETOOL, FORGE] }) { __typename } }',
    }),
  });
  expect(await created.json()).toEqual({ data: { createUser: { __typename: 'CreateUserPayload' } } });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('GraphiQL in a real browser, offline', () => {
  it('renders the editor, lists the schema and runs an example with no request leaving loopback', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      const message = `chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
      if (process.env.CI === 'true') throw new Error(`${message}: CI must run the browser test`);
      ctx.skip(`skipped: ${message}`);
    }
    const profile = await mkdtemp(join(tmpdir(), 'ig-chromium-'));
    dirs.push(profile);
    const browser: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 860 },
    });
    try {
      const requested: string[] = [];
      const refused: string[] = [];
      browser.on('request', (request) => requested.push(request.url()));
      await browser.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (LOCAL_SCHEMES.has(url.protocol) || LOOPBACK.has(url.hostname)) return route.continue();
        refused.push(url.href);
        return route.abort('blockedbyclient');
      });
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(`${baseUrl}/graphql`);
      expect(await page.title()).toBe('Identity Gateway');
      // The editor renders with the first example (Monaco draws its lines only once it runs).
      const editor = page.locator('.graphiql-query-editor .view-lines');
      await editor.filter({ hasText: 'query ListUsers' }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator('.graphiql-tab').allInnerTexts()).toEqual(['ListUsers', 'CreateUser', 'DatabaseUsersAndServices', 'PoolsAndViewers']);

      // The docs explorer comes from introspection over loopback.
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.filter({ hasText: 'query: Query' }).waitFor();
      await docs.getByText('Query', { exact: true }).click();
      await docs.filter({ hasText: 'users(' }).waitFor();
      await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();

      // Running an example: the tab holds two named operations, so GraphiQL asks which.
      await page.getByRole('button', { name: /^Execute query/ }).click();
      await page.getByRole('menuitem', { name: 'ListUsers' }).click();
      const response = page.locator('.graphiql-response');
      await response.filter({ hasText: 'ada@example.com' }).waitFor();
      // Monaco draws spaces as no-break spaces.
      const shown = (await response.innerText()).replace(/\u00a0/g, ' ');
      expect(shown).toContain('"totalCount": 1');
      expect(shown).toContain('"backend": "RETOOL"');
      expect(shown).toContain('"backend": "FORGE"');

      await page.screenshot({ path: SCREENSHOT });
      expect(pageErrors).toEqual([]);
      expect(refused).toEqual([]);
      const offLoopback = requested.filter((url) => {
        const parsed = new URL(url);
        return !LOCAL_SCHEMES.has(parsed.protocol) && !LOOPBACK.has(parsed.hostname);
      });
      expect(offLoopback).toEqual([]);
      // The page was fetched, then the schema and the operation were posted to the gateway.
      expect(requested.filter((url) => url.startsWith(`${baseUrl}/graphql`)).length).toBeGreaterThanOrEqual(3);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
