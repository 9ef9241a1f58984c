import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/store/schema.ts and applied by the
// gateway itself on start (src/store/migrate.ts); drizzle-kit never connects.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
