// The operations GraphiQL opens with are valid against the schema, so a
// schema change that breaks one fails here rather than on a newcomer's screen;
// and the page itself names no outside address to load.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { exampleTabs, graphiqlOptions, renderOfflineGraphiQL } from '../../src/graphiql.ts';
import { schema } from '../../src/schema/index.ts';

describe('GraphiQL examples', () => {
  it.each(exampleTabs(['RETOOL', 'FORGE']))('the $name tab is valid, every operation named', ({ query }) => {
    const document = parse(query);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    for (const definition of document.definitions) {
      expect(definition.kind === 'OperationDefinition' && definition.name?.value).toBeTruthy();
    }
  });

  it('covers users, provisioning, database users and services, pools and OAuth2', () => {
    expect(exampleTabs([]).map((tab) => tab.name)).toEqual(['users', 'provisioning', 'database users', 'pools and OAuth2']);
  });

  it('puts a bearer placeholder in the headers only when authentication is on', () => {
    const dev = graphiqlOptions(loadConfig({}));
    expect(dev.defaultTabs?.[0]?.headers).toBe('{}');
    expect(dev.title).toBe('Identity Gateway');
    const authenticated = graphiqlOptions(loadConfig({ GATEWAY_ADMIN_TOKEN: 'a-long-enough-admin-token' }));
    expect(JSON.parse(authenticated.defaultTabs?.[0]?.headers ?? '{}')).toEqual({ Authorization: 'Bearer <token>' });
    expect(authenticated.shouldPersistHeaders).toBe(false);
  });

  it('renders a page that loads no script, style or icon from another host', async () => {
    const page = await renderOfflineGraphiQL(graphiqlOptions(loadConfig({})));
    expect(page).toContain('<title>Identity Gateway</title>');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(page).not.toContain('unpkg.com');
  });
});
