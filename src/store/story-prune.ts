// Named queries of retention (src/worker/stories/prune.ts): the oldest stories past the cut, and the
// deletes of their items, of the stories themselves and of items no story ever took.
import type { Tx } from './db/db.js';

export const SELECT_PRUNABLE_STORIES =
  'SELECT id FROM stories WHERE last_seen_at < $1 ORDER BY last_seen_at, id LIMIT $2';

/** The ids of the `limit` stories quiet longest whose newest item is older than the cut. */
export async function readPrunableStories(tx: Tx, olderThan: Date, limit: number): Promise<number[]> {
  return (await tx.query<{ id: number }>(SELECT_PRUNABLE_STORIES, [olderThan, limit])).rows.map((r) => r.id);
}

// The live stories' topic rows about to go: their topics count one story less each.
export const COUNT_PRUNED_TOPICS = `
SELECT st.topic_id, -count(*)::int AS by FROM story_topics st JOIN stories s ON s.id = st.story_id
WHERE s.id = ANY($1::bigint[]) AND s.merged_into IS NULL GROUP BY st.topic_id`;

/** How each topic's story_count moves when the given stories go (topic id → by). */
export async function countPrunedTopics(tx: Tx, storyIds: readonly number[]): Promise<Map<number, number>> {
  const rows = (await tx.query<{ topic_id: number; by: number }>(COUNT_PRUNED_TOPICS, [storyIds])).rows;
  return new Map(rows.map((t) => [t.topic_id, t.by]));
}

export const PRUNE_STORY_ITEMS = 'DELETE FROM items WHERE story_id = ANY($1::bigint[])';

/** Deletes the stories' items; returns how many. */
export async function deleteStoryItems(tx: Tx, storyIds: readonly number[]): Promise<number> {
  return (await tx.query(PRUNE_STORY_ITEMS, [storyIds])).rowCount;
}

export const PRUNE_STORIES =
  'DELETE FROM stories s WHERE s.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id)';

/** Deletes the stories left without items; returns how many. */
export async function deleteStories(tx: Tx, storyIds: readonly number[]): Promise<number> {
  return (await tx.query(PRUNE_STORIES, [storyIds])).rowCount;
}

// Items a story never took (left by a crash, or stored while the writer was away), oldest first.
export const PRUNE_UNASSIGNED = `
DELETE FROM items WHERE id IN (SELECT id FROM items WHERE story_id IS NULL AND published_at < $1 ORDER BY id LIMIT $2)`;

/** Deletes up to `limit` items without a story published before the cut; returns how many. */
export async function deleteUnassignedItems(tx: Tx, olderThan: Date, limit: number): Promise<number> {
  return (await tx.query(PRUNE_UNASSIGNED, [olderThan, limit])).rowCount;
}
