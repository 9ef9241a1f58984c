// Process entry: config -> store -> server -> listen; graceful stop.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Config, ConfigError, describeConfig, loadConfig } from './config.ts';
import { createHttpServer } from './http/listen.ts';
import { createLogger, type Logger } from './logger.ts';
import { closeWhenDraining, drain } from './http/drain.ts';
import { storeErrorReason } from './store/availability.ts';
import type { Store } from './store/client.ts';
import { StoreLockedError } from './store/pglite-lock.ts';
import { openMigratedStore } from './store/startup.ts';
import { startTracing } from './http/tracing.ts';
import { randomSecretKey, type SecretKey } from './store/secret-box.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

/**
 * Development only: without GATEWAY_SECRET_KEY a key is generated once into
 * the data directory (beside PGlite's data) so secrets survive restarts.
 */
async function secretKey(config: Config, logger: Logger): Promise<SecretKey> {
  if (config.secretKey) return config.secretKey;
  if (config.store.kind === 'pglite' && !config.store.dataDir.startsWith('memory://')) {
    const file = join(dirname(config.store.dataDir), 'secret-key');
    if (existsSync(file)) return { id: 'dev', key: Buffer.from((await readFile(file, 'utf8')).trim(), 'base64') };
    const key = { ...randomSecretKey('dev') };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, key.key.toString('base64'), { mode: 0o600 });
    await chmod(file, 0o600);
    logger.warn({ file }, 'GATEWAY_SECRET_KEY is not set: generated a development key; set GATEWAY_SECRET_KEY in production');
    return { id: 'dev', key: key.key };
  }
  logger.warn('GATEWAY_SECRET_KEY is not set: using a throw-away key; secrets stored now cannot be read after a restart');
  return randomSecretKey('ephemeral');
}

/** The process's start-up and shutdown order, read top to bottom: splitting it would hide the order. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.auth.devMode) {
    logger.warn(
      'DEV MODE: no GATEWAY_ADMIN_TOKEN or AUTH_JWT_* is set, so every caller is an admin. The gateway listens on loopback only. Never run like this in production.',
    );
  }

  // The GraphQL stack (schema, yoga and its plugins, backends, domain) is
  // most of start-up's module loading: it loads while the store connects
  // and migrates instead of before (docs/performance.md, "Start-up").
  const loadingGateway = Promise.all([import('./compose.ts'), import('./server.ts'), import('./domain/retry-worker.ts')]);
  // Awaited below; a failure before then must not surface as an unhandled rejection first.
  loadingGateway.catch(() => undefined);
  // Before anything that makes spans, so the first requests are traced too.
  const tracing = config.otelEndpoint ? await startTracing() : undefined;
  const key = await secretKey(config, logger);
  // SIGTERM while waiting for the store: nothing to drain yet.
  const early = () => process.exit(0);
  process.once('SIGTERM', early);
  process.once('SIGINT', early);
  let store: Store;
  try {
    store = await openMigratedStore(config.store, logger);
  } catch (error) {
    // One line, no stack: a locked PGlite directory, bad credentials, a failed migration.
    logger.fatal({ reason: error instanceof StoreLockedError ? undefined : storeErrorReason(error) }, `cannot open the store: ${firstLine(error)}`);
    process.exit(1);
  }
  process.removeListener('SIGTERM', early);
  process.removeListener('SIGINT', early);
  const [{ buildDeps }, { createGateway }, { startRetryWorker }] = await loadingGateway;
  const deps = buildDeps(config, store, logger, key);
  const yoga = createGateway(deps);
  const worker = startRetryWorker(deps, config.retryWorkerIntervalMs);
  // A backend that refuses the gateway's credentials is named in one line now, not per user later.
  void deps.backendHealth.report();

  const server = createHttpServer(closeWhenDraining(deps.health, yoga), config);
  server.listen(config.port, config.host, () => {
    // leaseOwner is what this process writes to backend_accounts.lease_owner: it says which replica holds an account.
    logger.info({ config: describeConfig(config), leaseOwner: deps.reconciler.owner }, `Identity Gateway listening on http://${config.host}:${config.port}/graphql`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await drain(server, deps, () => worker.stop(), config.shutdown);
    await yoga.dispose();
    await tracing?.shutdown();
    await deps.close();
    await store.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 300) : String(error);
}

await main();
