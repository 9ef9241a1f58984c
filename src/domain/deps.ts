import { createForgeClient } from '../backends/forge.ts';
import type { TransportTuning } from '../backends/http.ts';
import { type OutboundPolicy, outboundPolicy, type Resolver } from '../backends/outbound-policy.ts';
import { openRetoolDb } from '../backends/retool-db.ts';
import { rateLimiter } from '../backends/rate-limiter.ts';
import { createRetoolClient } from '../backends/retool.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createMetrics, type GatewayMetrics } from '../metrics.ts';
import { createStoreOutage, type StoreOutage } from '../store/availability.ts';
import type { Store } from '../store/client.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { secretsRepository, type SecretsRepository } from '../store/repositories/secrets.ts';
import { SecretBox, type SecretKey } from '../store/secret-box.ts';
import { traceBackendCall } from '../tracing.ts';
import { type AccountBackends, forgeAccounts, retoolAccounts } from './account-backends.ts';
import { type BackendHealthMonitor, createBackendHealth } from './backend-health.ts';
import { type Cluster, openCluster } from './cluster.ts';
import { type CursorCodec, cursorCodec } from '../store/cursor-codec.ts';
import { createReconciler, type Reconciler } from './reconciler.ts';

/** What domain functions are handed; no globals, so tests pass real parts pointed at fakes. */
export interface GatewayDeps {
  config: Config;
  store: Store;
  secrets: SecretsRepository;
  /** Opaque page cursors, keyed by the secret key (store/cursor-codec.ts). */
  cursors: CursorCodec;
  logger: Logger;
  /** This instance's Prometheus registry and the gateway's own metrics in it. */
  metrics: GatewayMetrics;
  /** Only the backends that are configured. */
  accountBackends: AccountBackends;
  /** What each configured backend accepts of the gateway's credentials (checked at start-up and on demand). */
  backendHealth: BackendHealthMonitor;
  /** Where database users and service grants are applied: TARGET_DATABASE_URL, or else the store itself. */
  cluster: Cluster;
  /** What this instance reports as readiness: draining after SIGTERM; store outages (logged once each). */
  health: { draining: boolean; store: StoreOutage };
  /** This instance's leased convergence work (domain/reconciler.ts). */
  reconciler: Reconciler;
  /** Which addresses OAuth2 provider requests may go to (backends/outbound-policy.ts). */
  oauth2Policy: OutboundPolicy;
  /** Releases what the deps opened (backend database pools). */
  close(): Promise<void>;
}

export interface DepsOptions {
  /** Transport tuning for backend clients (tests shorten timeouts and backoff). */
  transport?: TransportTuning;
  /** How OAuth2 provider host names are resolved (tests map names to addresses without DNS). */
  oauth2Resolver?: Resolver;
}

export function buildDeps(config: Config, store: Store, logger: Logger, key: SecretKey, options: DepsOptions = {}): GatewayDeps {
  const metrics = createMetrics(store.poolStats);
  const transport: TransportTuning = {
    timeoutMs: config.backendTimeoutMs,
    maxRetries: config.backendMaxRetries,
    onCall: (call) => {
      metrics.backendCall(call);
      traceBackendCall(call);
    },
    ...options.transport,
  };
  const retoolDb = config.retool?.databaseUrl ? openRetoolDb(config.retool.databaseUrl) : undefined;
  const accountBackends: AccountBackends = {};
  // One limiter per backend, shared by every caller of that backend in this instance.
  if (config.retool) accountBackends.RETOOL = retoolAccounts(createRetoolClient(config.retool, { ...transport, limiter: rateLimiter(config.retool.rateLimitPerSecond ?? 0) }), retoolDb);
  if (config.forge) accountBackends.FORGE = forgeAccounts(createForgeClient(config.forge, { ...transport, limiter: rateLimiter(config.forge.rateLimitPerSecond ?? 0) }), config.forge.adminCredentials);
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
