// Deciding one batch: each pending item in published order is compared with the active stories (the
// pure core), consolidation runs as the item clock passes each hour, and new stories get ids reserved
// in the database. The decisions collect in BatchWrites; flushDecisions writes them.
import type { PendingItem } from '../../model.js';
import type { Tx } from '../../store/db/db.js';
import { readOriginals, reserveStoryIds, type OriginalItem } from '../../store/stories.js';
import { creditFor } from '../../stories/group/assignment-record.js';
import type { StoryItem } from '../../stories/group/assign.js';
import { writeMerges, type BatchWrites } from './batch-writes.js';
import type { WriterState } from './writer-state.js';

function toStoryItem(r: PendingItem): StoryItem {
  return {
    key: String(r.id),
    title: r.title,
    summary: r.summary,
    url: r.url,
    outlet: r.outlet,
    published: r.publishedAt.getTime(),
  };
}

// The first appearances of the batch's items that reached it through another feed.
async function originalsOf(tx: Tx, rows: readonly PendingItem[]): Promise<Map<number, OriginalItem>> {
  const ids = [...new Set(rows.flatMap((r) => (r.duplicateOf === null ? [] : [r.duplicateOf])))];
  if (ids.length === 0) return new Map();
  return readOriginals(tx, ids);
}

/** Decides and applies each pending item in published order; new stories get ids reserved in the database. */
export async function assignBatch(
  tx: Tx,
  state: WriterState,
  rows: PendingItem[],
  now: Date,
  writes: BatchWrites,
): Promise<void> {
  const { grouping } = state;
  const originals = await originalsOf(tx, rows);
  const storyOfItem = new Map<number, number>();
  const reserved: number[] = [];
  for (const r of rows) {
    const merges = grouping.advance(r.publishedAt.getTime(), now.getTime());
    if (merges.length) await writeMerges(tx, state, merges, now, writes);
    state.lines.noteMerges(merges);
    const clock = grouping.clock.clock;
    state.lines.relinkGrown(grouping.index, clock);
    const p = grouping.index.prepare(toStoryItem(r));
    const original = r.duplicateOf === null ? undefined : originals.get(r.duplicateOf);
    const originalStory = original ? (storyOfItem.get(original.id) ?? original.storyId) : null;
    const a = grouping.index.decide(
      p,
      clock,
      original && originalStory !== null
        ? { itemKey: String(original.id), storyKey: grouping.index.resolve(originalStory) }
        : undefined,
    );
    // Decided before quiet stories leave, as StoryAssigner.assign does it.
    grouping.index.pruneQuiet(clock);
    let newId: number | undefined;
    if (a.storyKey === null) {
      if (reserved.length === 0) reserved.push(...(await reserveStoryIds(tx, Math.max(16, rows.length))));
      newId = reserved.shift()!;
      writes.created.set(newId, r);
      writes.storiesCreated++;
    }
    const storyId = grouping.index.apply(p, a, newId);
    state.lines.noteItem(grouping.index, storyId, newId !== undefined, clock);
    storyOfItem.set(r.id, storyId);
    if (a.reason === 'same-url' && original) {
      const credit = creditFor(original, r);
      if (credit) writes.credits.set(original.id, credit);
    }
    writes.decisions.push({ itemId: r.id, storyId, assignment: a });
    writes.assigned.push({ itemId: r.id, storyId, published: r.publishedAt });
  }
}
