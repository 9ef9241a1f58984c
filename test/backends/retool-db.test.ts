// Retool's own Postgres, read-only: runs on a fresh PGlite in the pglite
// project and on a fresh, uniquely named database in the postgres project.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetoolDbReader, type Queryable, RETOOL_DB_READER_GRANTS, retoolDbReaderGrants } from '../../src/backends/retool-db.ts';
import { openRetoolDbHarness, type RetoolDbHarness, retoolSid } from '../support/retool-db.ts';

const READER = `ig_retool_reader_${randomBytes(6).toString('hex')}`;

const seeded = [
  { id: 3, org: 1, enabled: true },
  { id: 1, org: 1, enabled: true },
  { id: 5, org: 2, enabled: true },
  { id: 2, org: 1, enabled: false },
  { id: 4, org: 1, enabled: true },
  { id: 9007199254740993n, org: 2, enabled: true },
];
const sidOf = retoolSid;

let harness: RetoolDbHarness;

beforeAll(async () => {
  harness = await openRetoolDbHarness([READER]);
  for (const u of seeded) {
    await harness.db.query(
      `INSERT INTO users (id, sid, email, "firstName", "lastName", "userName", "profilePhotoUrl", enabled, "lastLoggedIn", "organizationId")
       VALUES ($1, $2, $3, 'First', NULL, $4, 'https://photos.invalid/x.png', $5, $6, $7)`,
      [String(u.id), sidOf(u.id), `u${u.id}@example.com`, `u${u.id}`, u.enabled, u.id === 1 ? '2026-01-02T03:04:05Z' : null, u.org],
    );
  }
});

afterAll(async () => {
  await harness?.close();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('reading Retool users from its Postgres', () => {
  it('lists one organization in id order across pages', async () => {
    const queries: string[] = [];
    const counting: Queryable = {
      query: (text, params) => {
        queries.push(text);
        return harness.db.query(text, params);
      },
    };
    const users = await collect(createRetoolDbReader(counting).listUsers({ organizationId: 1, pageSize: 2 }));
    expect(users.map((u) => u.legacyId)).toEqual(['1', '2', '3', '4']);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toContain('WHERE "organizationId" = $1 ORDER BY "id" LIMIT $2 OFFSET $3');
  });

  it('maps the camelCase columns, int8 ids as strings and enabled as the REST active', async () => {
    const users = await collect(createRetoolDbReader(harness.db).listUsers());
    expect(users.map((u) => u.legacyId)).toEqual(['1', '2', '3', '4', '5', '9007199254740993']);
    expect(users[0]).toEqual({
      legacyId: '1',
      sid: sidOf(1),
      email: 'u1@example.com',
      firstName: 'First',
      lastName: null,
      userName: 'u1',
      enabled: true,
      lastLoggedIn: new Date('2026-01-02T03:04:05Z'),
      organizationId: '1',
      isAdmin: false,
    });
    expect(users[1]?.enabled).toBe(false);
  });

  it('tells Retool admins (members of the "admin" group) from everyone else', async () => {
    await harness.db.query(`INSERT INTO user_groups ("userId", "groupId") VALUES (3, 1), (4, 2)`);
    try {
      const users = await collect(createRetoolDbReader(harness.db).listUsers());
      expect(users.filter((u) => u.isAdmin).map((u) => u.legacyId)).toEqual(['3']);
    } finally {
      await harness.db.query('DELETE FROM user_groups');
    }
  });

  it('maps a legacy id to its sid, whatever type the id comes as', async () => {
    const reader = createRetoolDbReader(harness.db);
    expect(await reader.sidForLegacyId(3)).toBe(sidOf(3));
    expect(await reader.sidForLegacyId('5')).toBe(sidOf(5));
    expect(await reader.sidForLegacyId(9007199254740993n)).toBe(sidOf(9007199254740993n));
  });

  it('answers null for an unknown legacy id and refuses one that is not an integer', async () => {
    const reader = createRetoolDbReader(harness.db);
    expect(await reader.sidForLegacyId(404)).toBeNull();
    await expect(reader.sidForLegacyId('1 OR 1=1')).rejects.toThrow('retool database: an id must be an integer');
  });

  it('needs no more than the documented grant, which includes "sid"', async () => {
    expect(RETOOL_DB_READER_GRANTS[0]).toContain('"sid"');
    await harness.db.query(`CREATE ROLE "${READER}" NOLOGIN`);
    for (const grant of retoolDbReaderGrants(READER)) await harness.db.query(grant);
    await harness.db.query(`SET ROLE "${READER}"`);
    try {
      const reader = createRetoolDbReader(harness.db);
      expect(await collect(reader.listUsers({ organizationId: 2 }))).toHaveLength(2);
      expect(await reader.sidForLegacyId(4)).toBe(sidOf(4));
      await expect(harness.db.query('SELECT "profilePhotoUrl" FROM users')).rejects.toThrow(/permission denied/);
    } finally {
      await harness.db.query('RESET ROLE');
    }
  });
});
