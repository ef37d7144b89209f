// The story writer: groups every item still without a story, using the pure core in src/stories,
// one process at a time (an advisory lock), so no item is ever in two stories. Each process keeps the
// active stories in memory and catches up on other processes' assignments and merges before assigning.
// Time is item time (story_clock): consolidation runs as the stream passes each hour, exactly where
// `storyline cluster` runs it, so the service and the standalone command make the same stories.
import { isOnSite } from '../normalize/url.js';
import type { StoryMerge } from '../stories/consolidate.js';
import { OnlineGrouping, type GroupingClock } from '../stories/group-items.js';
import { representativeMember } from '../stories/headline.js';
import { type Assignment, type StoredFeatures, type StoryIndex, type StoryItem } from '../stories/story-index.js';
import { OnlineStorylines } from '../stories/storylines/online.js';
import type { Db, Tx } from './db/db.js';
import { writeItemFeatures, type AssignedItem } from './item-features.js';
import * as Q from './story-queries.js';
import { addTopicChanges, applyTopicCounts, writeTopics, type TopicCountChanges } from './story-topics.js';
import { keepStorylineIds, restoreStorylines, snapshotStorylines, writeStorylines } from './storylines.js';

export { pruneOld } from './story-prune.js';

/**
 * Items read, decided and written per transaction: memory holds one batch's rows and decisions at a
 * time however many are pending (issue 15), and each table gets one statement per batch.
 */
export const ASSIGN_BATCH = 2000;

interface ItemTextRow {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  published_at: Date;
  duplicate_of: number | null;
  /** The publisher the item itself names (an aggregator's <source>), if any. */
  named_outlet: string | null;
  /** The feed's outlet's site, or the feed's own URL. */
  site: string;
}

/** An assignment as catch-up replays it (SELECT_ASSIGNED_SINCE). */
interface SyncedRow {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  /** Epoch ms. */
  published: number;
  seq: number;
  story_id: number;
  copy_of: number | null;
  /** What the writer stored of the item when it assigned it; null for items assigned before that was stored. */
  features: StoredFeatures | null;
}

interface OriginalRow extends ItemTextRow {
  story_id: number | null;
}

/** One process's view of the active stories, and how far it has read other processes' work. */
interface AssignerState {
  grouping: OnlineGrouping;
  /** Links this process's stories into storylines, at the same points of the stream as `storyline cluster`. */
  lines: OnlineStorylines;
  assignmentSeq: number;
  mergeSeq: number;
  /** Assignments up to this seq were made before the last consolidation pass. */
  consolidatedSeq: number;
}

const states = new WeakMap<Db, AssignerState>();

/** Scores are stored as float4: a vanishing similarity (1e-87) would be out of its range, so six decimals are kept. */
export function storedScore(score: number): number {
  return Number.isFinite(score) ? Math.round(score * 1e6) / 1e6 : 0;
}

function toStoryItem(r: ItemTextRow): StoryItem {
  return {
    key: String(r.id),
    title: r.title,
    summary: r.summary,
    url: r.url,
    outlet: r.outlet,
    published: r.published_at.getTime(),
  };
}

async function readClock(tx: Tx): Promise<(GroupingClock & { consolidatedSeq: number }) | null> {
  const row = (await tx.query<{ clock: Date; next_consolidation: Date; consolidated_seq: number }>(Q.SELECT_CLOCK))
    .rows[0];
  return row
    ? {
        clock: row.clock.getTime(),
        nextConsolidation: row.next_consolidation.getTime(),
        consolidatedSeq: Number(row.consolidated_seq),
      }
    : null;
}

/** Where the active window starts: stories quiet since before it have left the index. */
function windowStartOf(state: AssignerState): Date {
  const { clock } = state.grouping.clock;
  return new Date(Number.isFinite(clock) ? clock - state.grouping.index.options.quietAfterMs : 0);
}

/** Brings this process's index up to date with what every process has committed. */
async function catchUp(tx: Tx, state: AssignerState): Promise<void> {
  const stored = await readClock(tx);
  if (stored) state.grouping.setClock(stored);
  const index = state.grouping.index;
  const { clock } = state.grouping.clock;
  const windowStart = windowStartOf(state);
  // Under the lock nothing is written meanwhile: when no process wrote since, there is nothing to read
  // (the window query still walked every item of the window: 270 ms a batch at 44,000 active items, and
  // in a recluster every item after the window's start).
  const max = (await tx.query<{ assignments: number; merges: number }>(Q.SELECT_MAX_SEQ)).rows[0]!;
  const assigned =
    max.assignments > state.assignmentSeq
      ? await tx.query<SyncedRow>(Q.SELECT_ASSIGNED_SINCE, [state.assignmentSeq, windowStart])
      : { rows: [] };
  assigned.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  const consolidatedSeq = stored?.consolidatedSeq ?? 0;
  const replay = (rows: SyncedRow[]): void => {
    for (const r of rows) {
      // Replaying needs only where the item went and what it copies (StoryIndex.apply).
      const a: Assignment = {
        storyKey: r.story_id,
        reason: r.copy_of === null ? 'similar' : 'copy',
        score: 0,
        sharedTerms: [],
        copyOf: r.copy_of === null ? null : String(r.copy_of),
      };
      const item = {
        key: String(r.id),
        title: r.title,
        summary: r.summary,
        url: r.url,
        outlet: r.outlet,
        published: r.published,
      };
      index.apply(r.features ? index.prepareStored(item, r.features) : index.prepare(item), a, r.story_id);
      state.assignmentSeq = Math.max(state.assignmentSeq, r.seq);
    }
  };
  // Stories changed before the last consolidation pass were compared by it: as the process that ran it,
  // this one counts only what came after as changed.
  replay(assigned.rows.filter((r) => r.seq <= consolidatedSeq));
  const merges =
    max.merges > state.mergeSeq
      ? await tx.query<{ seq: number; from_story: number; into_story: number }>(Q.SELECT_MERGES_SINCE, [state.mergeSeq])
      : { rows: [] };
  for (const m of merges.rows) {
    index.mergeStories(m.into_story, m.from_story);
    state.mergeSeq = m.seq;
  }
  if (consolidatedSeq > state.consolidatedSeq) index.takeChangedStories();
  state.consolidatedSeq = consolidatedSeq;
  replay(assigned.rows.filter((r) => r.seq > consolidatedSeq));
  // Another process changed stories: the storylines it linked are read back rather than guessed.
  if (assigned.rows.length > 0 || merges.rows.length > 0) {
    state.lines = new OnlineStorylines();
    await restoreStorylines(
      tx,
      state.lines,
      index,
      index.activeStories().map((s) => s.key),
      clock,
    );
  }
  // Rows outside the window were skipped, not missed: move the marks past them.
  state.assignmentSeq = Math.max(state.assignmentSeq, max.assignments);
  state.mergeSeq = Math.max(state.mergeSeq, max.merges);
}

interface Decision {
  itemId: number;
  storyId: number;
  assignment: Assignment;
}

/** Decisions waiting to be written, and what the batch changed. */
interface BatchWrites {
  decisions: Decision[];
  created: Map<number, ItemTextRow>;
  /** Items credited to another outlet than the one they were first seen through. */
  credits: Map<number, string>;
  touched: Set<number>;
  topicCounts: TopicCountChanges;
  storiesCreated: number;
  merged: number;
  /** Every item the batch assigned (decisions are emptied as they are written). */
  assigned: AssignedItem[];
}

const emptyWrites = (): BatchWrites => ({
  decisions: [],
  created: new Map(),
  credits: new Map(),
  touched: new Set(),
  topicCounts: new Map(),
  storiesCreated: 0,
  merged: 0,
  assigned: [],
});

/** A copy reached through its own outlet's site takes the credit from a first appearance that was not. */
function creditFor(original: ItemTextRow, copy: ItemTextRow): string | null {
  const onSite = (r: ItemTextRow) => r.named_outlet === null && isOnSite(r.url, r.site);
  return onSite(copy) && !onSite(original) ? copy.outlet : null;
}

async function readOriginals(tx: Tx, rows: ItemTextRow[]): Promise<Map<number, OriginalRow>> {
  const ids = [...new Set(rows.flatMap((r) => (r.duplicate_of === null ? [] : [r.duplicate_of])))];
  if (ids.length === 0) return new Map();
  return new Map((await tx.query<OriginalRow>(Q.SELECT_ORIGINALS, [ids])).rows.map((r) => [r.id, r]));
}

/** Decides and applies each pending item in published order; new stories get ids reserved in the database. */
async function assignBatch(
  tx: Tx,
  state: AssignerState,
  rows: ItemTextRow[],
  now: Date,
  writes: BatchWrites,
): Promise<void> {
  const { grouping } = state;
  const originals = await readOriginals(tx, rows);
  const storyOfItem = new Map<number, number>();
  const reserved: number[] = [];
  for (const r of rows) {
    const merges = grouping.advance(r.published_at.getTime(), now.getTime());
    if (merges.length) await writeMerges(tx, state, merges, now, writes);
    state.lines.noteMerges(merges);
    const clock = grouping.clock.clock;
    state.lines.relinkGrown(grouping.index, clock);
    const p = grouping.index.prepare(toStoryItem(r));
    const original = r.duplicate_of === null ? undefined : originals.get(r.duplicate_of);
    const originalStory = original ? (storyOfItem.get(original.id) ?? original.story_id) : null;
    const a = grouping.index.decide(
      p,
      clock,
      original && originalStory !== null
        ? { itemKey: String(original.id), storyKey: grouping.index.resolve(originalStory) }
        : undefined,
    );
    // Decided before quiet stories leave, as StoryIndex.assign does it.
    grouping.index.pruneQuiet(clock);
    let newId: number | undefined;
    if (a.storyKey === null) {
      if (reserved.length === 0)
        reserved.push(
          ...(await tx.query<{ id: number }>(Q.RESERVE_STORY_IDS, [Math.max(16, rows.length)])).rows.map((x) => x.id),
        );
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
    writes.assigned.push({ itemId: r.id, storyId, published: r.published_at });
  }
}

/** Recomputes counts, times, headline and topics of the given stories. */
async function refreshStories(
  tx: Tx,
  index: StoryIndex,
  storyIds: number[],
  now: Date,
  topicCounts: TopicCountChanges,
): Promise<void> {
  if (storyIds.length === 0) return applyTopicCounts(tx, topicCounts);
  const reps = storyIds.map((id) => {
    const story = index.story(id);
    return story && story.members.length > 0 ? Number(representativeMember(index, story)) : null;
  });
  await tx.query(Q.REFRESH_STORY_STATS, [storyIds, reps, now]);
  await writeTopics(tx, index, storyIds, topicCounts);
  await applyTopicCounts(tx, topicCounts);
}

/** Writes the decisions made so far (before a merge moves their stories' rows, and at the end of a batch). */
async function flushDecisions(tx: Tx, state: AssignerState, writes: BatchWrites, now: Date): Promise<void> {
  const { decisions, created } = writes;
  if (decisions.length === 0) return;
  const newIds = [...created.keys()];
  await tx.query(Q.INSERT_STORIES, [
    newIds,
    now,
    newIds.map((id) => created.get(id)!.title),
    newIds.map((id) => created.get(id)!.published_at),
  ]);
  const inserted = await tx.query<{ seq: number }>(Q.INSERT_ASSIGNMENTS, [
    now,
    decisions.map((d) => d.itemId),
    decisions.map((d) => d.storyId),
    decisions.map((d) => d.assignment.reason),
    decisions.map((d) => storedScore(d.assignment.score)),
    decisions.map((d) => JSON.stringify(d.assignment.sharedTerms)),
  ]);
  // Our own rows need no catching up on; the lock guarantees nobody else wrote in between.
  for (const r of inserted.rows) state.assignmentSeq = Math.max(state.assignmentSeq, Number(r.seq));
  await tx.query(Q.UPDATE_ITEM_STORIES, [
    decisions.map((d) => d.itemId),
    decisions.map((d) => d.storyId),
    decisions.map((d) => (d.assignment.copyOf === null ? null : Number(d.assignment.copyOf))),
  ]);
  if (writes.credits.size) await tx.query(Q.CREDIT_OUTLETS, [[...writes.credits.keys()], [...writes.credits.values()]]);
  for (const d of decisions) writes.touched.add(d.storyId);
  writes.decisions = [];
  writes.created = new Map();
  writes.credits = new Map();
}

/** Records a consolidation pass, one statement per table: absorbed stories' rows move to their survivors. */
async function writeMerges(
  tx: Tx,
  state: AssignerState,
  merges: StoryMerge[],
  now: Date,
  writes: BatchWrites,
): Promise<void> {
  await flushDecisions(tx, state, writes, now);
  const index = state.grouping.index;
  const from = merges.map((m) => m.from);
  // Where each absorbed story ends once the whole pass is applied (a survivor may be absorbed later in it).
  const into = merges.map((m) => index.resolve(m.from));
  const moved = await tx.query<{ topic_id: number; by: number }>(Q.MOVE_MERGED_TOPICS, [from, into]);
  for (const r of moved.rows) addTopicChanges(writes.topicCounts, [r.topic_id], r.by);
  await tx.query(Q.MOVE_MERGED_ITEMS, [from, into]);
  await tx.query(Q.MOVE_MERGED_ASSIGNMENTS, [from, into]);
  await tx.query(Q.LOG_MERGES, [
    from,
    merges.map((m) => m.into),
    merges.map((m) => storedScore(m.score)),
    merges.map((m) => JSON.stringify(m.sharedTerms)),
  ]);
  await tx.query(Q.MARK_MERGED, [from, into, now]);
  await tx.query(Q.REPOINT_MERGED, [from, into]);
  for (const id of from) writes.touched.delete(id);
  for (const id of into) writes.touched.add(id);
  const max = await tx.query<{ merges: number; assignments: number }>(Q.SELECT_MAX_SEQ);
  state.mergeSeq = max.rows[0]!.merges;
  state.consolidatedSeq = max.rows[0]!.assignments;
  writes.merged += merges.length;
}

async function saveClock(tx: Tx, state: AssignerState): Promise<void> {
  const { clock, nextConsolidation } = state.grouping.clock;
  if (!Number.isFinite(clock)) return;
  await tx.query(Q.SAVE_CLOCK, [new Date(clock), new Date(nextConsolidation), state.consolidatedSeq]);
}

function stateFor(db: Db): AssignerState {
  let state = states.get(db);
  if (!state)
    states.set(
      db,
      (state = {
        grouping: new OnlineGrouping(),
        lines: new OnlineStorylines(),
        assignmentSeq: 0,
        mergeSeq: 0,
        consolidatedSeq: 0,
      }),
    );
  return state;
}

/** Runs fn under the story lock with this process's caught-up state; a failure drops the state (rebuilt next time). */
async function withStories<T>(db: Db, fn: (tx: Tx, state: AssignerState) => Promise<T>): Promise<T> {
  const state = stateFor(db);
  try {
    return await db.transaction(async (tx) => {
      await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
      await catchUp(tx, state);
      return fn(tx, state);
    });
  } catch (err) {
    // The in-memory index may hold decisions the rollback undid.
    states.delete(db);
    throw err;
  }
}

export interface AssignOptions {
  now: Date;
  /** Items per transaction (ASSIGN_BATCH). */
  batchSize?: number;
  /** After each batch: items assigned so far, and of how many (those pending at the start, and any stored since). */
  onProgress?: (assigned: number, total: number) => void;
  /** Only these items (those of them still pending), as a pass hands over what it stored (src/worker/grouping-lane.ts). */
  itemIds?: readonly number[];
}

export interface AssignResult {
  assigned: number;
  created: number;
  merged: number;
}

/** One batch: the oldest pending items decided, written and their stories refreshed; null when none is left. */
async function assignNextBatch(db: Db, options: AssignOptions): Promise<AssignResult | null> {
  return withStories(db, async (tx, state) => {
    const limit = options.batchSize ?? ASSIGN_BATCH;
    const rows = (
      await (options.itemIds
        ? tx.query<ItemTextRow>(Q.SELECT_PENDING_AMONG, [options.itemIds, limit])
        : tx.query<ItemTextRow>(Q.SELECT_PENDING, [limit]))
    ).rows;
    if (rows.length === 0) return null;
    const writes = emptyWrites();
    await assignBatch(tx, state, rows, options.now, writes);
    await flushDecisions(tx, state, writes, options.now);
    const index = state.grouping.index;
    const touched = [...new Set([...writes.touched].map((id) => index.resolve(id)))].sort((a, b) => a - b);
    await refreshStories(tx, index, touched, options.now, writes.topicCounts);
    const windowStart = windowStartOf(state);
    await writeStorylines(tx, state.lines, touched, options.now, windowStart);
    await writeItemFeatures(tx, index, writes.assigned, windowStart);
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
  if (!options.itemIds && !(await db.query<{ pending: boolean }>(Q.HAS_PENDING)).rows[0]!.pending) return total;
  let pending = options.itemIds
    ? options.itemIds.length
    : options.onProgress
      ? (await db.query<{ n: number }>(Q.COUNT_PENDING)).rows[0]!.n
      : 0;
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

/**
 * Catches this process up on every process's stories and storylines without assigning anything: a worker
 * that has just started is then ready to assign at its first pass.
 */
export async function catchUpStories(db: Db): Promise<void> {
  await withStories(db, async () => undefined);
}

/** The story an id stands for now, following merges; null when there is no such story. */
export async function resolveStoryId(db: Db, id: number): Promise<number | null> {
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const row = (await db.query<{ id: number; merged_into: number | null }>(Q.SELECT_MERGED_INTO, [current])).rows[0];
    if (!row) return null;
    if (row.merged_into === null) return row.id;
    current = row.merged_into;
  }
  return current;
}

/** Rebuilds every story from the stored items in published order (after an algorithm change). */
export async function reclusterAll(
  db: Db,
  options: { now: Date; onProgress?: (done: number, total: number) => void },
): Promise<{ items: number; stories: number; storylinesKept: number }> {
  const total = (await db.query<{ n: number }>(Q.COUNT_ITEMS)).rows[0]!.n;
  await db.transaction(async (tx) => {
    await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
    await snapshotStorylines(tx);
    await tx.exec(Q.CLEAR_STORIES);
  });
  states.delete(db);
  // Replaying history: the clock follows the items' own times (see OnlineGrouping.advance).
  const result = await assignPendingStories(db, {
    now: options.now,
    onProgress: (n) => options.onProgress?.(n, total),
  });
  const lines = await keepStorylineIds(db);
  // The linker holds the rebuild's own ids: the next batch reads the kept ones back.
  states.delete(db);
  return { items: result.assigned, stories: result.created, storylinesKept: lines.kept };
}
