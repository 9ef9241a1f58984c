// Start-up wiring: builds what domain functions are handed (GatewayDeps) from
// the configuration: backend clients with their transport hooks (metrics,
// tracing), the cluster, the secret box, health and the reconciler. Above the
// domain and the HTTP edge, because it reaches into both to connect them.
import { createForgeClient } from './backends/forge.ts';
import type { TransportTuning } from './backends/http.ts';
import { outboundPolicy, type Resolver } from './backends/outbound-policy.ts';
import { openRetoolDb } from './backends/retool-db.ts';
import { rateLimiter } from './backends/rate-limiter.ts';
import { createRetoolClient } from './backends/retool.ts';
import type { Config } from './config.ts';
import { type AccountBackends, forgeAccounts, retoolAccounts } from './domain/account-backends.ts';
import { createBackendHealth } from './domain/backend-health.ts';
import { openCluster } from './domain/cluster.ts';
import type { GatewayDeps } from './domain/deps.ts';
import { createReconciler } from './domain/reconciler.ts';
import { traceBackendCall } from './http/tracing.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createStoreOutage } from './store/availability.ts';
import type { Store } from './store/client.ts';
import { cursorCodec } from './store/cursor-codec.ts';
import { backendAccountsRepository } from './store/repositories/backend-accounts.ts';
import { secretsRepository } from './store/repositories/secrets.ts';
import { SecretBox, type SecretKey } from './store/secret-box.ts';

export interface DepsOptions {
  /** Transport tuning for backend clients (tests shorten timeouts and backoff). */
  transport?: TransportTuning;
  /** How OAuth2 provider host names are resolved (tests map names to addresses without DNS). */
  oauth2Resolver?: Resolver;
}

export function buildDeps(config: Config, store: Store, logger: Logger, key: SecretKey, options: DepsOptions = {}): GatewayDeps {
  const metrics = createMetrics(store.poolStats);
  const transport = (maxRetries: number): TransportTuning => ({
    timeoutMs: config.backendTimeoutMs,
    maxRetries,
    onCall: (call) => {
      metrics.backendCall(call);
      traceBackendCall(call);
    },
    ...options.transport,
  });
  const retoolDb = config.retool?.databaseUrl ? openRetoolDb(config.retool.databaseUrl) : undefined;
  const accountBackends: AccountBackends = {};
  // One limiter per backend, shared by every caller of that backend in this instance.
  if (config.retool) accountBackends.RETOOL = retoolAccounts(createRetoolClient(config.retool, { ...transport(config.backendMaxRetries.RETOOL), limiter: rateLimiter(config.retool.rateLimitPerSecond ?? 0) }), retoolDb);
  if (config.forge) accountBackends.FORGE = forgeAccounts(createForgeClient(config.forge, { ...transport(config.backendMaxRetries.FORGE), limiter: rateLimiter(config.forge.rateLimitPerSecond ?? 0) }), config.forge.adminCredentials);
  const cluster = openCluster(config, store);
  const storeOutage = createStoreOutage(logger, () => store.ping());
  metrics.unconvergedFrom(() => backendAccountsRepository.unconvergedAges(store.db), Object.keys(accountBackends).sort());
  return {
    config,
    store,
    logger,
    metrics,
    secrets: secretsRepository(new SecretBox(key, config.previousSecretKeys)),
    cursors: cursorCodec(key.key),
    accountBackends,
    backendHealth: createBackendHealth(accountBackends, logger),
    cluster,
    health: { draining: false, store: storeOutage },
    reconciler: createReconciler(store, logger, config.provisioning.leaseMs),
    oauth2Policy: outboundPolicy({ production: config.env === 'production', allowedPrivateHosts: config.oauth2AllowedPrivateHosts, resolve: options.oauth2Resolver }),
    close: async () => {
      storeOutage.stop();
      await retoolDb?.close();
      await cluster.close();
    },
  };
}
