// The story writer: groups every item still without a story, using the pure core in src/stories,
// one process at a time (an advisory lock), so no item is ever in two stories. Each process keeps the
// active stories in memory and catches up on other processes' assignments and merges before assigning.
// Time is item time (story_clock): consolidation runs as the stream passes each hour, exactly where
// `storyline cluster` runs it, so the service and the standalone command make the same stories.
import { isOnSite } from '../normalize/url.js';
import type { StoryMerge } from '../stories/consolidate.js';
import { OnlineGrouping, type GroupingClock } from '../stories/group-items.js';
import { representativeMember } from '../stories/headline.js';
import { type Assignment, type StoryIndex, type StoryItem } from '../stories/story-index.js';
import { candidateSlugs, resolveTopics, type KnownTopic } from '../stories/topics/registry.js';
import { storyTopics } from '../stories/topics/story-topics.js';
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
  /** The publisher the item itself names (an aggregator's <source>), if any. */
  named_outlet: string | null;
  /** The feed's outlet's site, or the feed's own URL. */
  site: string;
}

interface SyncedRow extends ItemTextRow {
  seq: number;
  story_id: number;
  reason: Assignment['reason'];
  score: number;
  copy_of: number | null;
}

interface OriginalRow extends ItemTextRow {
  story_id: number | null;
}

/** One process's view of the active stories, and how far it has read other processes' work. */
interface AssignerState {
  grouping: OnlineGrouping;
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
  return { key: String(r.id), title: r.title, summary: r.summary, url: r.url, outlet: r.outlet, published: r.published_at.getTime() };
}

async function readClock(tx: Tx): Promise<(GroupingClock & { consolidatedSeq: number }) | null> {
  const row = (await tx.query<{ clock: Date; next_consolidation: Date; consolidated_seq: number }>(Q.SELECT_CLOCK)).rows[0];
  return row ? { clock: row.clock.getTime(), nextConsolidation: row.next_consolidation.getTime(), consolidatedSeq: Number(row.consolidated_seq) } : null;
}

/** Brings this process's index up to date with what every process has committed. */
async function catchUp(tx: Tx, state: AssignerState): Promise<void> {
  const stored = await readClock(tx);
  if (stored) state.grouping.setClock(stored);
  const index = state.grouping.index;
  const { clock } = state.grouping.clock;
  const windowStart = new Date(Number.isFinite(clock) ? clock - index.options.quietAfterMs : 0);
  const assigned = await tx.query<SyncedRow>(Q.SELECT_ASSIGNED_SINCE, [state.assignmentSeq, windowStart]);
  const consolidatedSeq = stored?.consolidatedSeq ?? 0;
  const replay = (rows: SyncedRow[]): void => {
    for (const r of rows) {
      const a = { storyKey: r.story_id, reason: r.reason, score: r.score, sharedTerms: [], copyOf: r.copy_of === null ? null : String(r.copy_of) };
      index.apply(index.prepare(toStoryItem(r)), a, r.story_id);
      state.assignmentSeq = Math.max(state.assignmentSeq, r.seq);
    }
  };
  // Stories changed before the last consolidation pass were compared by it: as the process that ran it,
  // this one counts only what came after as changed.
  replay(assigned.rows.filter((r) => r.seq <= consolidatedSeq));
  const merges = await tx.query<{ seq: number; from_story: number; into_story: number }>(Q.SELECT_MERGES_SINCE, [state.mergeSeq]);
  for (const m of merges.rows) {
    index.mergeStories(m.into_story, m.from_story);
    state.mergeSeq = m.seq;
  }
  if (consolidatedSeq > state.consolidatedSeq) index.takeChangedStories();
  state.consolidatedSeq = consolidatedSeq;
  replay(assigned.rows.filter((r) => r.seq > consolidatedSeq));
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

/** Decisions waiting to be written, and what the batch changed. */
interface BatchWrites {
  decisions: Decision[];
  created: Map<number, ItemTextRow>;
  /** Items credited to another outlet than the one they were first seen through. */
  credits: Map<number, string>;
  touched: Set<number>;
  storiesCreated: number;
  merged: number;
}

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
async function assignBatch(tx: Tx, state: AssignerState, rows: ItemTextRow[], now: Date, writes: BatchWrites): Promise<void> {
  const { grouping } = state;
  const originals = await readOriginals(tx, rows);
  const storyOfItem = new Map<number, number>();
  const reserved: number[] = [];
  for (const r of rows) {
    const merges = grouping.advance(r.published_at.getTime(), now.getTime());
    if (merges.length) await writeMerges(tx, state, merges, now, writes);
    const clock = grouping.clock.clock;
    const p = grouping.index.prepare(toStoryItem(r));
    const original = r.duplicate_of === null ? undefined : originals.get(r.duplicate_of);
    const originalStory = original ? (storyOfItem.get(original.id) ?? original.story_id) : null;
    const a = grouping.index.decide(p, clock, original && originalStory !== null ? { itemKey: String(original.id), storyKey: grouping.index.resolve(originalStory) } : undefined);
    // Decided before quiet stories leave, as StoryIndex.assign does it.
    grouping.index.pruneQuiet(clock);
    let newId: number | undefined;
    if (a.storyKey === null) {
      if (reserved.length === 0) reserved.push(...(await tx.query<{ id: number }>(Q.RESERVE_STORY_IDS, [Math.max(16, rows.length)])).rows.map((x) => x.id));
      newId = reserved.shift()!;
      writes.created.set(newId, r);
      writes.storiesCreated++;
    }
    const storyId = grouping.index.apply(p, a, newId);
    storyOfItem.set(r.id, storyId);
    if (a.reason === 'same-url' && original) {
      const credit = creditFor(original, r);
      if (credit) writes.credits.set(original.id, credit);
    }
    writes.decisions.push({ itemId: r.id, storyId, assignment: a });
  }
}

/** Tags the given stories with topics: each tag resolved to the one topic of its thing (see registry.ts). */
async function writeTopics(tx: Tx, index: StoryIndex, storyIds: number[]): Promise<void> {
  const tagged = storyIds.flatMap((id) => {
    const story = index.story(id);
    return story ? storyTopics(story).map((tag) => ({ storyId: id, tag })) : [];
  });
  await tx.query(Q.DELETE_STORY_TOPICS, [storyIds]);
  if (tagged.length === 0) return;
  const slugs = [...new Set(tagged.flatMap((t) => candidateSlugs(t.tag)))];
  const known = new Map<string, KnownTopic>();
  const byId = new Map<number, KnownTopic>();
  for (const r of (await tx.query<KnownTopic & { alias: string }>(Q.SELECT_TOPICS_BY_ALIAS, [slugs])).rows) {
    const topic = byId.get(r.id) ?? { id: r.id, slug: r.slug, name: r.name, kind: r.kind };
    byId.set(r.id, topic);
    known.set(r.alias, topic);
  }
  // New topics get placeholder ids, replaced by reserved ones once it is known how many there are.
  let placeholder = 0;
  const { topics, changes } = resolveTopics(tagged.map((t) => t.tag), known, () => --placeholder);
  if (changes.created.length) {
    const ids = (await tx.query<{ id: number }>(Q.RESERVE_TOPIC_IDS, [changes.created.length])).rows.map((r) => r.id);
    changes.created.forEach((t, i) => (t.id = ids[i]!));
    await tx.query(Q.INSERT_TOPICS, [changes.created.map((t) => t.id), changes.created.map((t) => t.slug), changes.created.map((t) => t.name), changes.created.map((t) => t.kind)]);
  }
  if (changes.renamed.length) await tx.query(Q.RENAME_TOPICS, [changes.renamed.map((t) => t.id), changes.renamed.map((t) => t.name), changes.renamed.map((t) => t.kind)]);
  const aliases = changes.aliases.map((a) => ({ slug: a.slug, topicId: known.get(a.slug)!.id }));
  if (aliases.length) await tx.query(Q.INSERT_TOPIC_ALIASES, [aliases.map((a) => a.slug), aliases.map((a) => a.topicId)]);
  // Two tags of one story may be one topic ("Trump", "Donald Trump" in different items): kept once, at the higher weight.
  const rows = new Map<string, { storyId: number; topicId: number; weight: number }>();
  tagged.forEach((t, i) => {
    const key = `${t.storyId}:${topics[i]!.id}`;
    const had = rows.get(key);
    if (!had || had.weight < t.tag.weight) rows.set(key, { storyId: t.storyId, topicId: topics[i]!.id, weight: t.tag.weight });
  });
  const list = [...rows.values()];
  await tx.query(Q.INSERT_STORY_TOPICS, [list.map((r) => r.storyId), list.map((r) => r.topicId), list.map((r) => r.weight)]);
}

/** Recomputes counts, times, headline and topics of the given stories. */
async function refreshStories(tx: Tx, index: StoryIndex, storyIds: number[], now: Date): Promise<void> {
  if (storyIds.length === 0) return;
  const reps = storyIds.map((id) => {
    const story = index.story(id);
    return story && story.members.length > 0 ? Number(representativeMember(index, story)) : null;
  });
  await tx.query(Q.REFRESH_STORY_STATS, [storyIds, reps, now]);
  await writeTopics(tx, index, storyIds);
  await tx.query(Q.REFRESH_TOPIC_COUNTS);
}

/** Writes the decisions made so far (before a merge moves their stories' rows, and at the end of a batch). */
async function flushDecisions(tx: Tx, state: AssignerState, writes: BatchWrites, now: Date): Promise<void> {
  const { decisions, created } = writes;
  if (decisions.length === 0) return;
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
  for (const r of inserted.rows) state.assignmentSeq = Math.max(state.assignmentSeq, Number(r.seq));
  await tx.query(Q.UPDATE_ITEM_STORIES, [decisions.map((d) => d.itemId), decisions.map((d) => d.storyId), decisions.map((d) => (d.assignment.copyOf === null ? null : Number(d.assignment.copyOf)))]);
  if (writes.credits.size) await tx.query(Q.CREDIT_OUTLETS, [[...writes.credits.keys()], [...writes.credits.values()]]);
  for (const d of decisions) writes.touched.add(d.storyId);
  writes.decisions = [];
  writes.created = new Map();
  writes.credits = new Map();
}

/** Records a consolidation pass: each absorbed story's rows move to the survivor, and the merge is logged. */
async function writeMerges(tx: Tx, state: AssignerState, merges: StoryMerge[], now: Date, writes: BatchWrites): Promise<void> {
  await flushDecisions(tx, state, writes, now);
  for (const m of merges) {
    await tx.query(Q.MOVE_STORY_TOPICS, [m.from, m.into]);
    await tx.query(Q.MERGE_STORY, [m.from, m.into, storedScore(m.score), m.sharedTerms, now]);
    await tx.query(Q.REPOINT_MERGED, [m.from, m.into]);
    writes.touched.delete(m.from);
    writes.touched.add(m.into);
  }
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
  if (!state) states.set(db, (state = { grouping: new OnlineGrouping(), assignmentSeq: 0, mergeSeq: 0, consolidatedSeq: 0 }));
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
  batchSize?: number;
  onProgress?: (assigned: number) => void;
}

/** Assigns every item without a story (new ones, or ones a crash left behind); safe to call from any process at any time. */
export async function assignPendingStories(db: Db, options: AssignOptions): Promise<{ assigned: number; created: number; merged: number }> {
  let assigned = 0;
  let created = 0;
  let merged = 0;
  for (;;) {
    const batch = await withStories(db, async (tx, state) => {
      const rows = (await tx.query<ItemTextRow>(Q.SELECT_PENDING, [options.batchSize ?? 500])).rows;
      if (rows.length === 0) return null;
      const writes: BatchWrites = { decisions: [], created: new Map(), credits: new Map(), touched: new Set(), storiesCreated: 0, merged: 0 };
      await assignBatch(tx, state, rows, options.now, writes);
      await flushDecisions(tx, state, writes, options.now);
      const index = state.grouping.index;
      const touched = [...new Set([...writes.touched].map((id) => index.resolve(id)))].sort((a, b) => a - b);
      await refreshStories(tx, index, touched, options.now);
      await saveClock(tx, state);
      return { assigned: rows.length, created: writes.storiesCreated, merged: writes.merged };
    });
    if (!batch) return { assigned, created, merged };
    assigned += batch.assigned;
    created += batch.created;
    merged += batch.merged;
    options.onProgress?.(assigned);
  }
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
  // Replaying history: the clock follows the items' own times (see OnlineGrouping.advance).
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
