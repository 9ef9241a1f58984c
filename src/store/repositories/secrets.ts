import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { secrets } from '../schema.ts';
import type { SecretBox } from '../secret-box.ts';

export interface SecretOwner {
  ownerType: string;
  ownerId: string;
  purpose: string;
}

const contextOf = (owner: SecretOwner) => `${owner.ownerType}:${owner.ownerId}:${owner.purpose}`;

/** Secrets are written and read only through here, so plaintext never sits in a row. */
export function secretsRepository(box: SecretBox) {
  return {
    /** Seal and store (replacing any earlier secret of the same owner and purpose). */
    async put(db: Executor, owner: SecretOwner, plaintext: string): Promise<void> {
      const sealed = box.seal(plaintext, contextOf(owner));
      await db
        .insert(secrets)
        .values({ ...owner, ...sealed })
        .onConflictDoUpdate({
          target: [secrets.ownerType, secrets.ownerId, secrets.purpose],
          // A new value is a new secret: not revealed yet.
          set: { ...sealed, revealedAt: null, updatedAt: new Date() },
        });
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
