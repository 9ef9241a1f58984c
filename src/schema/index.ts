// Imports every area for its side effect of registering types, then builds.
import { builder } from './builder.ts';
import { instrumentMutations } from './mutations.ts';
import { streamlineRelayResolvers } from './relay-resolvers.ts';
import { checkTypeRulesPerObject } from './type-rules.ts';
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
// its audit row; every object is checked against its type's rule once.
export const schema = checkTypeRulesPerObject(streamlineRelayResolvers(instrumentMutations(builder.toSchema({ sortSchema: true }))));
