// The gateway as production runs it (config from the environment, the same
// store, deps and yoga handler as src/main.ts) on a loopback port, in a
// process of its own so that its CPU and RSS are measured alone. The only
// addition is the IPC channel to the bench runner (protocol.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isObjectType } from 'graphql';
import { loadConfig } from '../src/config.ts';
import { buildDeps } from '../src/compose.ts';
import { createLogger } from '../src/logger.ts';
import { schema } from '../src/schema/index.ts';
import { createGateway } from '../src/server.ts';
import { openStore } from '../src/store/client.ts';
import { users } from '../src/store/schema.ts';
import { randomSecretKey } from '../src/store/secret-box.ts';
import { failStartup, processStats, send, serveIpc } from './lib/protocol.ts';
import { seedBench } from './lib/seed.ts';

const SCENARIO_TYPES = ['Query', 'Mutation', 'User', 'Service', 'DatabaseUser', 'ResourcePool'];

/** What the scenarios may ask for: areas still being built are skipped, not failed. */
function schemaFields(): { fields: Record<string, string[]>; fieldArgs: Record<string, string[]> } {
  const fields: Record<string, string[]> = {};
  const fieldArgs: Record<string, string[]> = {};
  for (const name of SCENARIO_TYPES) {
    const type = schema.getType(name);
    const map = isObjectType(type) ? type.getFields() : {};
    fields[name] = Object.keys(map);
    for (const [field, definition] of Object.entries(map)) fieldArgs[`${name}.${field}`] = definition.args.map((arg) => arg.name);
  }
  return { fields, fieldArgs };
}

async function start(): Promise<void> {
  const config = loadConfig(process.env);
  const store = await openStore(config.store);
  await store.migrate();
  // An embedded PGlite lives inside this process, so only this process can seed it.
  if (config.store.kind === 'pglite') await seedBench(store);
  const deps = buildDeps(config, store, createLogger(config.logLevel), config.secretKey ?? randomSecretKey());
  const yoga = createGateway(deps);

  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    void yoga(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const ids = await store.db.select({ id: users.id }).from(users);
  // Statements as the tests count them (test/support/statements.ts): node-postgres also reports
  // BEGIN and COMMIT, PGlite does not; neither is counted, so both stores give the same figure.
  let statements = 0;
  store.onQuery((query) => {
    if (!/^\s*(begin|commit|rollback)\b/i.test(query)) statements += 1;
  });
  serveIpc(
    () => ({ queries: statements, requests, ...processStats() }),
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
      await store.close();
    },
  );
  send({
    type: 'ready',
    port: (server.address() as AddressInfo).port,
    info: { ...schemaFields(), userIds: ids.map((row) => row.id), storeKind: store.kind },
  });
}

start().catch(failStartup);
