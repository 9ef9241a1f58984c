// Builder configuration only; types live one file per area beside this one.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver } from 'graphql-scalars';
import type { GatewayContext } from '../context.ts';
import { ForbiddenError } from '../domain/errors.ts';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  // `self` takes a user id: it holds when the caller is that gateway user
  // (an API token or JWT bound to them), so users may read and act on themselves.
  AuthScopes: { admin: boolean; automation: boolean; read: boolean; self: string };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  Connection: { totalCount: () => Promise<number> };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // Scope checks wrap outside the errors plugin so that a denied mutation is
  // caught by it and answered as a ForbiddenError member of its result union.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (context) => ({
      admin: context.caller.scopes.has('admin'),
      automation: context.caller.scopes.has('automation') || context.caller.scopes.has('admin'),
      read: context.caller.scopes.has('read') || context.caller.scopes.has('admin'),
      self: (userId: string) => context.caller.userId !== undefined && context.caller.userId === userId,
    }),
    unauthorizedError: (_parent, _context, info) =>
      info.parentType.name === 'Mutation'
        ? new ForbiddenError(`not allowed to call ${info.fieldName}`)
        : new GraphQLError(`not allowed to read ${info.parentType.name}.${info.fieldName}`, { extensions: { code: 'FORBIDDEN' } }),
  },
  errors: {
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

/**
 * The type-level rule of types anyone may read: the typed errors a mutation
 * answers (a caller without scopes must still see its ForbiddenError).
 */
export const PUBLIC = (): boolean => true;

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);

builder.queryType({});
builder.mutationType({});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Rows matching the filter, ignoring pagination.',
    resolve: (connection) => connection.totalCount(),
  }),
);
