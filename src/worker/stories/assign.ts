// The story writer: groups every item still without a story, a batch per transaction under the story
// lock (so no item is ever in two stories), after catching up on other processes' work (catch-up.ts).
// Each batch is decided (assign-batch.ts), written (batch-writes.ts), and its stories, topics,
// storylines and stored features refreshed.
import type { Db, Tx } from '../../store/db/db.js';
import { saveStoryClock } from '../../store/story-catch-up.js';
import { moveTopicCounts } from '../../store/story-topics.js';
import { countPendingItems, hasPendingItems, readPendingItems, refreshStoryStats } from '../../store/stories.js';
import { representativeMember } from '../../stories/group/headline.js';
import type { StoryAssigner } from '../../stories/group/assign.js';
import { assignBatch } from './assign-batch.js';
import { emptyWrites, flushDecisions } from './batch-writes.js';
import { withStories } from './catch-up.js';
import { storeBatchFeatures } from './item-features.js';
import { writeStorylines } from './storylines.js';
import { writeTopics, type TopicCountChanges } from './topics.js';
import { windowStartOf, type WriterState } from './writer-state.js';

/**
 * Items read, decided and written per transaction: memory holds one batch's rows and decisions at a
 * time however many are pending (issue 15), and each table gets one statement per batch.
 */
export const ASSIGN_BATCH = 2000;

/** How assignPendingStories runs: the time stories are stamped with, batch size, progress, which items. */
export interface AssignOptions {
  now: Date;
  /** Items per transaction (ASSIGN_BATCH). */
  batchSize?: number;
  /** After each batch: items assigned so far, and of how many (those pending at the start, and any stored since). */
  onProgress?: (assigned: number, total: number) => void;
  /** Only these items (those of them still pending), as a pass hands over what it stored (src/worker/grouping-lane.ts). */
  itemIds?: readonly number[];
}

/** What a run did: items assigned, stories started, stories merged away. */
export interface AssignResult {
  assigned: number;
  created: number;
  merged: number;
}

/** Recomputes counts, times, headline and topics of the given stories. */
async function refreshStories(
  tx: Tx,
  index: StoryAssigner,
  storyIds: number[],
  now: Date,
  topicCounts: TopicCountChanges,
): Promise<void> {
  if (storyIds.length === 0) return moveTopicCounts(tx, topicCounts);
  const reps = storyIds.map((id) => {
    const story = index.story(id);
    return story && story.members.length > 0 ? Number(representativeMember(index, story)) : null;
  });
  await refreshStoryStats(tx, storyIds, reps, now);
  await writeTopics(tx, index, storyIds, topicCounts);
  await moveTopicCounts(tx, topicCounts);
}

async function saveClock(tx: Tx, state: WriterState): Promise<void> {
  const { clock, nextConsolidation } = state.grouping.clock;
  if (!Number.isFinite(clock)) return;
  await saveStoryClock(tx, { clock, nextConsolidation, consolidatedSeq: state.consolidatedSeq });
}

/** One batch: the oldest pending items decided, written and their stories refreshed; null when none is left. */
async function assignNextBatch(db: Db, options: AssignOptions): Promise<AssignResult | null> {
  return withStories(db, async (tx, state) => {
    const rows = await readPendingItems(tx, options.batchSize ?? ASSIGN_BATCH, options.itemIds);
    if (rows.length === 0) return null;
    const writes = emptyWrites();
    await assignBatch(tx, state, rows, options.now, writes);
    await flushDecisions(tx, state, writes, options.now);
    const index = state.grouping.index;
    const touched = [...new Set([...writes.touched].map((id) => index.resolve(id)))].sort((a, b) => a - b);
    await refreshStories(tx, index, touched, options.now, writes.topicCounts);
    const windowStart = windowStartOf(state);
    await writeStorylines(tx, state.lines, touched, options.now, windowStart);
    await storeBatchFeatures(tx, index, writes.assigned, windowStart);
    await saveClock(tx, state);
    return { assigned: rows.length, created: writes.storiesCreated, merged: writes.merged };
  });
}

/**
 * Assigns every item without a story (new ones, or ones a crash left behind) in batches of
 * `batchSize`, each its own transaction; safe to call from any process at any time. With nothing
 * pending it returns before taking the lock or catching up (a pass where every feed answered 304).
 */
export async function assignPendingStories(db: Db, options: AssignOptions): Promise<AssignResult> {
  const total = { assigned: 0, created: 0, merged: 0 };
  if (options.itemIds?.length === 0) return total;
  if (!options.itemIds && !(await hasPendingItems(db))) return total;
  let pending = options.itemIds ? options.itemIds.length : options.onProgress ? await countPendingItems(db) : 0;
  for (;;) {
    const batch = await assignNextBatch(db, options);
    if (!batch) return total;
    total.assigned += batch.assigned;
    total.created += batch.created;
    total.merged += batch.merged;
    pending = Math.max(pending, total.assigned);
    options.onProgress?.(total.assigned, pending);
  }
}
