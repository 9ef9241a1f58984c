// The gateway plugin fails closed: a type rule it did not capture, or did not
// wire to a field returning the type, stops the schema from building, so the
// gateway refuses to start rather than serve the type to anyone.
import SchemaBuilder, { BasePlugin, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { execute, type GraphQLObjectType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/context.ts';
import GatewayPlugin, { GatewayPlugin as GatewayPluginClass, typeRuleOf } from '../../src/schema/gateway-plugin.ts';
import { schema } from '../../src/schema/index.ts';
import { startTestGateway } from '../support/gateway.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

/** Moves every type's `authScopes` to another key before the gateway plugin looks: as if an upgrade had moved it. */
class MovesTypeRules<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    const { authScopes, ...rest } = typeConfig.pothosOptions as { authScopes?: unknown };
    return authScopes === undefined ? typeConfig : ({ ...typeConfig, pothosOptions: { ...rest, authRules: authScopes } } as unknown as PothosTypeConfig);
  }
}

/** The gateway plugin with its guards left off every field: as if wiring had missed them. */
class WiresNoGuards<Types extends SchemaTypes> extends GatewayPluginClass<Types> {
  protected override typeRuleGuardFor(): undefined {
    return undefined;
  }
}

SchemaBuilder.registerPlugin('movesTypeRules' as never, MovesTypeRules as never);
SchemaBuilder.registerPlugin('wiresNoGuards' as never, WiresNoGuards as never);

interface Secret {
  id: string;
  owner: string;
}

/** A small schema: a type only admins may read, returned alone, in a list and in a union. */
function smallSchema(plugins: string[]) {
  const builder = new SchemaBuilder<{ Context: GatewayContext; AuthScopes: { admin: boolean } }>({
    // The plugins after the gateway's run their onTypeConfig before it.
    plugins: plugins as never,
    scopeAuth: { authScopes: (context) => ({ admin: context.caller.scopes.has('admin') }) },
  });
  const SecretRef = builder.objectRef<Secret>('Secret').implement({
    authScopes: { admin: true },
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'owner' in value,
    fields: (t) => ({ id: t.exposeString('id'), owner: t.exposeString('owner') }),
  });
  const Note = builder.objectRef<{ text: string }>('Note').implement({
    authScopes: () => true,
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'text' in value,
    fields: (t) => ({ text: t.exposeString('text') }),
  });
  const Anything = builder.unionType('Anything', { types: [SecretRef, Note] });
  const secret: Secret = { id: 's1', owner: 'ada' };
  builder.queryType({
    fields: (t) => ({
      secret: t.field({ type: SecretRef, nullable: true, resolve: () => secret }),
      secrets: t.field({ type: [SecretRef], nullable: { list: false, items: true }, resolve: () => [secret, secret] }),
      anything: t.field({ type: [Anything], nullable: { list: false, items: true }, resolve: () => [{ text: 'hello' }, secret] }),
    }),
  });
  return builder.toSchema();
}

const callerWith = (scopes: string[]) => ({ caller: { scopes: new Set(scopes) } }) as unknown as GatewayContext;

describe('the gateway plugin fails closed', () => {
  it('builds a schema whose type rules hold on every field returning the type', async () => {
    const built = smallSchema([GatewayPlugin, ScopeAuthPlugin]);
    const document = parse('{ secret { owner } secrets { owner } anything { __typename ... on Note { text } ... on Secret { owner } } }');
    const denied = await execute({ schema: built, document, contextValue: callerWith([]) });
    expect(denied.data).toEqual({ secret: null, secrets: [null, null], anything: [{ __typename: 'Note', text: 'hello' }, null] });
    expect(denied.errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual([
      ['secret', 'FORBIDDEN'],
      ['secrets.0', 'FORBIDDEN'],
      ['secrets.1', 'FORBIDDEN'],
      ['anything.1', 'FORBIDDEN'],
    ]);
    const allowed = await execute({ schema: built, document, contextValue: callerWith(['admin']) });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toMatchObject({ secret: { owner: 'ada' }, secrets: [{ owner: 'ada' }, { owner: 'ada' }] });
  });

  it('refuses to build when a type rule was not captured (its option moved)', () => {
    expect(() => smallSchema([GatewayPlugin, 'movesTypeRules', ScopeAuthPlugin])).toThrow(/type rules not captured for .*Secret/);
  });

  it('refuses to build when a field returning a rule-carrying type was not wired to the rule', () => {
    expect(() => smallSchema(['wiresNoGuards', ScopeAuthPlugin])).toThrow(/type rules not wired to .*Query\.secret\b.*Query\.secrets\b/);
  });

  it('refuses a rule on an interface or union, which it would not enforce per object', () => {
    const builder = new SchemaBuilder<{ Context: GatewayContext; AuthScopes: { admin: boolean } }>({
      plugins: [GatewayPlugin, ScopeAuthPlugin],
      scopeAuth: { authScopes: () => ({ admin: false }) },
    });
    builder.interfaceRef<{ id: string }>('Thing').implement({ authScopes: { admin: true }, fields: (t) => ({ id: t.exposeString('id') }) });
    builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
    expect(() => builder.toSchema()).toThrow(/Thing: put the rule/);
  });
});

const testStore = useTestStore();

describe('the real schema', () => {

  it('enforces a rule for every object type that is not a connection, edge, page info or root', () => {
    const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));
    const structural = (name: string) => ['Query', 'Mutation', 'PageInfo'].includes(name) || name.endsWith('Connection') || name.endsWith('ConnectionEdge');
    const ruled = objectTypes.filter((type) => typeRuleOf(type) !== undefined).map((type) => type.name);
    expect(ruled.length).toBeGreaterThan(20);
    expect(objectTypes.filter((type) => !structural(type.name) && typeRuleOf(type) === undefined).map((type) => type.name)).toEqual([]);
    // scope-auth no longer holds them: the plugin is the one place they are enforced.
    for (const type of objectTypes) expect((type.extensions.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes, type.name).toBeUndefined();
  });

  it('answers a denied object through a field with the typed FORBIDDEN error', async () => {
    const { store } = testStore();
    const api = startTestGateway(store);
    const id = encodeGlobalID('User', (await seed(store).user()).id);
    // Separate requests: one asking both trips a branding race in the relay plugin (test/api/auth.test.ts).
    const one = await api.graphql(parse('query($id: ID!) { node(id: $id) { id } }'), { id }, { token: null });
    expect(one.data).toEqual({ node: null });
    expect(one.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['node', 'FORBIDDEN']]);
    const many = await api.graphql(parse('query($id: ID!) { nodes(ids: [$id]) { id } }'), { id }, { token: null });
    expect(many.data).toEqual({ nodes: [null] });
    expect(many.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['nodes.0', 'FORBIDDEN']]);
    await api.close();
  });
});
