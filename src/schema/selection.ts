// What a query reads of the rows a field returns, so that the batched loads
// behind a page select only the columns its selection shows, as the
// baseline's hand-written SQL does (docs/performance.md). A type's plan
// maps each of its fields to the columns it reads: a field that exposes a
// column reads that column, a field with a resolver reads what its plan
// says, and a field the plan does not name reads every column, so a field
// added later without a plan entry is slow, never wrong.
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { isObjectType, Kind } from 'graphql';
import { exposedPropertyOf } from './gateway-plugin.ts';

export interface ColumnPlan<Key extends string> {
  /** The GraphQL object type whose fields are read. */
  typeName: string;
  /** Every column the rows may hold, in the order a statement selects them. */
  all: readonly Key[];
  /** Columns read whatever is selected: the id that pages and type rules use. */
  always: readonly Key[];
  /** Fields with resolvers and the columns they read. */
  fields: Readonly<Record<string, readonly Key[]>>;
  /** Where the objects are below the resolving field: `['edges', 'node']` for a connection's nodes. */
  path?: readonly string[];
}

type FieldColumns<Key> = ReadonlyMap<string, readonly Key[] | 'all'>;

interface PlanState<Key> {
  fieldColumns?: FieldColumns<Key>;
  // By the field's node in the (cached, parsed) document: a selection is
  // the same every time its document runs, so it is worked out once.
  byField: WeakMap<FieldNode, readonly Key[]>;
}

const states = new WeakMap<ColumnPlan<string>, PlanState<string>>();

/** The columns of `plan`'s rows that the fields selected under `info`'s field read. */
export function columnsSelected<Key extends string>(info: GraphQLResolveInfo, plan: ColumnPlan<Key>): readonly Key[] {
  let state = states.get(plan) as PlanState<Key> | undefined;
  if (!state) {
    state = { byField: new WeakMap() };
    states.set(plan, state);
  }
  // Asked once per parent row (each user's pools): no copy of fieldNodes.
  const only = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const cached = only && state.byField.get(only);
  if (cached) return cached;
  state.fieldColumns ??= fieldColumnsOf(info, plan);
  const keys = columnsFor(selectedFieldNames(info, plan.path ?? []), state.fieldColumns, plan);
  if (only) state.byField.set(only, keys);
  return keys;
}

function columnsFor<Key extends string>(names: ReadonlySet<string>, fieldColumns: FieldColumns<Key>, plan: ColumnPlan<Key>): readonly Key[] {
  const wanted = new Set<Key>(plan.always);
  for (const name of names) {
    // Not a field of the type: `__typename`, or a fragment on another type.
    const columns = fieldColumns.get(name);
    if (columns === 'all') return plan.all;
    for (const column of columns ?? []) wanted.add(column);
  }
  return plan.all.filter((key) => wanted.has(key));
}

function fieldColumnsOf<Key extends string>(info: GraphQLResolveInfo, plan: ColumnPlan<Key>): FieldColumns<Key> {
  const type = info.schema.getType(plan.typeName);
  if (!isObjectType(type)) throw new Error(`column plan for ${plan.typeName}, which is not an object type`);
  const all = new Set<string>(plan.all);
  const map = new Map<string, readonly Key[] | 'all'>();
  for (const field of Object.values(type.getFields())) {
    const exposed = exposedPropertyOf(field);
    const named = plan.fields[field.name];
    if (named) map.set(field.name, named);
    // `t.expose('name')` reads the property of that name, which is the column's key
    // (`all` holds it, so it is one of the Keys).
    else if (exposed !== undefined && all.has(exposed)) map.set(field.name, [exposed as Key]);
    else map.set(field.name, 'all');
  }
  return map;
}

/**
 * Names of the fields selected at `path` below the resolving field, through
 * fragments. `@skip`/`@include` are not evaluated, so the set may be larger
 * than what runs, never smaller, and does not depend on variables.
 */
function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let level = selectionSetsOf(info.fieldNodes);
  for (const step of path) {
    const next: FieldNode[] = [];
    eachField(level, info.fragments, (field) => {
      if (field.name.value === step) next.push(field);
    });
    level = selectionSetsOf(next);
  }
  const names = new Set<string>();
  eachField(level, info.fragments, (field) => names.add(field.name.value));
  return names;
}

const selectionSetsOf = (fields: readonly FieldNode[]): SelectionSetNode[] => fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));

function eachField(sets: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>, visit: (field: FieldNode) => void): void {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) visit(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) eachField([selection.selectionSet], fragments, visit);
      else {
        // Validation rejects unknown and cyclic fragments before execution.
        const fragment = fragments[selection.name.value];
        if (fragment) eachField([fragment.selectionSet], fragments, visit);
      }
    }
  }
}
