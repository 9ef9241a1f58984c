import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server CI points DATABASE_URL at, with the database name swapped. */
export function databaseUrl(database: string): string {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the DATABASE_URL server, for gateways a test starts on it (they migrate it); `drop` removes it. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database "${name}"`));
  return {
    url: databaseUrl(name),
    drop: async () => void (await withAdminClient((c) => c.query(`drop database if exists "${name}" with (force)`))),
  };
}
