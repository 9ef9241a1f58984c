import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/client.ts';
import type { SecretsRepository } from '../store/repositories/secrets.ts';

/** What domain functions are handed; no globals, so tests pass real parts pointed at fakes. */
export interface GatewayDeps {
  config: Config;
  store: Store;
  secrets: SecretsRepository;
  logger: Logger;
}
