import { describe, expect, it } from 'vitest';
import { resourcePoolsRepository } from '../../src/store/repositories/resource-pools.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

describe('the pools a page of users views', () => {
  it('come once each, in creation order, with the positions of their viewers among the keys', async () => {
    const { store } = testStore();
    const [ada, bob, cyd] = await seed(store).users(3);
    const first = await seed(store).pool();
    const second = await seed(store).pool();
    await seed(store).viewer(first.id, bob!.id);
    await seed(store).viewer(second.id, ada!.id);
    await seed(store).viewer(second.id, cyd!.id);

    // A key that is no uuid keeps its place and matches nothing.
    const viewed = await resourcePoolsRepository.viewedBy(store.db, [ada!.id, 'not-a-uuid', bob!.id, cyd!.id], ['id', 'name']);

    expect(viewed.map(({ pool, viewerPositions }) => ({ pool, positions: [...viewerPositions].sort((a, b) => a - b) }))).toEqual([
      { pool: { id: first.id, name: first.name }, positions: [2] },
      { pool: { id: second.id, name: second.name }, positions: [0, 3] },
    ]);
  });

  it('are none for keys that are no uuids', async () => {
    expect(await resourcePoolsRepository.viewedBy(testStore().store.db, ['x', 'y'])).toEqual([]);
  });
});
