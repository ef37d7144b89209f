// `storyline recluster`: every story rebuilt from the stored items in published order (after an
// algorithm change), keeping the ids of the storylines the rebuild continues.
import type { Db } from '../../store/db/db.js';
import { keepStorylineIds, snapshotStorylines } from '../../store/storyline-ids.js';
import { clearStories, countItems, lockStories } from '../../store/stories.js';
import { assignPendingStories } from './assign.js';
import { dropWriterState } from './writer-state.js';

/** Rebuilds every story from the stored items in published order (after an algorithm change). */
export async function regroupAll(
  db: Db,
  options: { now: Date; onProgress?: (done: number, total: number) => void },
): Promise<{ items: number; stories: number; storylinesKept: number }> {
  const total = await countItems(db);
  await db.transaction(async (tx) => {
    await lockStories(tx);
    await snapshotStorylines(tx);
    await clearStories(tx);
  });
  dropWriterState(db);
  // Replaying history: the clock follows the items' own times (see OnlineGrouping.advance).
  const result = await assignPendingStories(db, {
    now: options.now,
    onProgress: (n) => options.onProgress?.(n, total),
  });
  const lines = await db.transaction(async (tx) => {
    await lockStories(tx);
    return keepStorylineIds(tx);
  });
  // The linker holds the rebuild's own ids: the next batch reads the kept ones back.
  dropWriterState(db);
  return { items: result.assigned, stories: result.created, storylinesKept: lines.kept };
}
