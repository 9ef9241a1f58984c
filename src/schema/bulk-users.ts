// createUsers: the bulk form of createUser (src/domain/bulk-users.ts).
import { type CreatedUsers, createUsers } from '../domain/bulk-users.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS, unwrap } from './errors.ts';
import { CreateUserInput, CreateUserPayload } from './users.ts';

const CreateUsersInput = builder.inputType('CreateUsersInput', {
  fields: (t) => ({
    users: t.field({
      type: [CreateUserInput],
      description: 'The users to create, each as createUser takes it; at most BULK_MAX_USERS (default 1,000) per call.',
    }),
  }),
});

const ITEM_ERRORS = [ValidationError, ConflictError, NotFoundError, ForbiddenError] as const;

const CreateUsersPayload = builder.objectRef<CreatedUsers>('CreateUsersPayload').implement({
  authScopes: { automation: true },
  fields: (t) => ({
    results: t.field({
      type: [CreateUserPayload],
      description:
        "One answer per input item, in input order: the user created (`created: true`), already there from an identical earlier request (`created: false`), or the typed error createUser would have answered (a ValidationError's paths name the item: `input.users.3.email`).",
      // The errors plugin answers an error item as its union member (graphql-js takes a bare Error
      // in a list for a failure); it takes an item's error as a rejected item.
      itemErrors: { types: [...ITEM_ERRORS], directResult: true, union: { name: 'CreateUsersItem' } },
      resolve: (payload) => payload.results.map((item) => (item instanceof DomainError ? Promise.reject(item) : item)),
    }),
    created: t.exposeInt('created', { description: 'Users this call created.' }),
    existing: t.exposeInt('existing', { description: 'Users an identical earlier request had already created (answered as they are).' }),
    failed: t.exposeInt('failed', { description: 'Items answered with an error; nothing was changed for them.' }),
  }),
});

builder.mutationFields((t) => ({
  createUsers: t.field({
    type: CreateUsersPayload,
    authScopes: { automation: true },
    errors: { types: MUTATION_ERRORS },
    description:
      'createUser for many users: at most BULK_CONCURRENCY provisioned at once, every backend call within its rate limit. Each item is answered on its own; a bad item blocks none of the others. A list longer than BULK_MAX_USERS is a ValidationError and creates nothing.',
    args: { input: t.arg({ type: CreateUsersInput }) },
    resolve: async (_root, { input }, { deps }) => unwrap(await createUsers(deps, input.users)),
  }),
}));
