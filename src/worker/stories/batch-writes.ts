// What a batch of the story writer has decided and not written yet, and the two writes that empty it:
// the decisions (new stories, assignments, items' stories, outlet credits) and a consolidation pass.
import type { Tx } from '../../store/db/db.js';
import { readLogEnds } from '../../store/story-catch-up.js';
import { writeStoryMerges } from '../../store/story-merges.js';
import {
  creditOutlets,
  insertAssignments,
  insertStories,
  setItemStories,
  type StoryAssignment,
} from '../../store/stories.js';
import type { PendingItem } from '../../model.js';
import { storedScore } from '../../stories/group/assignment-record.js';
import type { Assignment, StoryMerge } from '../../model.js';
import type { AssignedItem } from './item-features.js';
import { addTopicChanges, type TopicCountChanges } from './topics.js';
import type { WriterState } from './writer-state.js';

/** One item's decision: the story it went to (reserved when new), and why. */
export interface Decision {
  itemId: number;
  storyId: number;
  assignment: Assignment;
}

/** Decisions waiting to be written, and what the batch changed. */
export interface BatchWrites {
  decisions: Decision[];
  created: Map<number, PendingItem>;
  /** Items credited to another outlet than the one they were first seen through. */
  credits: Map<number, string>;
  touched: Set<number>;
  topicCounts: TopicCountChanges;
  storiesCreated: number;
  merged: number;
  /** Every item the batch assigned (decisions are emptied as they are written). */
  assigned: AssignedItem[];
}

/** A batch's writes before its first decision. */
export const emptyWrites = (): BatchWrites => ({
  decisions: [],
  created: new Map(),
  credits: new Map(),
  touched: new Set(),
  topicCounts: new Map(),
  storiesCreated: 0,
  merged: 0,
  assigned: [],
});

function storyAssignmentOf(d: Decision): StoryAssignment {
  return {
    itemId: d.itemId,
    storyId: d.storyId,
    reason: d.assignment.reason,
    score: storedScore(d.assignment.score),
    sharedTerms: d.assignment.sharedTerms,
    copyOf: d.assignment.copyOf === null ? null : Number(d.assignment.copyOf),
  };
}

/** Writes the decisions made so far (before a merge moves their stories' rows, and at the end of a batch). */
export async function flushDecisions(tx: Tx, state: WriterState, writes: BatchWrites, now: Date): Promise<void> {
  const { decisions, created } = writes;
  if (decisions.length === 0) return;
  const stories = [...created].map(([id, item]) => ({ id, headline: item.title, firstSeen: item.publishedAt }));
  await insertStories(tx, stories, now);
  const rows = decisions.map(storyAssignmentOf);
  // Our own rows need no catching up on; the lock guarantees nobody else wrote in between.
  for (const seq of await insertAssignments(tx, rows, now)) state.assignmentSeq = Math.max(state.assignmentSeq, seq);
  await setItemStories(tx, rows);
  if (writes.credits.size) await creditOutlets(tx, writes.credits);
  for (const d of decisions) writes.touched.add(d.storyId);
  writes.decisions = [];
  writes.created = new Map();
  writes.credits = new Map();
}

/** Records a consolidation pass: absorbed stories' rows move to their survivors. */
export async function writeMerges(
  tx: Tx,
  state: WriterState,
  merges: StoryMerge[],
  now: Date,
  writes: BatchWrites,
): Promise<void> {
  await flushDecisions(tx, state, writes, now);
  const index = state.grouping.index;
  const rows = merges.map((m) => ({
    from: m.from,
    into: m.into,
    // Where each absorbed story ends once the whole pass is applied (a survivor may be absorbed later in it).
    survivor: index.resolve(m.from),
    score: storedScore(m.score),
    sharedTerms: m.sharedTerms,
  }));
  addTopicChanges(writes.topicCounts, await writeStoryMerges(tx, rows, now));
  for (const r of rows) writes.touched.delete(r.from);
  for (const r of rows) writes.touched.add(r.survivor);
  const max = await readLogEnds(tx);
  state.mergeSeq = max.merges;
  state.consolidatedSeq = max.assignments;
  writes.merged += merges.length;
}
