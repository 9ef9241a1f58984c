// Imports every area for its side effect of registering types, then builds.
import { builder } from './builder.ts';
import './errors.ts';
import './users.ts';
import './provisioning.ts';

export const schema = builder.toSchema({ sortSchema: true });
