// Retention: stories whose newest item is older than the cut go, with their items, a batch of stories
// per transaction, so the story lock is never held for long (issue 12: one transaction pruning a day at
// a million items held it for hours, through an OR that scanned the items for every deleted row).
import type { Db, Tx } from './db/db.js';
import * as L from './storyline-queries.js';
import * as Q from './story-queries.js';
import { applyTopicCounts } from './story-topics.js';

/** Stories deleted per transaction: a day at a million items is about 8,000 stories. */
export const PRUNE_BATCH = 1000;

export const SELECT_PRUNABLE_STORIES =
  'SELECT id FROM stories WHERE last_seen_at < $1 ORDER BY last_seen_at, id LIMIT $2';
// The live stories' topic rows about to go: their topics count one story less each.
export const COUNT_PRUNED_TOPICS = `
SELECT st.topic_id, -count(*)::int AS by FROM story_topics st JOIN stories s ON s.id = st.story_id
WHERE s.id = ANY($1::bigint[]) AND s.merged_into IS NULL GROUP BY st.topic_id`;
export const PRUNE_STORY_ITEMS = 'DELETE FROM items WHERE story_id = ANY($1::bigint[])';
export const PRUNE_STORIES =
  'DELETE FROM stories s WHERE s.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id)';
// Items a story never took (left by a crash, or stored while the writer was away), oldest first.
export const PRUNE_UNASSIGNED = `
DELETE FROM items WHERE id IN (SELECT id FROM items WHERE story_id IS NULL AND published_at < $1 ORDER BY id LIMIT $2)`;
// Topics no story carries any more; the maintained count finds the candidates without a scan of story_topics.
export const PRUNE_TOPICS =
  'DELETE FROM topics t WHERE t.story_count = 0 AND NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.topic_id = t.id)';

export interface PruneOptions {
  olderThan: Date;
  batchSize?: number;
  /** After each transaction: what it deleted and how long it held the story lock. */
  onBatch?: (batch: { items: number; stories: number; ms: number }) => void;
}

async function underLock<T>(
  db: Db,
  options: PruneOptions,
  fn: (tx: Tx) => Promise<T & { items: number; stories: number }>,
): Promise<T & { items: number; stories: number }> {
  const started = performance.now();
  const result = await db.transaction(async (tx) => {
    await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
    return fn(tx);
  });
  options.onBatch?.({ items: result.items, stories: result.stories, ms: performance.now() - started });
  return result;
}

/** One batch of the oldest prunable stories and their items; `more` is false once none is left. */
function pruneStoryBatch(db: Db, options: PruneOptions, limit: number) {
  return underLock(db, options, async (tx) => {
    const ids = (await tx.query<{ id: number }>(SELECT_PRUNABLE_STORIES, [options.olderThan, limit])).rows.map(
      (r) => r.id,
    );
    if (ids.length === 0) return { items: 0, stories: 0, more: false };
    const topics = (await tx.query<{ topic_id: number; by: number }>(COUNT_PRUNED_TOPICS, [ids])).rows;
    await applyTopicCounts(tx, new Map(topics.map((t) => [t.topic_id, t.by])));
    const lines = (await tx.query<{ id: number }>(L.SELECT_STORYLINES_OF, [ids])).rows.map((r) => r.id);
    const items = await tx.query(PRUNE_STORY_ITEMS, [ids]);
    const stories = await tx.query(PRUNE_STORIES, [ids]);
    // A storyline that lost old stories keeps counting only what is left (its title stays).
    if (lines.length) await tx.query(L.REFRESH_STORYLINES, [lines, lines.map(() => null), new Date()]);
    return { items: items.rowCount, stories: stories.rowCount, more: ids.length === limit };
  });
}

/** Deletes stories whose newest item is older than the cut, with their items, and topics left without stories. */
export async function pruneOld(db: Db, options: PruneOptions): Promise<{ items: number; stories: number }> {
  const limit = options.batchSize ?? PRUNE_BATCH;
  const total = { items: 0, stories: 0 };
  for (let more = true; more;) {
    const batch = await pruneStoryBatch(db, options, limit);
    total.items += batch.items;
    total.stories += batch.stories;
    more = batch.more;
  }
  for (let more = true; more;) {
    const batch = await underLock(db, options, async (tx) => {
      const items = (await tx.query(PRUNE_UNASSIGNED, [options.olderThan, limit])).rowCount;
      return { items, stories: 0, more: items === limit };
    });
    total.items += batch.items;
    more = batch.more;
  }
  await underLock(db, options, async (tx) => {
    await tx.query(PRUNE_TOPICS);
    await tx.query(L.PRUNE_STORYLINES, [options.olderThan]);
    return { items: 0, stories: 0 };
  });
  return total;
}
