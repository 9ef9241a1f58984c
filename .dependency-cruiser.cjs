// The gateway's layers (docs/architecture.md, "Layers"), checked by
// `npm run lint:layers`: a module imports only its own layer or a lower one,
// and no import cycle exists anywhere in src/. Type-only imports count too: a
// type that runs up a layer ties the layers together as much as a value does.

/** Bottom to top. `paths` are regular expressions over paths from the repository root. */
const LAYERS = [
  {
    name: 'ground',
    comment: 'errors, shared types, the loopback list, configuration, logging, metrics',
    paths: ['^src/(errors|loopback|backend-call|config|logger|metrics)\\.ts$'],
  },
  { name: 'store-backends', comment: 'Drizzle tables and repositories; backend clients', paths: ['^src/store/', '^src/backends/'] },
  { name: 'domain', comment: 'use-cases; who is calling (auth.ts reads API tokens from the store)', paths: ['^src/domain/', '^src/auth\\.ts$'] },
  { name: 'context', comment: 'the per-request context, its loaders and request-scoped state', paths: ['^src/(context|loaders|request-state)\\.ts$'] },
  { name: 'schema', comment: 'Pothos types and resolvers', paths: ['^src/schema/'] },
  { name: 'http', comment: 'yoga plugins, tracing, the OAuth2 callback route, SCIM, GraphiQL', paths: ['^src/http/', '^src/scim/', '^src/graphiql\\.ts$'] },
  { name: 'top', comment: 'start-up wiring and the process', paths: ['^src/(compose|server|main)\\.ts$'] },
];

const anyOf = (paths) => paths.join('|');

const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name}-imports-up`,
  comment: `${layer.name} (${layer.comment}) may import only its own layer or lower ones`,
  severity: 'error',
  from: { path: anyOf(layer.paths) },
  to: { path: anyOf(LAYERS.slice(index + 1).flatMap((above) => above.paths)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes two modules one: neither can change, load or be tested alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-module-has-a-layer',
      comment: 'A new file under src/ must be placed in LAYERS (.dependency-cruiser.cjs) before it can be checked.',
      severity: 'error',
      from: { path: '^src/', pathNot: anyOf(LAYERS.flatMap((layer) => layer.paths)) },
      to: {},
    },
    ...upward,
    {
      name: 'store-and-backends-are-siblings',
      comment: 'The store and the backend clients never import each other; the domain joins them.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/backends/' },
    },
    {
      name: 'backends-and-store-are-siblings',
      comment: 'The store and the backend clients never import each other; the domain joins them.',
      severity: 'error',
      from: { path: '^src/backends/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'database-drivers-below-the-domain',
      comment: 'Only the store and the backend clients talk to a database driver (pg, PGlite).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(store|backends)/' },
      to: { path: '^node_modules/(pg|pg-pool|@electric-sql/pglite)/' },
    },
    {
      name: 'schema-reads-repositories-writes-through-domain',
      comment:
        'The one read rule (docs/architecture.md): queries read repositories, directly or through the loaders; ' +
        'backend calls and every other change go through a domain function, so the schema never reaches a backend client, ' +
        'the store driver, its start-up or the secret box.',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { path: '^src/(backends/|store/(client|startup|pglite-lock|secret-box)\\.ts$)' },
    },
    {
      name: 'no-async-local-storage',
      comment:
        'node:async_hooks (AsyncLocalStorage) turns on promise hooks for the whole process on Node 20: every promise of every ' +
        'request pays for them (docs/performance.md, change 25). Pass per-call state explicitly (backends/budget.ts). ' +
        "Tracing's context manager is OpenTelemetry's own, loaded only when tracing is on.",
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?async_hooks$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
