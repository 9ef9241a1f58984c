// The relay plugin's own resolvers, made cheaper for the compiled query. The
// gateway plugin (gateway-plugin.ts) decides where each applies.
//
// - Node ids: the plugin's `id` field is an `async` resolver (it awaits the
//   id the type's options resolve), so every node of a page returned a
//   promise for its id and the compiled query scheduled a continuation per
//   row. Each type here resolves its id from the row, so the id is encoded
//   in place (a resolver that does return a promise is still awaited).
// - Connections: `edges`, `pageInfo` and an edge's `node` are resolvers that
//   read the property of their own name, which is what a field without a
//   resolver does; graphql-jit compiles such a field to a property read,
//   where a resolver costs a call with its own resolve info and path per
//   connection of a page.
import { completeValue } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

/** The `id` resolver of a Node type whose own options resolve the raw id (`rawId`): the global id, encoded in place. */
export function encodeIdInPlace<Context>(typeName: string, rawId: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return (parent, args, context, info) => completeValue(rawId(parent, args, context, info), (id) => encodeGlobalID(typeName, String(id)));
}

// Asked, not assumed: a resolver some plugin wrapped with a check of its own
// would not hand back the probe, and keeps its place.
/** Whether `resolve` does nothing but read the property named `fieldName` (what a field without a resolver does). */
export function readsOwnProperty(fieldName: string, resolve: GraphQLFieldResolver<unknown, never> | undefined): boolean {
  if (!resolve) return true;
  const probe = {};
  try {
    // The relay resolvers read neither context nor info.
    return resolve({ [fieldName]: probe }, {}, undefined as never, undefined as unknown as GraphQLResolveInfo) === probe;
  } catch {
    return false;
  }
}
