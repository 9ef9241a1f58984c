// Shutting down the way a Kubernetes rollout needs it: first `/readyz`
// answers 503 (so the endpoint is taken out of the Service) while requests
// are still served; then the listener closes, every keep-alive response
// carries `Connection: close` and idle sockets are closed again and again
// (clients that held one reconnect to another replica); provisioning in
// flight gets the drain bound to finish and is otherwise handed back
// (lease released, due now, logged by account) for another instance.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { GatewayDeps } from '../domain/deps.ts';

export interface DrainOptions {
  /** How long `/readyz` answers 503 before the listener closes. */
  delayMs: number;
  /** How long requests and provisioning in flight get to finish after that. */
  drainMs: number;
}

const IDLE_SWEEP_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The request listener, answering `Connection: close` once draining so no keep-alive socket outlives the drain. */
export function closeWhenDraining(health: GatewayDeps['health'], handler: RequestListener): RequestListener<typeof IncomingMessage, typeof ServerResponse> {
  return (req, res) => {
    if (health.draining) res.setHeader('connection', 'close');
    handler(req, res);
  };
}

/** Drain `server` and this instance's provisioning; `stopWorker` stops new claims (its promise may outlive the bound). */
export async function drain(server: Server, deps: GatewayDeps, stopWorker: () => Promise<void>, options: DrainOptions): Promise<void> {
  const { logger } = deps;
  deps.health.draining = true;
  logger.info({ delayMs: options.delayMs, drainMs: options.drainMs }, 'draining: /readyz answers 503');
  if (options.delayMs > 0) await sleep(options.delayMs);

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const bound = sleep(options.drainMs).then(() => 'bound' as const);
  const workerStopped = stopWorker();

  // Provisioning in flight: finished within the bound, or handed back.
  await deps.reconciler.drain(options.drainMs);
  const requests = await Promise.race([closed.then(() => 'closed' as const), bound]);
  if (requests === 'bound') {
    logger.error('requests still in flight at the drain bound: closing their connections');
    server.closeAllConnections();
  }
  clearInterval(sweeper);
  await Promise.race([workerStopped, sleep(100)]);
}
