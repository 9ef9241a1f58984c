// Relay global ids in mutation inputs. A malformed id, or one for another
// type, names no row: it is answered as NotFoundError, never a database error.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { NotFoundError } from '../errors.ts';
import { isUuid } from '../store/uuid.ts';

export function decodeId(globalId: string, typename: string, shape: 'uuid' | 'slug' = 'uuid'): string | undefined {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    if (actual !== typename) return undefined;
    if (shape === 'uuid' && !isUuid(id)) return undefined;
    return id;
  } catch {
    return undefined;
  }
}

/** The row id behind a global id, or the NotFoundError a mutation returns. */
export function idOrNotFound(globalId: string, typename: string, shape: 'uuid' | 'slug' = 'uuid'): string {
  const id = decodeId(globalId, typename, shape);
  if (id === undefined) throw new NotFoundError(`no ${typename} with id "${globalId}"`);
  return id;
}
