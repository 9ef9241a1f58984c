// What domain functions are handed, as types only: the start-up wiring that
// builds it lives above the domain, in src/compose.ts.
import type { OutboundPolicy } from '../backends/outbound-policy.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { StoreOutage } from '../store/availability.ts';
import type { Store } from '../store/client.ts';
import type { CursorCodec } from '../store/cursor-codec.ts';
import type { SecretsRepository } from '../store/repositories/secrets.ts';
import type { AccountBackends } from './account-backends.ts';
import type { BackendHealthMonitor } from './backend-health.ts';
import type { Cluster } from './cluster.ts';
import type { Reconciler } from './reconciler.ts';

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
