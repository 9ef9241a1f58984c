// The relay plugin's own resolvers, made cheaper for the compiled query.
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
import { type GraphQLField, type GraphQLFieldResolver, type GraphQLNamedType, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';

interface NodeOptions {
  id?: { resolve?: GraphQLFieldResolver<unknown, unknown> };
}

/** Call once, on the built schema (the type rules then wrap the fields that return connections, not these). */
export function streamlineRelayResolvers(schema: GraphQLSchema): GraphQLSchema {
  const node = schema.getType('Node');
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (type.getInterfaces().some((i) => i === node)) resolveIdInPlace(type);
    const edge = connectionEdge(type);
    if (!edge) continue;
    for (const field of [type.getFields().edges, type.getFields().pageInfo, edge.getFields().node]) {
      if (field && readsOwnProperty(field)) field.resolve = undefined;
    }
  }
  return schema;
}

/** The edge type of `type` when it is a Relay connection: `edges` of objects with a `cursor` and a `node`. */
export function connectionEdge(type: GraphQLNamedType): GraphQLObjectType | undefined {
  if (!isObjectType(type)) return undefined;
  const edges = type.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  return isObjectType(edge) && edge.getFields().cursor && edge.getFields().node ? edge : undefined;
}

function resolveIdInPlace(type: GraphQLObjectType): void {
  const rawId = (type.extensions as { pothosOptions?: NodeOptions }).pothosOptions?.id?.resolve;
  const field = type.getFields().id;
  if (!rawId || !field) throw new Error(`${type.name} implements Node without an id resolver`);
  const typeName = type.name;
  field.resolve = (parent, args, context, info) => completeValue(rawId(parent, args, context, info), (id) => encodeGlobalID(typeName, String(id)));
}

// Asked, not assumed: a resolver some plugin wrapped with a check of its own
// would not hand back the probe, and keeps its place.
function readsOwnProperty(field: GraphQLField<unknown, unknown>): boolean {
  if (!field.resolve) return true;
  const probe = {};
  try {
    // The relay resolvers read neither context nor info.
    return field.resolve({ [field.name]: probe }, {}, undefined, undefined as unknown as GraphQLResolveInfo) === probe;
  } catch {
    return false;
  }
}
