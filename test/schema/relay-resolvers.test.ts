// The relay plugin's resolvers as the built schema holds them: ids encoded in
// place, connection plumbing left to property reads, anything else kept.
import SchemaBuilder from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type GraphQLObjectType, type GraphQLResolveInfo, getNamedType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/context.ts';
import { schema } from '../../src/schema/index.ts';
import GatewayPlugin from '../../src/schema/gateway-plugin.ts';

const objectTypes = () => Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));
const nodeTypes = () => objectTypes().filter((type) => type.getInterfaces().some((i) => i.name === 'Node'));
const connectionTypes = () => objectTypes().filter((type) => type.name.endsWith('Connection') && type.getFields().edges && type.getFields().pageInfo);
const noInfo = undefined as unknown as GraphQLResolveInfo;

describe('relay resolvers', () => {
  it('encodes every node id in place, as the relay plugin encodes it', () => {
    expect(nodeTypes().length).toBeGreaterThan(5);
    for (const type of nodeTypes()) {
      const id = type.getFields().id?.resolve?.({ id: '0190c5d2-7b7e-7cc3-8f36-6c2a1d9e0b11', slug: '0190c5d2-7b7e-7cc3-8f36-6c2a1d9e0b11' }, {}, {}, noInfo);
      expect(typeof id, type.name).toBe('string');
      expect(id, type.name).toBe(encodeGlobalID(type.name, '0190c5d2-7b7e-7cc3-8f36-6c2a1d9e0b11'));
    }
  });

  it('leaves edges, pageInfo and node of every connection to property reads', () => {
    expect(connectionTypes().length).toBeGreaterThan(5);
    for (const connection of connectionTypes()) {
      const edge = getNamedType(connection.getFields().edges?.type);
      expect(isObjectType(edge), connection.name).toBe(true);
      expect(connection.getFields().edges?.resolve, `${connection.name}.edges`).toBeUndefined();
      expect(connection.getFields().pageInfo?.resolve, `${connection.name}.pageInfo`).toBeUndefined();
      if (isObjectType(edge)) expect(edge.getFields().node?.resolve, `${edge.name}.node`).toBeUndefined();
    }
  });

  it('keeps a connection resolver that does more than read its own property', () => {
    // A schema of its own, built through the gateway plugin alone.
    const small = new SchemaBuilder<{ Context: GatewayContext }>({ plugins: [GatewayPlugin], scopeAuth: { authScopes: () => ({}) } });
    const checked = (source: { edges?: unknown }) => {
      if (!source.edges) throw new Error('denied');
      return [];
    };
    const pageInfo = small.objectRef<{ endCursor?: string }>('PageInfo').implement({ fields: (t) => ({ endCursor: t.exposeString('endCursor', { nullable: true }) }) });
    const edge = small.objectRef<{ cursor: string; node: string }>('ThingEdge').implement({ fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.exposeString('node') }) });
    const connection = small.objectRef<{ edges?: unknown; pageInfo?: { endCursor?: string } }>('ThingConnection').implement({
      fields: (t) => ({
        edges: t.field({ type: [edge], resolve: checked as never }),
        pageInfo: t.field({ type: pageInfo, nullable: true, resolve: (source) => source.pageInfo }),
      }),
    });
    small.queryType({ fields: (t) => ({ things: t.field({ type: connection, nullable: true, resolve: () => null }) }) });
    const built = small.toSchema();
    const fields = (built.getType('ThingConnection') as GraphQLObjectType).getFields();
    expect(fields.edges?.resolve).toBe(checked);
    expect(fields.pageInfo?.resolve).toBeUndefined();
    expect((built.getType('ThingEdge') as GraphQLObjectType).getFields().node?.resolve).toBeUndefined();
  });
});
