// Type-level rules (`authScopes` on an object type) checked once per object,
// at the field that returns it, instead of on every field of the object.
// The gateway plugin (gateway-plugin.ts) takes each rule out of its type's
// options before scope-auth sees it and wraps, with the guards below, every
// field whose result is, or may be, an object of a rule-carrying type:
// `node`, `nodes`, edges, lists, payloads.
//
// Why not scope-auth's own placements: it can run a type's rule as a step in
// front of every field of the type (its default), which wraps every field, so
// a page of 100 users with 10 pools each runs a resolver, and allocates, for
// every `name` and `status`, and graphql-jit cannot inline a single property
// read; or in `isTypeOf` (`runScopesOnType`), which graphql-jit calls with the
// value alone, without the request context a rule needs.
//
// Each object is checked with scope-auth's own per-request cache
// (`runAuthScopes`); a denied one becomes a FORBIDDEN error in its place, so
// a list keeps its other items and a nullable field answers null. A
// connection is the exception: one denied node makes the whole connection
// FORBIDDEN, since its cursors, count and page info describe every row.
import { isThenable, type MaybePromise } from '@pothos/core';
import { type GraphQLAbstractType, GraphQLError, type GraphQLNamedType, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema, getNamedType, isAbstractType, isObjectType } from 'graphql';
import type { GatewayContext } from '../context.ts';

/** What scope-auth evaluates: a map of scope names to their arguments. */
export type ScopeMap = Record<string, unknown>;
/** A type's `authScopes` as declared: a verdict, a scope map, or either for one row. */
export type TypeRule = boolean | ScopeMap | ((parent: unknown, context: GatewayContext) => MaybePromise<boolean | ScopeMap>);

/** What the guards need from the schema being built (the plugin provides it). */
export interface RuleBook {
  /** The rule of the object type named `typeName`, when it declares one. */
  ruleOf(typeName: string): TypeRule | undefined;
  /** The built schema (asked at run time only, never while building). */
  schema(): GraphQLSchema;
  /** scope-auth's evaluation with its per-request cache; throws `denial()` when the scopes fail. */
  runAuthScopes(context: GatewayContext, scopes: ScopeMap, denial: () => Error): MaybePromise<void>;
}

/** Runs after a field resolved: the value, or what takes its place. */
export type AfterResolve = (value: unknown, context: GatewayContext, info: GraphQLResolveInfo) => MaybePromise<unknown>;

const denied = (typeName: string) => new GraphQLError(`not allowed to read ${typeName}`, { extensions: { code: 'FORBIDDEN' } });

// The outcome of each scope map a request has passed. Static rules and the
// shared map of `scopesOrRow` repeat for every row of a list, so a reader's
// thousand rows cost one evaluation and a thousand map look-ups.
const passed = new WeakMap<GatewayContext, WeakSet<object>>();

/** The edge type of `type` when it is a Relay connection: `edges` of objects with a `cursor` and a `node`. */
export function connectionEdge(type: GraphQLNamedType): GraphQLObjectType | undefined {
  if (!isObjectType(type)) return undefined;
  const edges = type.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  return isObjectType(edge) && edge.getFields().cursor && edge.getFields().node ? edge : undefined;
}

/** Whether objects of `type` (or, for an abstract type, of any type it may resolve to) carry a rule. */
export function carriesRule(book: Pick<RuleBook, 'ruleOf'>, schema: GraphQLSchema, type: GraphQLNamedType): boolean {
  if (isObjectType(type)) return book.ruleOf(type.name) !== undefined;
  return isAbstractType(type) && schema.getPossibleTypes(type).some((member) => book.ruleOf(member.name) !== undefined);
}

/** The guards of one schema's rules. */
export function typeRuleGuards(book: RuleBook) {
  /** null when `scopes` hold for the caller, else the error that takes the object's place. */
  function evaluate(typeName: string, scopes: boolean | ScopeMap, context: GatewayContext): MaybePromise<GraphQLError | null> {
    if (typeof scopes === 'boolean') return scopes ? null : denied(typeName);
    let known = passed.get(context);
    if (known?.has(scopes)) return null;
    let outcome: MaybePromise<void>;
    try {
      outcome = book.runAuthScopes(context, scopes, () => denied(typeName));
    } catch (error) {
      return toDenial(error, typeName);
    }
    if (isThenable(outcome)) return outcome.then(() => null, (error: unknown) => toDenial(error, typeName));
    if (!known) {
      known = new WeakSet();
      passed.set(context, known);
    }
    known.add(scopes);
    return null;
  }

  /** `value`, or the error that takes its place when the rule of the type named `typeName` denies it. */
  function guardObject(typeName: string | undefined, value: unknown, context: GatewayContext): MaybePromise<unknown> {
    const rule = typeName === undefined ? undefined : book.ruleOf(typeName);
    if (typeName === undefined || rule === undefined) return value;
    const scopes = typeof rule === 'function' ? rule(value, context) : rule;
    const error = isThenable(scopes) ? scopes.then((resolved) => evaluate(typeName, resolved, context)) : evaluate(typeName, scopes, context);
    return isThenable(error) ? error.then((e) => e ?? value) : (error ?? value);
  }

  function concreteType(returned: GraphQLAbstractType, value: unknown, context: GatewayContext, info: GraphQLResolveInfo): MaybePromise<string | undefined> {
    const name = returned.resolveType?.(value, context, info, returned);
    const lookUp = (typeName: string | undefined | null) => (typeName && isObjectType(book.schema().getType(typeName)) ? typeName : undefined);
    return isThenable(name) ? name.then(lookUp) : lookUp(name);
  }

  /** The resolved value with every denied object (at any list depth) replaced by its error. */
  function guard(returned: GraphQLNamedType, value: unknown, context: GatewayContext, info: GraphQLResolveInfo): MaybePromise<unknown> {
    if (value == null || value instanceof Error) return value;
    if (Array.isArray(value)) {
      // Copied only when an item changes: a list a reader may see is returned as it came.
      let items: unknown[] | undefined;
      let pending = false;
      for (let i = 0; i < value.length; i += 1) {
        const item: unknown = value[i];
        const guarded = guard(returned, item, context, info);
        if (guarded === item) continue;
        items ??= [...value];
        items[i] = guarded;
        pending ||= isThenable(guarded);
      }
      return pending ? Promise.all(items ?? []) : (items ?? value);
    }
    if (!isAbstractType(returned)) return guardObject(returned.name, value, context);
    const type = concreteType(returned, value, context, info);
    return isThenable(type) ? type.then((resolved) => guardObject(resolved, value, context)) : guardObject(type, value, context);
  }

  /** The denial of a node type whose rule does not depend on the row (`{ read: true }`), else null. */
  function deniedOutright(node: GraphQLNamedType, context: GatewayContext): MaybePromise<GraphQLError | null> {
    if (!isObjectType(node)) return null;
    const rule = book.ruleOf(node.name);
    if (rule === undefined || typeof rule === 'function') return null;
    return evaluate(node.name, rule, context);
  }

  type Edge = { cursor?: unknown; node?: unknown } | null;

  // A page a reader may see in full is returned as it came: nothing is copied.
  function guardEdges(node: GraphQLNamedType, connection: object, edges: unknown, context: GatewayContext, info: GraphQLResolveInfo): MaybePromise<unknown> {
    if (!Array.isArray(edges)) return edges == null ? connection : Promise.reject(new Error(`the edges of a ${node.name} connection must be a list`));
    const pending: Array<PromiseLike<unknown>> = [];
    for (let i = 0; i < edges.length; i += 1) {
      const value = (edges[i] as Edge)?.node;
      const guarded = guard(node, value, context, info);
      if (guarded === value) continue;
      if (isThenable(guarded)) pending.push(guarded);
      else if (guarded instanceof GraphQLError) return guarded;
    }
    if (pending.length === 0) return connection;
    return Promise.all(pending).then((results) => results.find((result): result is GraphQLError => result instanceof GraphQLError) ?? connection);
  }

  // Types are looked up in the built schema on first use: fields are wrapped while it is being built.
  const typeNamed = (name: string): GraphQLNamedType => {
    const type = book.schema().getType(name);
    if (!type) throw new Error(`type ${name} is not in the schema`);
    return type;
  };

  return {
    /** Guards a field returning objects of the type named `returned` (an object or abstract type, in lists or not). */
    result(returned: string): AfterResolve {
      let type: GraphQLNamedType | undefined;
      return (value, context, info) => guard((type ??= typeNamed(returned)), value, context, info);
    },
    /**
     * Guards a field returning a connection of `node` objects: the connection,
     * or one FORBIDDEN error in its place. A connection's cursors, count and
     * page info describe its rows, so a caller who may not read them gets
     * none of it: not when the node type's rule denies the caller outright
     * (checked before a row is looked at), nor when it denies any node of the
     * page. Checked here, over the whole page, rather than in each edge's
     * `node` field, so that the edge keeps no resolver and the compiled query
     * reads `edge.node` directly.
     */
    connection(node: string): AfterResolve {
      let type: GraphQLNamedType | undefined;
      return (connection, context, info) => {
        if (connection == null || connection instanceof Error) return connection;
        const nodeType = (type ??= typeNamed(node));
        const outright = deniedOutright(nodeType, context);
        const check = (denial: GraphQLError | null) => {
          if (denial) return denial;
          const { edges } = connection as { edges?: unknown };
          return isThenable(edges) ? edges.then((resolved) => guardEdges(nodeType, connection, resolved, context, info)) : guardEdges(nodeType, connection, edges, context, info);
        };
        return isThenable(outright) ? outright.then(check) : check(outright);
      };
    },
  };
}

// runAuthScopes throws the denial built above; anything else (a failing
// scope loader) is a real failure and stays one.
function toDenial(error: unknown, typeName: string): GraphQLError {
  if (error instanceof GraphQLError && error.extensions.code === 'FORBIDDEN') return error;
  throw error instanceof Error ? error : new Error(`checking the rule of ${typeName} failed`);
}
