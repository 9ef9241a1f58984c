// The gateway's own Pothos plugin: every wrapper the gateway puts around a
// field is decided here, through Pothos' plugin hooks, from each type's and
// field's options as Pothos hands them to plugins. Nothing else in src/
// reads Pothos' options or rewrites the built schema.
//
// Registered FIRST in the builder's plugin list, so that its `wrapResolve`
// wraps outside errors, scope-auth and relay (it sees a mutation's typed
// errors as union members, and scope-auth's denials), and its
// `onTypeConfig`/`onOutputFieldConfig` run after theirs (Pothos applies
// those from the last plugin to the first).
//
// Per field, from the inside out:
//   1. relay: a Node type's `id` encoded in place; a connection's `edges` and
//      `pageInfo` and an edge's `node` left to property reads
//      (relay-resolvers.ts);
//   2. every Mutation field: the `idempotencyKey` argument, the idempotency
//      refusal and the audit row (mutations.ts);
//   3. every field returning objects of a rule-carrying type: the type's
//      rule, once per object (type-rules.ts);
//   4. every Query and Mutation field: its duration, handed to the
//      `observeRootField` hook of the request context (the HTTP layer's
//      metrics), so the schema knows nothing of HTTP.
//
// Fail closed: the type rules are taken out of their types' options here,
// before scope-auth sees them, so this plugin is the only thing enforcing
// them. If a rule were not captured (an upgrade moving where Pothos keeps
// the options) or not wired to a field returning its type, a type would be
// readable by anyone; `afterBuild` checks the built schema against what was
// captured and wired, and throws, so the gateway refuses to start.
import SchemaBuilder, { BasePlugin, isThenable, type OutputType, type PothosOutputFieldConfig, type PothosTypeConfig, PothosSchemaError, type SchemaTypes, unwrapOutputFieldType } from '@pothos/core';
import { extractAndSortErrorTypes } from '@pothos/plugin-errors';
import { defaultFieldResolver, type GraphQLField, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { IDEMPOTENCY_KEY_ARG } from '../request-state.ts';
import { type ErrorClass, IDEMPOTENCY_KEY_DESCRIPTION, instrumentMutation } from './mutations.ts';
import { encodeIdInPlace, readsOwnProperty } from './relay-resolvers.ts';
import { type AfterResolve, carriesRule, connectionEdge, type RuleBook, type ScopeMap, type TypeRule, typeRuleGuards } from './type-rules.ts';

const pluginName = 'gateway';
export default pluginName;

type Resolver = GraphQLFieldResolver<unknown, GatewayContext>;

/** A root field's own rule (its `authScopes`), as scope-auth takes it. */
export type FieldRule = boolean | ScopeMap | ((parent: unknown, args: Record<string, unknown>, context: GatewayContext, info: unknown) => boolean | ScopeMap | Promise<boolean | ScopeMap>);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      gateway: GatewayPlugin<Types>;
    }
  }
}

// What the plugin publishes on the built fields, under keys of its own.
declare module 'graphql' {
  interface GraphQLFieldExtensions<_TSource, _TContext, _TArgs> {
    /** A Mutation field's `authScopes`, for rules evaluated before execution (field-rules.ts). */
    gatewayMutationRule?: FieldRule;
    /** The property a `t.expose` field reads (selection.ts). */
    gatewayExposedProperty?: string;
  }
  interface GraphQLObjectTypeExtensions<_TSource, _TContext> {
    /** The type's rule as the gateway plugin enforces it (for tests and tools; the guards hold their own). */
    gatewayTypeRule?: TypeRule;
  }
}

/** The `authScopes` of a Mutation field; undefined when the schema was not built by this plugin. */
export const mutationRuleOf = (field: GraphQLField<unknown, unknown>): FieldRule | undefined => field.extensions.gatewayMutationRule;

/** The property a field exposed with `t.expose` reads, if it is one. */
export const exposedPropertyOf = (field: GraphQLField<unknown, unknown>): string | undefined => field.extensions.gatewayExposedProperty;

/** The type-level rule (`authScopes`) the plugin enforces for objects of `type`, if it has one. */
export const typeRuleOf = (type: GraphQLObjectType): TypeRule | undefined => type.extensions.gatewayTypeRule;

// Options read from Pothos' type and field configs: the options the
// schema's authors wrote (scope-auth's `authScopes`, relay's `id`, the
// errors plugin's `errors`), and core's mark on `t.expose` fields.
interface TypeOptions {
  authScopes?: TypeRule;
  id?: { resolve?: Resolver };
}
interface FieldOptions {
  authScopes?: FieldRule;
  errors?: { types?: unknown[] };
}

export class GatewayPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  /** Each object type's rule, taken out of its options. */
  private readonly typeRules = new Map<string, TypeRule>();
  /** Each Node type's raw id resolver. */
  private readonly nodeIds = new Map<string, Resolver>();
  /** `Type.field` of every field wrapped with a type-rule guard. */
  private readonly guarded = new Set<string>();
  /** Node types whose id is encoded in place. */
  private readonly encodedIds = new Set<string>();
  private built: GraphQLSchema | undefined;

  private readonly guards = typeRuleGuards(this.ruleBook());

  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    const options = typeConfig.pothosOptions as TypeOptions;
    if (typeConfig.kind === 'Interface' || typeConfig.kind === 'Union') {
      // scope-auth would run such a rule in front of every field of every
      // member, or not at all under graphql-jit: refuse it rather than guess.
      if (options.authScopes !== undefined) throw new PothosSchemaError(`${typeConfig.name}: put the rule (authScopes) on each object type, not on the ${typeConfig.kind.toLowerCase()}`);
      return typeConfig;
    }
    if (typeConfig.kind !== 'Object') return typeConfig;
    if (options.id?.resolve) this.nodeIds.set(typeConfig.name, options.id.resolve);
    if (options.authScopes === undefined) return typeConfig;
    this.typeRules.set(typeConfig.name, options.authScopes);
    // scope-auth never sees the rule: this plugin is the one place it is enforced.
    const { authScopes: _taken, ...rest } = typeConfig.pothosOptions as TypeOptions & Record<string, unknown>;
    return { ...typeConfig, pothosOptions: rest, extensions: { ...typeConfig.extensions, gatewayTypeRule: options.authScopes } } as PothosTypeConfig;
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const exposed: unknown = fieldConfig.extensions?.pothosExposedField;
    const withExposed = typeof exposed === 'string' ? { ...fieldConfig, extensions: { ...fieldConfig.extensions, gatewayExposedProperty: exposed } } : fieldConfig;
    if (fieldConfig.kind !== 'Mutation') return withExposed;
    const options = fieldConfig.pothosOptions as FieldOptions;
    return {
      ...withExposed,
      extensions: { ...withExposed.extensions, gatewayMutationRule: options.authScopes },
      args: {
        ...fieldConfig.args,
        [IDEMPOTENCY_KEY_ARG]: {
          kind: 'Arg',
          graphqlKind: 'Arg',
          name: IDEMPOTENCY_KEY_ARG,
          parentField: fieldConfig.name,
          parentType: fieldConfig.parentType,
          type: { kind: 'Scalar', ref: 'String' as never, required: false },
          description: IDEMPOTENCY_KEY_DESCRIPTION,
          pothosOptions: { type: 'String', required: false, description: IDEMPOTENCY_KEY_DESCRIPTION } as never,
          extensions: {},
        },
      },
    };
  }

  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types['Context'], object>, fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const below = resolver as Resolver;
    const { parentType, name, kind } = fieldConfig;
    let resolve = below;
    // 1. relay streamlining (replaces the resolver; only ever non-root fields)
    const rawId = name === this.idFieldName() ? this.nodeIds.get(parentType) : undefined;
    if (rawId) {
      this.encodedIds.add(parentType);
      resolve = encodeIdInPlace(parentType, rawId);
    } else if (this.isConnectionPlumbing(parentType, name) && readsOwnProperty(name, below)) {
      resolve = defaultFieldResolver;
    }
    // 2. mutations
    if (kind === 'Mutation') resolve = instrumentMutation(resolve, this.errorTypesOf(fieldConfig));
    // 3. type rules
    const guard = this.typeRuleGuardFor(fieldConfig);
    if (guard) {
      this.guarded.add(`${parentType}.${name}`);
      resolve = afterResolving(resolve, guard);
    }
    // 4. root-field timing
    if (kind === 'Query' || kind === 'Mutation') resolve = timed(parentType, name, resolve);
    return resolve as GraphQLFieldResolver<unknown, Types['Context'], object>;
  }

  override wrapSubscribe(subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined, fieldConfig: PothosOutputFieldConfig<Types>) {
    // A subscription's events would reach the client past every type rule.
    if (fieldConfig.kind === 'Subscription') throw new PothosSchemaError(`Subscription.${fieldConfig.name}: subscriptions are not supported (type rules would not apply to their events)`);
    return subscribe;
  }

  override afterBuild(schema: GraphQLSchema): GraphQLSchema {
    this.built = schema;
    verifyTypeRules(schema, this.typeRules, this.guarded);
    verifyNodeIds(schema, this.encodedIds);
    verifyMutationRules(schema);
    return schema;
  }

  /** The guard of a field whose result is, or may be, an object of a rule-carrying type; undefined for any other field. */
  protected typeRuleGuardFor(fieldConfig: PothosOutputFieldConfig<Types>): AfterResolve | undefined {
    const returned = this.nameOf(unwrapOutputFieldType(fieldConfig.type));
    const connectionNode = this.connectionNodeOf(returned);
    if (connectionNode !== undefined) return this.mayCarryRule(connectionNode) ? this.guards.connection(connectionNode) : undefined;
    // An edge's node is checked with its whole page, by the connection's field.
    if (fieldConfig.name === 'node' && this.isEdge(fieldConfig.parentType)) return undefined;
    return this.mayCarryRule(returned) ? this.guards.result(returned) : undefined;
  }

  private ruleBook(): RuleBook {
    return {
      ruleOf: (typeName) => this.typeRules.get(typeName),
      schema: () => {
        if (!this.built) throw new Error('the schema is still being built');
        return this.built;
      },
      runAuthScopes: (context, scopes, denial) => this.builder.runAuthScopes(context as Types['Context'], scopes as never, denial),
    };
  }

  private idFieldName(): string {
    return this.builder.options.relay?.idFieldName ?? 'id';
  }

  private nameOf(ref: OutputType<Types> | string): string {
    return this.buildCache.getTypeConfig(ref).name;
  }

  /** Every object type `typeName` may stand for (itself, a union's members, an interface's implementers). */
  private objectTypesOf(typeName: string): string[] {
    const config = this.buildCache.getTypeConfig(typeName);
    if (config.kind === 'Object') return [config.name];
    if (config.kind === 'Union') return config.types.map((member) => this.nameOf(member));
    if (config.kind !== 'Interface') return [];
    const implementers: string[] = [];
    for (const candidate of this.builder.configStore.typeConfigs.values()) {
      if (candidate.kind !== 'Object') continue;
      const object = this.buildCache.getTypeConfig(candidate.name, 'Object');
      if (object.interfaces.some((iface) => this.nameOf(iface) === config.name)) implementers.push(object.name);
    }
    return implementers;
  }

  // Asking for a type's config runs onTypeConfig for it first, so its rule is captured before it is looked up.
  private mayCarryRule(typeName: string): boolean {
    return this.objectTypesOf(typeName).some((member) => this.typeRules.has(member));
  }

  /** Field configs of an object type as declared, or undefined for any other kind of type. */
  private declaredFields(typeName: string) {
    const kind = this.buildCache.getTypeConfig(typeName).kind;
    return kind === 'Object' ? this.builder.configStore.getFields(typeName, 'Object') : undefined;
  }

  private isEdge(typeName: string): boolean {
    const fields = this.declaredFields(typeName);
    return fields?.has('cursor') === true && fields.has('node');
  }

  /** The node type of a Relay connection type (`edges` of objects with a `cursor` and a `node`), else undefined. */
  private connectionNodeOf(typeName: string): string | undefined {
    const edges = this.declaredFields(typeName)?.get('edges');
    if (!edges) return undefined;
    const edge = this.nameOf(unwrapOutputFieldType(edges.type));
    const node = this.isEdge(edge) ? this.declaredFields(edge)?.get('node') : undefined;
    return node ? this.nameOf(unwrapOutputFieldType(node.type)) : undefined;
  }

  private isConnectionPlumbing(parentType: string, fieldName: string): boolean {
    if (fieldName === 'edges' || fieldName === 'pageInfo') return this.connectionNodeOf(parentType) !== undefined;
    return fieldName === 'node' && this.isEdge(parentType);
  }

  /** The members of a field's result union, as the errors plugin computes them from the field's `errors` option. */
  private errorTypesOf(fieldConfig: PothosOutputFieldConfig<Types>): ErrorClass[] {
    const declared = (fieldConfig.pothosOptions as FieldOptions).errors?.types ?? [];
    const defaults: unknown[] = this.builder.options.errors?.defaultTypes ?? [];
    return extractAndSortErrorTypes([...new Set([...declared, ...defaults])]).filter((type): type is ErrorClass => type.prototype instanceof Error || type === Error);
  }
}

SchemaBuilder.registerPlugin(pluginName, GatewayPlugin);

function afterResolving(resolve: Resolver, after: AfterResolve): Resolver {
  return (source, args, context, info) => {
    const value: unknown = resolve(source, args, context, info);
    return isThenable(value) ? value.then((resolved) => after(resolved, context, info)) : after(value, context, info);
  };
}

/** A root field's resolver reporting its duration to the request's `observeRootField`, when the request has one. */
function timed(parentType: string, fieldName: string, resolve: Resolver): Resolver {
  return (source, args, context, info) => {
    const observeRootField = context.observeRootField;
    if (!observeRootField) return resolve(source, args, context, info);
    const started = performance.now();
    const observe = () => observeRootField(parentType, fieldName, (performance.now() - started) / 1000);
    try {
      const result: unknown = resolve(source, args, context, info);
      if (result instanceof Promise) return result.finally(observe);
      observe();
      return result;
    } catch (error) {
      observe();
      throw error;
    }
  };
}

// ---------------------------------------------------------------- checks at start-up

const objectTypesOf = (schema: GraphQLSchema) => Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));

/** Connections, their edges and their page info: they only carry rows of other types. */
function structuralTypes(schema: GraphQLSchema): Set<string> {
  const names = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter((name): name is string => name !== undefined));
  for (const type of objectTypesOf(schema)) {
    const edge = connectionEdge(type);
    if (!edge) continue;
    names.add(type.name).add(edge.name);
    const pageInfo = type.getFields().pageInfo;
    if (pageInfo) names.add(getNamedType(pageInfo.type).name);
  }
  return names;
}

/**
 * Every object type that is not structural has a captured rule, and every
 * field returning objects of a rule-carrying type is guarded, except an
 * edge's `node`, which the connection's field checks with its page and which
 * therefore must have no resolver and be reachable only through `edges`.
 */
function verifyTypeRules(schema: GraphQLSchema, rules: ReadonlyMap<string, TypeRule>, guarded: ReadonlySet<string>): void {
  const structural = structuralTypes(schema);
  const objectTypes = objectTypesOf(schema);
  const book = { ruleOf: (name: string) => rules.get(name) };
  const unruled = objectTypes.filter((type) => !structural.has(type.name) && !rules.has(type.name)).map((type) => type.name);
  if (unruled.length > 0) throw new Error(`type rules not captured for ${unruled.join(', ')}: declare authScopes on each (or the gateway plugin no longer finds them); refusing to build a schema that would serve them unchecked`);
  // Edges of connections whose nodes carry a rule, and the connection of each.
  const edges = new Map<string, string>();
  for (const type of objectTypes) {
    const edge = connectionEdge(type);
    const node = edge?.getFields().node;
    if (edge && node && carriesRule(book, schema, getNamedType(node.type))) edges.set(edge.name, type.name);
  }
  const unguarded: string[] = [];
  for (const type of objectTypes) {
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const connectionNode = connectionEdge(named)?.getFields().node;
      const ruled = connectionNode ? carriesRule(book, schema, getNamedType(connectionNode.type)) : carriesRule(book, schema, named);
      const key = `${type.name}.${field.name}`;
      if (edges.has(type.name) && field.name === 'node') {
        if (field.resolve) unguarded.push(`${key} (has a resolver: its nodes would skip their type rule)`);
      } else if (edges.has(named.name) && !(field.name === 'edges' && edges.get(named.name) === type.name)) {
        unguarded.push(`${key} (returns ${named.name} outside its connection: its nodes would skip their type rule)`);
      } else if (ruled && !guarded.has(key)) {
        unguarded.push(key);
      }
    }
  }
  if (unguarded.length > 0) throw new Error(`type rules not wired to ${unguarded.join(', ')}; refusing to build a schema that would serve them unchecked`);
}

function verifyNodeIds(schema: GraphQLSchema, encoded: ReadonlySet<string>): void {
  for (const type of objectTypesOf(schema)) {
    if (type.getInterfaces().some((i) => i.name === 'Node') && !encoded.has(type.name)) throw new Error(`${type.name} implements Node without an id resolver`);
  }
}

/** Idempotent replays are answered only to callers the mutation's rule allows: every mutation needs one. */
function verifyMutationRules(schema: GraphQLSchema): void {
  const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
  const missing = fields.filter((field) => mutationRuleOf(field) === undefined).map((field) => field.name);
  if (missing.length > 0) throw new Error(`mutations without a captured rule (authScopes): ${missing.join(', ')}`);
}
