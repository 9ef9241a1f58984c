import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents (TypedDocumentNode) for every operation written with
// `graphql(...)` in the tests, checked against the committed schema.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  // ESM (NodeNext) imports need explicit extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // The custom scalars as they travel in JSON; README.md ("Clients") gives clients the same map.
        scalars: { EmailAddress: 'string', DateTime: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
