import { createForgeClient } from '../backends/forge.ts';
import type { TransportTuning } from '../backends/http.ts';
import { openRetoolDb } from '../backends/retool-db.ts';
import { createRetoolClient } from '../backends/retool.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/client.ts';
import { secretsRepository, type SecretsRepository } from '../store/repositories/secrets.ts';
import { SecretBox, type SecretKey } from '../store/secret-box.ts';
import { type AccountBackends, forgeAccounts, retoolAccounts } from './account-backends.ts';

/** What domain functions are handed; no globals, so tests pass real parts pointed at fakes. */
export interface GatewayDeps {
  config: Config;
  store: Store;
  secrets: SecretsRepository;
  logger: Logger;
  /** Only the backends that are configured. */
  accountBackends: AccountBackends;
  /** Releases what the deps opened (backend database pools). */
  close(): Promise<void>;
}

export interface DepsOptions {
  /** Transport tuning for backend clients (tests shorten timeouts and backoff). */
  transport?: TransportTuning;
}

export function buildDeps(config: Config, store: Store, logger: Logger, key: SecretKey, options: DepsOptions = {}): GatewayDeps {
  const transport: TransportTuning = { timeoutMs: config.backendTimeoutMs, maxRetries: config.backendMaxRetries, ...options.transport };
  const retoolDb = config.retool?.databaseUrl ? openRetoolDb(config.retool.databaseUrl) : undefined;
  const accountBackends: AccountBackends = {};
  if (config.retool) accountBackends.RETOOL = retoolAccounts(createRetoolClient(config.retool, transport), retoolDb);
  if (config.forge) accountBackends.FORGE = forgeAccounts(createForgeClient(config.forge, transport));
  return {
    config,
    store,
    logger,
    secrets: secretsRepository(new SecretBox(key, config.previousSecretKeys)),
    accountBackends,
    close: async () => {
      await retoolDb?.close();
    },
  };
}
