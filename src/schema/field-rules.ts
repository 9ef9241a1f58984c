// A mutation field's own authorization rule (its `authScopes`, which
// scope-auth checks when the field runs, as the gateway plugin captured it),
// evaluated before execution: the idempotency plugin answers a stored reply only to a caller who may run the mutation
// now, with the same rule and the same arguments.
import { isThenable } from '@pothos/core';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getVariableValues,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../context.ts';
import { builder } from './builder.ts';
import { type FieldRule, mutationRuleOf } from './gateway-plugin.ts';

/** Thrown by runAuthScopes on a denial; anything else is a real failure. */
class Denied extends Error {}

// A mutation without a rule the gateway plugin captured is denied: the
// plugin refuses to build such a schema, so this only guards a mistake.
async function allows(rule: FieldRule | undefined, args: Record<string, unknown>, context: GatewayContext, info: GraphQLResolveInfo): Promise<boolean> {
  if (rule === undefined) return false;
  const pending = typeof rule === 'function' ? rule(undefined, args, context, info) : rule;
  const verdict = isThenable(pending) ? await pending : pending;
  if (typeof verdict === 'boolean') return verdict;
  try {
    await builder.runAuthScopes(context, verdict as never, () => new Denied());
    return true;
  } catch (error) {
    if (error instanceof Denied) return false;
    throw error;
  }
}

/**
 * The names of the mutation fields among `fields` whose rule denies the
 * caller now; every field when the variables do not coerce (execution will
 * refuse the request anyway). Arguments are coerced as execution coerces
 * them; the rules here read only their arguments and the context.
 */
export async function deniedMutationFields(
  schema: GraphQLSchema,
  context: GatewayContext,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  fields: readonly FieldNode[],
  rawVariables: Record<string, unknown> | null | undefined,
): Promise<string[]> {
  const mutation = schema.getMutationType();
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (!mutation || variables.errors) return fields.map((field) => field.name.value);
  const byName = Object.fromEntries(fragments.map((fragment) => [fragment.name.value, fragment]));
  const denied: string[] = [];
  for (const node of fields) {
    const name = node.name.value;
    const field = mutation.getFields()[name];
    if (!field) {
      denied.push(name);
      continue;
    }
    const info: GraphQLResolveInfo = {
      fieldName: name,
      fieldNodes: [node],
      returnType: field.type,
      parentType: mutation,
      path: { prev: undefined, key: node.alias?.value ?? name, typename: mutation.name },
      schema,
      fragments: byName,
      rootValue: undefined,
      operation,
      variableValues: variables.coerced,
    };
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables.coerced);
    } catch {
      denied.push(name);
      continue;
    }
    if (!(await allows(mutationRuleOf(field), args, context, info))) denied.push(name);
  }
  return denied;
}

export const isFragment = (definition: { kind: Kind }): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION;
