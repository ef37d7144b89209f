// What the story writer read of each item it assigned (sql/014_assign_item_features.sql), so that a
// fresh process restores the active window's index from stored terms, names and mentions instead of
// reading every active item's text again (issue 12: that re-reading was a fresh worker's whole catch-up).
import type { StoryIndex } from '../stories/story-index.js';
import type { Member } from '../stories/story-state.js';
import type { Tx } from './db/db.js';

// One statement per batch: the rows as one JSON document (cheaper to send than an array of JSON texts,
// each escaped again as an array element). An item assigned again (recluster clears the table first; a
// rolled-back batch never wrote) keeps the newer row.
export const UPSERT_ITEM_FEATURES = `
INSERT INTO item_features (item_id, published_at, features)
SELECT (e->>'id')::bigint, (e->>'at')::timestamptz, e->'f' FROM json_array_elements($1::json) e
ON CONFLICT (item_id) DO UPDATE SET published_at = excluded.published_at, features = excluded.features`;

// Rows of items published before the active window are never read again (item_features_published_idx).
export const DELETE_FEATURES_BEFORE = 'DELETE FROM item_features WHERE published_at < $1';

/** An item the batch assigned: its id, the story it went to then, and when it was published. */
export interface AssignedItem {
  itemId: number;
  storyId: number;
  published: Date;
}

// The batch's members, found through the stories they are in now (a merge may have moved them).
function batchMembers(index: StoryIndex, items: readonly AssignedItem[]): Map<string, Member> {
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
export async function writeItemFeatures(
  tx: Tx,
  index: StoryIndex,
  items: readonly AssignedItem[],
  windowStart: Date,
): Promise<void> {
  const members = batchMembers(index, items);
  const rows = items.flatMap((i) => {
    const m = members.get(String(i.itemId));
    return m ? [{ id: i.itemId, at: i.published, f: index.storedFeatures(m) }] : [];
  });
  if (rows.length) await tx.query(UPSERT_ITEM_FEATURES, [JSON.stringify(rows)]);
  await tx.query(DELETE_FEATURES_BEFORE, [windowStart]);
}
