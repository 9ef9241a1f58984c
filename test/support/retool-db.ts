// A stand-in for Retool's own Postgres: its camelCase `users` table on a
// fresh PGlite (pglite project) or a fresh, uniquely named database on the
// real server (postgres project).
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import type { Queryable } from '../../src/backends/retool-db.ts';
import { databaseUrl, withAdminClient } from './postgres.ts';

export interface RetoolDbHarness {
  db: Queryable;
  close(): Promise<void>;
}

// The columns Retool's schema has, camelCase and all, including one a least-privilege reader is not granted.
const SCHEMA = `
  CREATE TABLE organizations (id int8 PRIMARY KEY, name text NOT NULL);
  CREATE TABLE users (
    id int8 PRIMARY KEY, sid text NOT NULL, email text NOT NULL,
    "firstName" text, "lastName" text, "userName" text, "profilePhotoUrl" text,
    enabled bool NOT NULL DEFAULT true, "lastLoggedIn" timestamptz,
    "organizationId" int8 REFERENCES organizations(id)
  );
  CREATE TABLE groups (id int8 PRIMARY KEY, name text NOT NULL, "organizationId" int8 REFERENCES organizations(id));
  CREATE TABLE user_groups (id serial PRIMARY KEY, "userId" int8 NOT NULL, "groupId" int8 NOT NULL, "isAdmin" bool NOT NULL DEFAULT false);
  INSERT INTO organizations VALUES (1, 'one'), (2, 'two');
  INSERT INTO groups VALUES (1, 'admin', 1), (2, 'editor', 1);
`;

/** `rolesToDrop`: cluster-wide roles a test creates, dropped with the database. */
export async function openRetoolDbHarness(rolesToDrop: string[] = []): Promise<RetoolDbHarness> {
  let harness: RetoolDbHarness;
  if (inject('storeKind') === 'postgres') {
    const name = `ig_retool_db_${randomBytes(6).toString('hex')}`;
    await withAdminClient((c) => c.query(`create database "${name}"`));
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    harness = {
      db: client,
      async close() {
        await client.end();
        await withAdminClient(async (c) => {
          await c.query(`drop database if exists "${name}" with (force)`);
          for (const role of rolesToDrop) await c.query(`drop role if exists "${role}"`);
        });
      },
    };
  } else {
    const db = await PGlite.create('memory://');
    harness = { db, close: () => db.close() };
  }
  for (const statement of SCHEMA.split(';').filter((s) => s.trim() !== '')) await harness.db.query(statement);
  return harness;
}

export const retoolSid = (id: number | bigint) => `user_${String(id).padStart(32, '0')}`;
