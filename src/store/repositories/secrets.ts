import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { newRowId, secrets } from '../schema.ts';
import { selectRows, tableReader } from '../selected-rows.ts';
import { columnPlaceholder, statementTemplates, together } from '../statement-template.ts';
import type { SecretBox } from '../secret-box.ts';

export interface SecretOwner {
  ownerType: string;
  ownerId: string;
  purpose: string;
}

const ownedBy = (owner: SecretOwner) => and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)) as SQL;
const anyOf = (owners: readonly SecretOwner[]) => sql.join(owners.map((owner) => sql`(${ownedBy(owner)})`), sql` or `);

const contextOf = (owner: SecretOwner) => `${owner.ownerType}:${owner.ownerId}:${owner.purpose}`;

// The two upserts, built once each (docs/performance.md, change 34).
const writeStatements = statementTemplates<Record<string, unknown>>();
const readSecret = tableReader(secrets);
const sealedRowPlaceholders = {
  id: sql.placeholder('id'),
  ownerType: sql.placeholder('ownerType'),
  ownerId: sql.placeholder('ownerId'),
  purpose: sql.placeholder('purpose'),
  keyId: sql.placeholder('keyId'),
  nonce: sql.placeholder('nonce'),
  ciphertext: sql.placeholder('ciphertext'),
};

/** Secrets are written and read only through here, so plaintext never sits in a row. */
export function secretsRepository(box: SecretBox) {
  /** The row's values for `sealedRowPlaceholders`: `plaintext` sealed for its owner. */
  const sealedRow = (owner: SecretOwner, plaintext: string) => ({ id: newRowId(), ...owner, ...box.seal(plaintext, contextOf(owner)) });
  /** `put`'s statement, not run: to land in one statement with another write (`together`). */
  const putStatement = (db: Executor, owner: SecretOwner, plaintext: string): SQL => {
    const statement = writeStatements('put', () =>
      db
        .insert(secrets)
        .values(sealedRowPlaceholders)
        .onConflictDoUpdate({
          target: [secrets.ownerType, secrets.ownerId, secrets.purpose],
          // A new value is a new secret: not revealed yet.
          set: {
            keyId: sql`excluded.key_id`,
            nonce: sql`excluded.nonce`,
            ciphertext: sql`excluded.ciphertext`,
            revealedAt: null,
            updatedAt: columnPlaceholder('now', secrets.updatedAt),
          },
        }),
    );
    return statement({ ...sealedRow(owner, plaintext), now: new Date() });
  };
  return {
    /** Seal and store (replacing any earlier secret of the same owner and purpose). */
    async put(db: Executor, owner: SecretOwner, plaintext: string): Promise<void> {
      await db.execute(putStatement(db, owner, plaintext));
    },

    putStatement,

    /**
     * The secret already held for `owner`, or else `plaintext`, sealed and
     * stored now: one round trip either way (the no-op update makes the
     * conflicting row come back).
     */
    async putIfAbsent(db: Executor, owner: SecretOwner, plaintext: string): Promise<string> {
      const statement = writeStatements('putIfAbsent', () =>
        db
          .insert(secrets)
          .values(sealedRowPlaceholders)
          .onConflictDoUpdate({ target: [secrets.ownerType, secrets.ownerId, secrets.purpose], set: { ownerType: sql`excluded.owner_type` } })
          .returning(),
      );
      const [row] = await selectRows(db, statement(sealedRow(owner, plaintext)), readSecret);
      if (!row) throw new Error('sealing a secret returned no row');
      return box.open(row, contextOf(owner));
    },

    /**
     * After a payload showed secrets: `removed` are deleted, `revealed` are
     * marked shown (no pickup returns them again), in one statement.
     */
    async settleShown(db: Executor, removed: readonly SecretOwner[], revealed: readonly SecretOwner[]): Promise<void> {
      if (removed.length === 0 && revealed.length === 0) return;
      const deletion = removed.length > 0 ? db.delete(secrets).where(anyOf(removed)) : undefined;
      const marking = revealed.length > 0 ? db.update(secrets).set({ revealedAt: new Date() }).where(anyOf(revealed)) : undefined;
      if (deletion && marking) await db.execute(together([deletion.getSQL()], marking.getSQL()));
      else if (deletion) await deletion;
      else if (marking) await marking;
    },

    async get(db: Executor, owner: SecretOwner): Promise<string | undefined> {
      const [row] = await db
        .select()
        .from(secrets)
        .where(and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)));
      return row ? box.open(row, contextOf(owner)) : undefined;
    },

    /** Mark secrets as shown: no pickup returns them again. */
    async markRevealed(db: Executor, owners: readonly SecretOwner[]): Promise<void> {
      for (const owner of owners) {
        await db
          .update(secrets)
          .set({ revealedAt: new Date() })
          .where(and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)));
      }
    },

    /** Secrets of these owners not shown yet: which ones, never their values. */
    async unrevealed(db: Executor, ownerType: string, ownerIds: readonly string[]): Promise<SecretOwner[]> {
      if (ownerIds.length === 0) return [];
      return db
        .select({ ownerType: secrets.ownerType, ownerId: secrets.ownerId, purpose: secrets.purpose })
        .from(secrets)
        .where(and(eq(secrets.ownerType, ownerType), inArray(secrets.ownerId, [...ownerIds]), isNull(secrets.revealedAt)));
    },

    /**
     * The one pickup: marks the owners' unrevealed secrets revealed and
     * answers them opened. Atomic per row, so of two concurrent pickups only
     * one gets each secret.
     */
    async takeUnrevealed(db: Executor, ownerType: string, ownerIds: readonly string[]): Promise<Array<SecretOwner & { value: string }>> {
      if (ownerIds.length === 0) return [];
      const rows = await db
        .update(secrets)
        .set({ revealedAt: new Date() })
        .where(and(eq(secrets.ownerType, ownerType), inArray(secrets.ownerId, [...ownerIds]), isNull(secrets.revealedAt)))
        .returning();
      return rows.map((row) => {
        const owner = { ownerType: row.ownerType, ownerId: row.ownerId, purpose: row.purpose };
        return { ...owner, value: box.open(row, contextOf(owner)) };
      });
    },

    async remove(db: Executor, owner: SecretOwner): Promise<void> {
      await db
        .delete(secrets)
        .where(and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)));
    },
  };
}

export type SecretsRepository = ReturnType<typeof secretsRepository>;
