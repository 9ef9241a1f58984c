// Process entry: config -> store -> server -> listen; graceful stop.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Config, ConfigError, describeConfig, loadConfig } from './config.ts';
import { buildDeps } from './domain/deps.ts';
import { createHttpServer } from './http/listen.ts';
import { startRetryWorker } from './domain/retry-worker.ts';
import { createLogger, type Logger } from './logger.ts';
import { createGateway } from './server.ts';
import { openStore } from './store/client.ts';
import { startTracing } from './tracing.ts';
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

  // Before anything that makes spans, so the first requests are traced too.
  const tracing = config.otelEndpoint ? await startTracing() : undefined;
  const key = await secretKey(config, logger);
  const store = await openStore(config.store);
  await store.migrate();
  const deps = buildDeps(config, store, logger, key);
  const yoga = createGateway(deps);
  const worker = startRetryWorker(deps, config.retryWorkerIntervalMs);
  // A backend that refuses the gateway's credentials is named in one line now, not per user later.
  void deps.backendHealth.report();

  // Once shutdown starts, /readyz answers 503 before anything closes, so a
  // load balancer stops sending traffic while requests in flight finish.
  let draining = false;
  const server = createHttpServer((request, response) => {
    if (draining && request.url?.split('?')[0] === '/readyz') {
      response.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end('shutting down');
      return;
    }
    void yoga(request, response);
  }, config);
  server.listen(config.port, config.host, () => {
    logger.info({ config: describeConfig(config) }, `Identity Gateway listening on http://${config.host}:${config.port}/graphql`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    draining = true;
    if (config.shutdownDelayMs > 0) {
      logger.info({ signal, delayMs: config.shutdownDelayMs }, 'shutting down: /readyz answers 503; still serving until the delay ends');
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    }
    logger.info({ signal }, 'shutting down: /readyz answers 503, no new connections, finishing requests in flight');
    const forced = setTimeout(() => {
      logger.error('requests still in flight after 10 s; closing anyway');
      server.closeAllConnections();
    }, 10_000);
    forced.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await worker.stop();
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

await main();
