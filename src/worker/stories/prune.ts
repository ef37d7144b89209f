// Retention: stories whose newest item is older than the cut go, with their items, a batch of stories
// per transaction, so the story lock is never held for long (issue 12: one transaction pruning a day at
// a million items held it for hours, through an OR that scanned the items for every deleted row).
import type { Db, Tx } from '../../store/db/db.js';
import { lockStories } from '../../store/stories.js';
import {
  countPrunedTopics,
  deleteStories,
  deleteStoryItems,
  deleteUnassignedItems,
  readPrunableStories,
} from '../../store/story-prune.js';
import { deleteOrphanTopics, moveTopicCounts } from '../../store/story-topics.js';
import { deleteEmptyStorylines, readStorylinesOf, refreshStorylines } from '../../store/storylines.js';

/** Stories deleted per transaction: a day at a million items is about 8,000 stories. */
export const PRUNE_BATCH = 1000;

/** The cut (stories quiet since before it go), stories per transaction, and a report after each. */
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
    await lockStories(tx);
    return fn(tx);
  });
  options.onBatch?.({ items: result.items, stories: result.stories, ms: performance.now() - started });
  return result;
}

/** One batch of the oldest prunable stories and their items; `more` is false once none is left. */
function pruneStoryBatch(db: Db, options: PruneOptions, limit: number) {
  return underLock(db, options, async (tx) => {
    const ids = await readPrunableStories(tx, options.olderThan, limit);
    if (ids.length === 0) return { items: 0, stories: 0, more: false };
    await moveTopicCounts(tx, await countPrunedTopics(tx, ids));
    const lines = await readStorylinesOf(tx, ids);
    const items = await deleteStoryItems(tx, ids);
    const stories = await deleteStories(tx, ids);
    // A storyline that lost old stories keeps counting only what is left (its title stays).
    if (lines.length)
      await refreshStorylines(
        tx,
        lines,
        lines.map(() => null),
        new Date(),
      );
    return { items, stories, more: ids.length === limit };
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
      const items = await deleteUnassignedItems(tx, options.olderThan, limit);
      return { items, stories: 0, more: items === limit };
    });
    total.items += batch.items;
    more = batch.more;
  }
  await underLock(db, options, async (tx) => {
    await deleteOrphanTopics(tx);
    await deleteEmptyStorylines(tx, options.olderThan);
    return { items: 0, stories: 0 };
  });
  return total;
}
