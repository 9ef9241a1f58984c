import { and, eq } from 'drizzle-orm';
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
          set: { ...sealed, updatedAt: new Date() },
        });
    },

    async get(db: Executor, owner: SecretOwner): Promise<string | undefined> {
      const [row] = await db
        .select()
        .from(secrets)
        .where(and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)));
      return row ? box.open(row, contextOf(owner)) : undefined;
    },

    async remove(db: Executor, owner: SecretOwner): Promise<void> {
      await db
        .delete(secrets)
        .where(and(eq(secrets.ownerType, owner.ownerType), eq(secrets.ownerId, owner.ownerId), eq(secrets.purpose, owner.purpose)));
    },
  };
}

export type SecretsRepository = ReturnType<typeof secretsRepository>;
