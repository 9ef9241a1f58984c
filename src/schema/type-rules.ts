// Type-level rules (`authScopes` on an object type) checked once per object,
// at the field that returns it, instead of on every field of the object.
//
// scope-auth can run a type's rule in one of two places: as a step in front
// of every field of the type (its default), or in `isTypeOf`
// (`runScopesOnType`). The first wraps every field, so a page of 100 users
// with 10 pools each runs a resolver, and allocates, for every `name` and
// `status`, and graphql-jit cannot inline a single property read. The second
// is not usable here: graphql-jit calls `isTypeOf` with the value alone,
// without the request context a rule needs. So the builder sets
// `runScopesOnType` (no per-field steps), this module takes the `isTypeOf`
// wrappers back out, and wraps every field whose result is, or may be, an
// object of a rule-carrying type: `node`, `nodes`, edges, lists, payloads.
// Each object is checked with scope-auth's own per-request cache
// (`runAuthScopes`); a denied one becomes a FORBIDDEN error in its place, so
// a list keeps its other items and a nullable field answers null. A
// connection is the exception: one denied node makes the whole connection
// FORBIDDEN, since its cursors, count and page info describe every row.
import { isThenable, type MaybePromise } from '@pothos/core';
import { unwrapError } from '@pothos/plugin-errors';
import {
  defaultFieldResolver,
  type GraphQLAbstractType,
  GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
} from 'graphql';
import type { GatewayContext } from '../context.ts';
import { builder } from './builder.ts';
import { connectionEdge } from './relay-resolvers.ts';

type ScopeMap = Parameters<typeof builder.runAuthScopes>[1];
type Rule = boolean | ScopeMap | ((parent: unknown, context: GatewayContext) => MaybePromise<boolean | ScopeMap>);

interface PothosTypeOptions {
  authScopes?: Rule;
  isTypeOf?: GraphQLObjectType['isTypeOf'];
}

const pothosOptions = (type: GraphQLNamedType): PothosTypeOptions =>
  (type.extensions as { pothosOptions?: PothosTypeOptions } | undefined)?.pothosOptions ?? {};

const denied = (typeName: string) => new GraphQLError(`not allowed to read ${typeName}`, { extensions: { code: 'FORBIDDEN' } });

// The outcome of each scope map a request has passed. Static rules and the
// shared map of `scopesOrRow` repeat for every row of a list, so a reader's
// thousand rows cost one evaluation and a thousand map look-ups.
const passed = new WeakMap<GatewayContext, WeakSet<object>>();

/** null when `scopes` hold for the caller, else the error that takes the object's place. */
function evaluate(type: GraphQLObjectType, scopes: boolean | ScopeMap, context: GatewayContext): MaybePromise<GraphQLError | null> {
  if (typeof scopes === 'boolean') return scopes ? null : denied(type.name);
  let known = passed.get(context);
  if (known?.has(scopes)) return null;
  let outcome: MaybePromise<void>;
  try {
    outcome = builder.runAuthScopes(context, scopes, () => denied(type.name));
  } catch (error) {
    return toDenial(error, type);
  }
  if (isThenable(outcome)) return outcome.then(() => null, (error: unknown) => toDenial(error, type));
  if (!known) {
    known = new WeakSet();
    passed.set(context, known);
  }
  known.add(scopes);
  return null;
}

// runAuthScopes throws the denial built above; anything else (a failing
// scope loader) is a real failure and stays one.
function toDenial(error: unknown, type: GraphQLObjectType): GraphQLError {
  if (error instanceof GraphQLError && error.extensions.code === 'FORBIDDEN') return error;
  throw error instanceof Error ? error : new Error(`checking the rule of ${type.name} failed`);
}

/** `value`, or the error that takes its place when `type`'s rule denies it. */
function guardObject(type: GraphQLObjectType | undefined, value: unknown, context: GatewayContext): MaybePromise<unknown> {
  const rule = type && pothosOptions(type).authScopes;
  if (!type || rule === undefined) return value;
  const scopes = typeof rule === 'function' ? rule(value, context) : rule;
  const error = isThenable(scopes) ? scopes.then((resolved) => evaluate(type, resolved, context)) : evaluate(type, scopes, context);
  return isThenable(error) ? error.then((e) => e ?? value) : (error ?? value);
}

function concreteType(
  schema: GraphQLSchema,
  returned: GraphQLAbstractType,
  value: unknown,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): MaybePromise<GraphQLObjectType | undefined> {
  const name = returned.resolveType?.(value, context, info, returned);
  const lookUp = (typeName: string | undefined | null) => {
    const type = typeName ? schema.getType(typeName) : undefined;
    return isObjectType(type) ? type : undefined;
  };
  return isThenable(name) ? name.then(lookUp) : lookUp(name);
}

/** The resolved value with every denied object (at any list depth) replaced by its error. */
function guard(
  schema: GraphQLSchema,
  returned: GraphQLObjectType | GraphQLAbstractType,
  value: unknown,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): MaybePromise<unknown> {
  if (value == null || value instanceof Error) return value;
  if (Array.isArray(value)) {
    // Copied only when an item changes: a list a reader may see is returned as it came.
    let items: unknown[] | undefined;
    let pending = false;
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      const guarded = guard(schema, returned, item, context, info);
      if (guarded === item) continue;
      items ??= [...value];
      items[i] = guarded;
      pending ||= isThenable(guarded);
    }
    return pending ? Promise.all(items ?? []) : (items ?? value);
  }
  if (isObjectType(returned)) return guardObject(returned, value, context);
  const type = concreteType(schema, returned, value, context, info);
  return isThenable(type) ? type.then((resolved) => guardObject(resolved, value, context)) : guardObject(type, value, context);
}

function guardsResult(schema: GraphQLSchema, named: GraphQLNamedType): named is GraphQLObjectType | GraphQLAbstractType {
  if (isObjectType(named)) return pothosOptions(named).authScopes !== undefined;
  return isAbstractType(named) && schema.getPossibleTypes(named).some((type) => pothosOptions(type).authScopes !== undefined);
}

/**
 * The isTypeOf a type was declared with (the typed errors have one), behind
 * the errors plugin's part of the built wrapper (it unwraps the proxy that
 * stands in for a returned error) but without scope-auth's part, which needs
 * the request context graphql-jit does not pass.
 */
function withoutScopeCheck(declared: GraphQLObjectType['isTypeOf']): GraphQLObjectType['isTypeOf'] {
  if (!declared) return undefined;
  return (value, context, info) => {
    if (typeof value === 'object' && value !== null) (value as { [unwrapError]?: () => void })[unwrapError]?.();
    return declared(value, context, info);
  };
}

interface ConnectionShape {
  edge: GraphQLObjectType;
  node: GraphQLObjectType | GraphQLAbstractType;
}

/** The edge and node types of `type` when it is a Relay connection of rule-carrying nodes. */
function connectionOf(schema: GraphQLSchema, type: GraphQLNamedType): ConnectionShape | undefined {
  const edge = connectionEdge(type);
  if (!edge) return undefined;
  const node = getNamedType(edge.getFields().node?.type);
  return node && guardsResult(schema, node) ? { edge, node } : undefined;
}

/**
 * The connection, or one FORBIDDEN error in its place. A connection's
 * cursors, count and page info describe its rows, so a caller who may not
 * read them gets none of it: not when the node type's rule denies the caller
 * outright (checked before a row is looked at), nor when it denies any node
 * of the page. Checked here, over the whole page, rather than in each edge's
 * `node` field, so that the edge keeps no resolver and the compiled query
 * reads `edge.node` directly.
 */
function guardConnection(
  schema: GraphQLSchema,
  shape: ConnectionShape,
  connection: unknown,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): MaybePromise<unknown> {
  if (connection == null || connection instanceof Error) return connection;
  const outright = deniedOutright(shape.node, context);
  const check = (denial: GraphQLError | null) => {
    if (denial) return denial;
    const { edges } = connection as { edges?: unknown };
    return isThenable(edges)
      ? edges.then((resolved) => guardEdges(schema, shape, connection, resolved, context, info))
      : guardEdges(schema, shape, connection, edges, context, info);
  };
  return isThenable(outright) ? outright.then(check) : check(outright);
}

/** The denial of a node type whose rule does not depend on the row (`{ read: true }`), else null. */
function deniedOutright(node: GraphQLObjectType | GraphQLAbstractType, context: GatewayContext): MaybePromise<GraphQLError | null> {
  if (!isObjectType(node)) return null;
  const rule = pothosOptions(node).authScopes;
  if (rule === undefined || typeof rule === 'function') return null;
  return evaluate(node, rule, context);
}

type Edge = { cursor?: unknown; node?: unknown } | null;

// A page a reader may see in full is returned as it came: nothing is copied.
function guardEdges(
  schema: GraphQLSchema,
  shape: ConnectionShape,
  connection: object,
  edges: unknown,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): MaybePromise<unknown> {
  if (!Array.isArray(edges)) return edges == null ? connection : Promise.reject(new Error(`${shape.edge.name}s must be a list`));
  const pending: Array<PromiseLike<unknown>> = [];
  for (let i = 0; i < edges.length; i += 1) {
    const node = (edges[i] as Edge)?.node;
    const guarded = guard(schema, shape.node, node, context, info);
    if (guarded === node) continue;
    if (isThenable(guarded)) pending.push(guarded);
    else if (guarded instanceof GraphQLError) return guarded;
  }
  if (pending.length === 0) return connection;
  return Promise.all(pending).then((results) => results.find((result): result is GraphQLError => result instanceof GraphQLError) ?? connection);
}

function wrap(field: GraphQLField<unknown, GatewayContext>, after: (value: unknown, context: GatewayContext, info: GraphQLResolveInfo) => MaybePromise<unknown>): void {
  const resolve: GraphQLFieldResolver<unknown, GatewayContext> = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context: GatewayContext, info) => {
    const value: unknown = resolve(source, args, context, info);
    return isThenable(value) ? value.then((resolved) => after(resolved, context, info)) : after(value, context, info);
  };
}

/** Moves every type rule of `schema` to the fields that return its objects. Call once, on the built schema, after `streamlineRelayResolvers`. */
export function checkTypeRulesPerObject(schema: GraphQLSchema): GraphQLSchema {
  const objectTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__')) as GraphQLObjectType[];
  const guardedEdges = new Set<GraphQLObjectType>();
  for (const type of objectTypes) {
    type.isTypeOf = withoutScopeCheck(pothosOptions(type).isTypeOf);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const connection = connectionOf(schema, named);
      if (connection) {
        guardedEdges.add(connection.edge);
        wrap(field, (value, context, info) => guardConnection(schema, connection, value, context, info));
      } else if (guardsResult(schema, named) && !(field.name === 'node' && type.getFields().cursor)) {
        wrap(field, (value, context, info) => guard(schema, named, value, context, info));
      }
    }
  }
  for (const edge of guardedEdges) {
    // Only a connection's own `edges` may hand out these edges: their nodes are checked there.
    for (const type of objectTypes) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type) === edge && !(field.name === 'edges' && connectionOf(schema, type)?.edge === edge)) {
          throw new Error(`${type.name}.${field.name} returns ${edge.name} outside its connection: its nodes would skip their type rule`);
        }
      }
    }
    // streamlineRelayResolvers left the relay plugin's `(edge) => edge.node`
    // to a property read; a resolver still there would hand out nodes unchecked.
    if (edge.getFields().node?.resolve) throw new Error(`${edge.name}.node has a resolver: its nodes would skip their type rule`);
  }
  return schema;
}
