// What an operation will load, counted before it runs, with its variables:
// the cost both the per-operation limit (LIMIT_MAX_COST) and the per-caller
// query budget (rate-limit.ts) are measured in.
//
// graphql-armor's cost limit weighs the document alone: `nodes(ids: $ids)`
// cost the same with one id or fifteen thousand, and a connection the same
// with `first: 1` or `first: 100`. Here every field costs 1 for each time it
// will be resolved: below a list argument (`ids`) that is the list's length,
// below a connection its page size (`first`/`last`, else the default page),
// below any other list a fixed guess.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Decision, QueryBudget } from './rate-limit.ts';

/** The page a connection loads when the client names neither `first` nor `last` (the relay plugin's default). */
export const DEFAULT_PAGE = 20;
/** The length assumed for a list field that takes no size (a user's accounts, a pool's providers). */
export const ASSUMED_LIST_LENGTH = 10;

export interface CostLimits {
  maxCost: number;
  /** Items a list argument (`nodes(ids:)`) may hold. */
  maxListItems: number;
}

export const costError = (cost: number, max: number) =>
  new GraphQLError(`operation cost ${cost > max * 1000 ? `over ${max * 1000}` : cost} exceeds the limit of ${max}`, {
    // `spec`: like a validation error, 400 under application/graphql-response+json, 200 under application/json.
    extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost: max, http: { spec: true, status: 400 } },
  });

const listTooLong = (field: string, argument: string, max: number) =>
  new GraphQLError(`"${field}" accepts at most ${max} items in "${argument}"`, { extensions: { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } } });

class Walk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  // A fragment's cost scales with where it is spread, so it is counted once
  // per operation at multiplier 1: a fragment spread twice in each of thirty
  // nested fragments costs thirty walks, not 2^30.
  private readonly fragmentCosts = new Map<string, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
    private readonly limits: CostLimits,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  selectionSet(type: GraphQLCompositeType, selectionSet: SelectionSetNode, multiplier: number): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += this.field(type, selection.name.value, selection.arguments ?? [], selection.selectionSet, multiplier);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        if (isCompositeType(condition)) cost += this.selectionSet(condition, selection.selectionSet, multiplier);
      } else {
        cost += multiplier * this.fragment(selection.name.value);
      }
      // Stops early on an operation far over the limit (the number reported is then a floor).
      if (cost > this.limits.maxCost * 1000) return cost;
    }
    return cost;
  }

  private fragment(name: string): number {
    const known = this.fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
    // Validation has refused cycles; the placeholder keeps a broken document finite anyway.
    this.fragmentCosts.set(name, 0);
    const cost = fragment && isCompositeType(type) ? this.selectionSet(type, fragment.selectionSet, 1) : 0;
    this.fragmentCosts.set(name, cost);
    return cost;
  }

  private field(
    parent: GraphQLCompositeType,
    name: string,
    args: ReadonlyArray<{ name: { value: string }; value: ValueNode }>,
    selectionSet: SelectionSetNode | undefined,
    multiplier: number,
  ): number {
    // Introspection is bounded by the depth limit and off in production.
    if (name.startsWith('__')) return 0;
    const definition: GraphQLField<unknown, unknown> | undefined = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!definition) return 0;
    const below = multiplier * this.fanOut(parent, definition, args);
    const named = getNamedType(definition.type);
    if (!selectionSet || !isCompositeType(named)) return multiplier;
    return multiplier + this.selectionSet(named, selectionSet, below);
  }

  /** How many times the field's selection will be resolved for each time the field is. */
  private fanOut(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: ReadonlyArray<{ name: { value: string }; value: ValueNode }>): number {
    let listItems: number | undefined;
    let page: number | undefined;
    for (const arg of args) {
      const declared = field.args.find((a) => a.name === arg.name.value);
      if (!declared) continue;
      if (isListType(getNullableType(declared.type))) {
        const length = this.listLength(arg.value);
        if (length > this.limits.maxListItems) throw listTooLong(`${parent.name}.${field.name}`, declared.name, this.limits.maxListItems);
        listItems = Math.max(listItems ?? 0, length);
      } else if (declared.name === 'first' || declared.name === 'last') {
        const size = this.intValue(arg.value);
        if (size !== undefined) page = Math.max(page ?? 0, size);
      }
    }
    if (listItems !== undefined) return listItems;
    const isConnection = field.args.some((a) => a.name === 'first');
    if (isConnection) return page ?? DEFAULT_PAGE;
    // A connection's edges are its page, counted above.
    if (field.name === 'edges' && isObjectType(parent) && parent.getFields().pageInfo) return 1;
    return isListType(getNullableType(field.type)) ? ASSUMED_LIST_LENGTH : 1;
  }

  private listLength(value: ValueNode): number {
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind === Kind.NULL) return 0;
    if (value.kind === Kind.VARIABLE) {
      const given = this.variables[value.name.value];
      if (Array.isArray(given)) return given.length;
      return given == null ? 0 : 1;
    }
    // A single value stands for a list of one.
    return 1;
  }

  private intValue(value: ValueNode): number | undefined {
    const raw = value.kind === Kind.INT ? Number(value.value) : value.kind === Kind.VARIABLE ? this.variables[value.name.value] : undefined;
    // Out-of-range sizes are refused by the connection itself; counted here at most at the page cap.
    return typeof raw === 'number' && Number.isFinite(raw) ? Math.max(0, Math.min(raw, 100)) : undefined;
  }
}

/**
 * The cost of `operation` with `variables`, or the error that refuses it:
 * over `limits.maxCost`, or a list argument longer than `limits.maxListItems`.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  limits: CostLimits,
): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const cost = new Walk(schema, document, variables ?? {}, limits).selectionSet(root, operation.selectionSet, 1);
  if (cost > limits.maxCost) throw costError(cost, limits.maxCost);
  return cost;
}

/** A bucket's state as `RateLimit-*` response headers (draft-ietf-httpapi-ratelimit-headers). */
function budgetHeaders(limit: number, decision: Decision): Record<string, string> {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, decision.remaining)),
    'ratelimit-reset': String(Math.ceil(decision.resetMs / 1000)),
  };
}

/**
 * Refuses an operation whose cost is over LIMIT_MAX_COST (or whose list
 * argument is over LIMIT_MAX_NODES), then charges a query's cost to the
 * caller's query budget: 429 with Retry-After when it is spent. Every
 * answer to a charged request carries the budget in `RateLimit-*` headers.
 */
export function useOperationCost(limits: CostLimits, budget: QueryBudget, metrics: GatewayMetrics): Plugin<GatewayContext> {
  const charged = new WeakMap<Request, Record<string, string>>();
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      let cost: number;
      try {
        cost = operationCost(args.schema, args.document, operation, args.variableValues, limits);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
        return;
      }
      if (operation.operation !== 'query') return;
      const anonymous = args.contextValue.caller.kind === 'anonymous';
      const limiter = anonymous ? budget.anonymous : budget.identified;
      if (!limiter) return;
      const policy = anonymous ? budget.policies.anonymous : budget.policies.identified;
      const decision = await limiter.take(args.contextValue.caller.id, cost);
      const headers = budgetHeaders(policy.burst, decision);
      const { request } = args.contextValue as GatewayContext & { request?: Request };
      if (request) charged.set(request, headers);
      if (decision.allowed) return;
      metrics.rateLimited('query');
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      setResultAndStopExecution({
        errors: [
          new GraphQLError(`query budget spent (this operation costs ${cost}); retry in ${seconds} s`, {
            extensions: { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: seconds, cost, http: { status: 429, headers: { 'retry-after': String(seconds), ...headers } } },
          }),
        ],
      });
    },
    onResponse({ request, response }) {
      const headers = charged.get(request);
      if (headers) for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
    onDispose: async () => {
      await Promise.all([budget.identified?.close(), budget.anonymous?.close()]);
    },
  };
}
