// What the story writer stores of each item a batch assigned (see store/item-features.ts): the features
// the index read of it, so a fresh process restores the active window without reading its text again.
import type { Tx } from '../../store/db/db.js';
import { deleteItemFeaturesBefore, writeItemFeatures } from '../../store/item-features.js';
import type { StoryAssigner } from '../../stories/group/assign.js';
import type { Member } from '../../stories/structures/story-state.js';

/** An item the batch assigned: its id, the story it went to then, and when it was published. */
export interface AssignedItem {
  itemId: number;
  storyId: number;
  published: Date;
}

// The batch's members, found through the stories they are in now (a merge may have moved them).
function batchMembers(index: StoryAssigner, items: readonly AssignedItem[]): Map<string, Member> {
  const keys = new Set(items.map((i) => String(i.itemId)));
  const found = new Map<string, Member>();
  for (const storyId of new Set(items.map((i) => index.resolve(i.storyId)))) {
    for (const m of index.story(storyId)?.members ?? []) if (keys.has(m.key)) found.set(m.key, m);
  }
  return found;
}

/**
 * Stores the features of the batch's items still in the index (after its topics were written, so the
 * mentions they read are stored too), and drops the rows the active window has left behind.
 */
export async function storeBatchFeatures(
  tx: Tx,
  index: StoryAssigner,
  items: readonly AssignedItem[],
  windowStart: Date,
): Promise<void> {
  const members = batchMembers(index, items);
  const rows = items.flatMap((i) => {
    const m = members.get(String(i.itemId));
    return m ? [{ itemId: i.itemId, published: i.published, features: index.storedFeatures(m) }] : [];
  });
  await writeItemFeatures(tx, rows);
  await deleteItemFeaturesBefore(tx, windowStart);
}
