import type { Caller } from './auth.ts';
import type { GatewayDeps } from './domain/deps.ts';
import type { Loaders } from './loaders.ts';

/** Everything a resolver sees: who asks, the per-request loaders, and the domain's dependencies. */
export interface GatewayContext {
  caller: Caller;
  loaders: Loaders;
  deps: GatewayDeps;
  requestId: string;
}
