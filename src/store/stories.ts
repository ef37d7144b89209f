// The story writer: groups every item still without a story, using the pure core in src/stories,
// one process at a time (an advisory lock), so no item is ever in two stories. Each process keeps the
// active stories in memory and catches up on other processes' assignments and merges before assigning.
import { consolidateIndex } from '../stories/consolidate.js';
import { StoryIndex, type Assignment, type PreparedItem, type StoryItem } from '../stories/story-index.js';
import { dotWithCentroid, type StoryState } from '../stories/story-state.js';
import { storyTopics, type TopicTag } from '../stories/topics.js';
import type { Db, Tx } from './db.js';
import * as Q from './story-queries.js';

interface ItemTextRow {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  published_at: Date;
  duplicate_of: number | null;
}

interface SyncedRow extends ItemTextRow {
  seq: number;
  story_id: number;
  reason: Assignment['reason'];
  score: number;
  copy_of: number | null;
}

/** One process's view of the active stories, and how far it has read other processes' work. */
interface AssignerState {
  index: StoryIndex;
  clock: number;
  assignmentSeq: number;
  mergeSeq: number;
}

const states = new WeakMap<Db, AssignerState>();

/** Scores are stored as float4: a vanishing similarity (1e-87) would be out of its range, so six decimals are kept. */
export function storedScore(score: number): number {
  return Number.isFinite(score) ? Math.round(score * 1e6) / 1e6 : 0;
}

function toStoryItem(r: ItemTextRow): StoryItem {
  return { key: String(r.id), title: r.title, summary: r.summary, url: r.url, outlet: r.outlet, published: r.published_at.getTime() };
}

/** Brings this process's index up to date with what every process has committed. */
async function catchUp(tx: Tx, state: AssignerState, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - state.index.options.quietAfterMs);
  const assigned = await tx.query<SyncedRow>(Q.SELECT_ASSIGNED_SINCE, [state.assignmentSeq, windowStart]);
  for (const r of assigned.rows) {
    const p = state.index.prepare(toStoryItem(r));
    state.index.apply(p, { storyKey: r.story_id, reason: r.reason, score: r.score, sharedTerms: [], copyOf: r.copy_of === null ? null : String(r.copy_of) }, r.story_id);
    state.assignmentSeq = Math.max(state.assignmentSeq, r.seq);
  }
  const merges = await tx.query<{ seq: number; from_story: number; into_story: number }>(Q.SELECT_MERGES_SINCE, [state.mergeSeq]);
  for (const m of merges.rows) {
    state.index.mergeStories(m.into_story, m.from_story);
    state.mergeSeq = m.seq;
  }
  // Rows outside the window were skipped, not missed: move the marks past them.
  const max = await tx.query<{ assignments: number; merges: number }>(Q.SELECT_MAX_SEQ);
  state.assignmentSeq = Math.max(state.assignmentSeq, max.rows[0]!.assignments);
  state.mergeSeq = Math.max(state.mergeSeq, max.rows[0]!.merges);
}

interface Decision {
  itemId: number;
  storyId: number;
  assignment: Assignment;
}

/** Decides and applies each pending item in published order; new stories get ids reserved in the database. */
async function assignBatch(tx: Tx, state: AssignerState, rows: ItemTextRow[], now: Date): Promise<{ decisions: Decision[]; created: Map<number, ItemTextRow> }> {
  const decisions: Decision[] = [];
  const created = new Map<number, ItemTextRow>();
  const reserved: number[] = [];
  for (const r of rows) {
    const p: PreparedItem = state.index.prepare(toStoryItem(r));
    // The index's clock is the newest item time seen (never past now), so replaying history (recluster)
    // judges each item at its own time, as the worker did when it arrived.
    const clock = Math.min(now.getTime(), Math.max(r.published_at.getTime(), state.clock));
    state.clock = clock;
    state.index.pruneQuiet(clock);
    let a = state.index.decide(p, clock);
    if (r.duplicate_of !== null && a.reason !== 'same-url') a = { ...a, reason: 'copy', copyOf: String(r.duplicate_of) };
    let newId: number | undefined;
    if (a.storyKey === null) {
      if (reserved.length === 0) reserved.push(...(await tx.query<{ id: number }>(Q.RESERVE_STORY_IDS, [Math.max(16, rows.length - decisions.length)])).rows.map((x) => x.id));
      newId = reserved.shift()!;
      created.set(newId, r);
    }
    const storyId = state.index.apply(p, a, newId);
    decisions.push({ itemId: r.id, storyId, assignment: a });
  }
  return { decisions, created };
}

/** The member closest to the story's centroid: the headline is the most representative title. */
function representativeItem(index: StoryIndex, story: StoryState): number {
  let best = story.members[0]!;
  let bestScore = -1;
  for (const m of story.members) {
    if (m.copyOf) continue;
    const { ids, weighted } = index.tfidf(m.vector);
    const score = dotWithCentroid(story, ids, weighted);
    if (score > bestScore || (score === bestScore && m.key < best.key)) [best, bestScore] = [m, score];
  }
  return Number(best.key);
}

async function writeTopics(tx: Tx, index: StoryIndex, storyIds: number[]): Promise<void> {
  const tags: Array<{ storyId: number; tag: TopicTag }> = [];
  for (const id of storyIds) {
    const story = index.story(id);
    if (story) for (const tag of storyTopics(story)) tags.push({ storyId: id, tag });
  }
  await tx.query(Q.DELETE_STORY_TOPICS, [storyIds]);
  if (tags.length === 0) return;
  const unique = [...new Map(tags.map((t) => [t.tag.slug, t.tag])).values()];
  const topics = await tx.query<{ id: number; slug: string }>(Q.UPSERT_TOPICS, [unique.map((t) => t.slug), unique.map((t) => t.name), unique.map((t) => t.kind)]);
  const idOf = new Map(topics.rows.map((t) => [t.slug, t.id]));
  await tx.query(Q.INSERT_STORY_TOPICS, [tags.map((t) => t.storyId), tags.map((t) => idOf.get(t.tag.slug)!), tags.map((t) => t.tag.weight)]);
}

/** Recomputes counts, times, headline and topics of the given stories. */
async function refreshStories(tx: Tx, index: StoryIndex, storyIds: number[], now: Date): Promise<void> {
  if (storyIds.length === 0) return;
  const reps = storyIds.map((id) => {
    const story = index.story(id);
    return story && story.members.length > 0 ? representativeItem(index, story) : null;
  });
  await tx.query(Q.REFRESH_STORY_STATS, [storyIds, reps, now]);
  await writeTopics(tx, index, storyIds);
  await tx.query(Q.REFRESH_TOPIC_COUNTS);
}

async function writeBatch(tx: Tx, state: AssignerState, decisions: Decision[], created: Map<number, ItemTextRow>, now: Date): Promise<void> {
  const newIds = [...created.keys()];
  await tx.query(Q.INSERT_STORIES, [newIds, now, newIds.map((id) => created.get(id)!.title), newIds.map((id) => created.get(id)!.published_at)]);
  const inserted = await tx.query<{ seq: number }>(Q.INSERT_ASSIGNMENTS, [
    now,
    decisions.map((d) => d.itemId),
    decisions.map((d) => d.storyId),
    decisions.map((d) => d.assignment.reason),
    decisions.map((d) => storedScore(d.assignment.score)),
    decisions.map((d) => JSON.stringify(d.assignment.sharedTerms)),
  ]);
  // Our own rows need no catching up on; the lock guarantees nobody else wrote in between.
  state.assignmentSeq = Math.max(state.assignmentSeq, ...inserted.rows.map((r) => r.seq));
  await tx.query(Q.UPDATE_ITEM_STORIES, [decisions.map((d) => d.itemId), decisions.map((d) => d.storyId), decisions.map((d) => (d.assignment.copyOf === null ? null : Number(d.assignment.copyOf)))]);
  await refreshStories(tx, state.index, [...new Set(decisions.map((d) => d.storyId))].sort((a, b) => a - b), now);
}

function stateFor(db: Db): AssignerState {
  let state = states.get(db);
  if (!state) states.set(db, (state = { index: new StoryIndex(), clock: 0, assignmentSeq: 0, mergeSeq: 0 }));
  return state;
}

/** Runs fn under the story lock with this process's caught-up state; a failure drops the state (rebuilt next time). */
async function withStories<T>(db: Db, now: Date, fn: (tx: Tx, state: AssignerState) => Promise<T>): Promise<T> {
  const state = stateFor(db);
  try {
    return await db.transaction(async (tx) => {
      await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
      await catchUp(tx, state, now);
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
  batchSize?: number;
  onProgress?: (assigned: number) => void;
}

/** Assigns every item without a story (new ones, or ones a crash left behind); safe to call from any process at any time. */
export async function assignPendingStories(db: Db, options: AssignOptions): Promise<{ assigned: number; created: number }> {
  let assigned = 0;
  let created = 0;
  for (;;) {
    const batch = await withStories(db, options.now, async (tx, state) => {
      const rows = (await tx.query<ItemTextRow>(Q.SELECT_PENDING, [options.batchSize ?? 500])).rows;
      if (rows.length === 0) return null;
      const result = await assignBatch(tx, state, rows, options.now);
      await writeBatch(tx, state, result.decisions, result.created, options.now);
      return { assigned: rows.length, created: result.created.size };
    });
    if (!batch) return { assigned, created };
    assigned += batch.assigned;
    created += batch.created;
    options.onProgress?.(assigned);
  }
}

/** Merges stories that turned out to be the same event; the merge is recorded and old ids resolve. */
export async function consolidateStories(db: Db, options: { now: Date }): Promise<number> {
  return withStories(db, options.now, async (tx, state) => {
    const merges = consolidateIndex(state.index, options.now.getTime());
    for (const m of merges) {
      await tx.query(Q.MOVE_STORY_TOPICS, [m.from, m.into]);
      await tx.query(Q.MERGE_STORY, [m.from, m.into, storedScore(m.score), m.sharedTerms, options.now]);
      await tx.query(Q.REPOINT_MERGED, [m.from, m.into]);
    }
    const max = await tx.query<{ merges: number }>(Q.SELECT_MAX_SEQ);
    state.mergeSeq = max.rows[0]!.merges;
    await refreshStories(tx, state.index, [...new Set(merges.map((m) => m.into))].sort((a, b) => a - b), options.now);
    return merges.length;
  });
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
export async function reclusterAll(db: Db, options: { now: Date; onProgress?: (done: number, total: number) => void }): Promise<{ items: number; stories: number }> {
  const total = (await db.query<{ n: number }>(Q.COUNT_ITEMS)).rows[0]!.n;
  await db.transaction(async (tx) => {
    await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
    await tx.exec(Q.CLEAR_STORIES);
  });
  states.delete(db);
  // Replaying history: the index's clock follows the items' own times (see assignBatch).
  const result = await assignPendingStories(db, { now: options.now, batchSize: 1000, onProgress: (n) => options.onProgress?.(n, total) });
  return { items: result.assigned, stories: result.created };
}

/** Deletes stories whose newest item is older than the cut, with their items, and topics left without stories. */
export async function pruneOld(db: Db, options: { olderThan: Date }): Promise<{ items: number; stories: number }> {
  return db.transaction(async (tx) => {
    await tx.query(Q.LOCK_STORIES, [Q.STORY_LOCK]);
    const items = await tx.query(Q.PRUNE_ITEMS, [options.olderThan]);
    const stories = await tx.query(Q.PRUNE_STORIES, [options.olderThan]);
    await tx.query(Q.PRUNE_TOPICS);
    return { items: items.rowCount, stories: stories.rowCount };
  });
}
