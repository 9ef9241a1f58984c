declare module 'vitest' {
  export interface ProvidedContext {
    storeKind: 'pglite' | 'postgres';
    /** Postgres project only: a migrated database to copy per test file. */
    templateDatabase: string;
  }
}
export {};
