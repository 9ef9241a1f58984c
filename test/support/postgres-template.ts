// Global setup for the Postgres project: migrate one template database per
// run; each test file then copies it (CREATE DATABASE … TEMPLATE), which is
// much faster than migrating per file. Dropped at the end of the run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { storeFromPool } from '../../src/store/client.ts';
import { databaseUrl, withAdminClient } from './postgres.ts';

export default async function setup(project: TestProject) {
  const name = `ig_tmpl_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database "${name}"`));
  const store = storeFromPool(new pg.Pool({ connectionString: databaseUrl(name), max: 1 }));
  await store.migrate();
  await store.close();
  project.provide('templateDatabase', name);
  return async () => {
    await withAdminClient((c) => c.query(`drop database if exists "${name}" with (force)`));
  };
}
