// Imports every area for its side effect of registering types, then builds.
import { builder } from './builder.ts';
import './errors.ts';
import './api-tokens.ts';
import './audit.ts';
import './users.ts';
import './user-lifecycle.ts';
import './bulk-users.ts';
import './provisioning.ts';
import './oauth2.ts';
import './resource-pools.ts';
import './database-users.ts';
import './services.ts';

// Every mutation, whichever file declares it, gets the idempotency key and
// its audit row, and every object is checked against its type's rule once:
// the gateway plugin does both while the schema is built (gateway-plugin.ts),
// and throws here rather than build a schema with a rule left out.
export const schema = builder.toSchema({ sortSchema: true });
