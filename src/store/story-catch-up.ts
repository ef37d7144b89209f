// Named queries behind a process's catch-up (src/worker/stories/catch-up.ts): how far the assignment
// and merge logs reach, what other processes assigned and merged since a process last looked, and the
// grouping clock as the last batch left it.
import type { StoredFeatures } from '../model.js';
import type { Tx } from './db/db.js';
import { ITEM_JOIN } from './stories.js';

export const SELECT_MAX_SEQ = `SELECT (SELECT coalesce(max(seq), 0) FROM story_assignments) AS assignments,
  (SELECT coalesce(max(seq), 0) FROM story_merges) AS merges`;

/** The last seq of each log (0: empty). */
export interface LogEnds {
  assignments: number;
  merges: number;
}

/** Where the assignment and merge logs end now. */
export async function readLogEnds(tx: Tx): Promise<LogEnds> {
  return (await tx.query<LogEnds>(SELECT_MAX_SEQ)).rows[0]!;
}

// What other processes assigned since this one last looked (for a fresh process: the active window,
// found through items_published_idx). Unordered: the caller sorts by seq, as a sort of the window's
// rows here went to disk at a million items. Only what replaying needs, the time as epoch ms: each
// column is parsed per row, and at 44,000 rows parsing them was a seventh of a fresh worker's catch-up.
export const SELECT_ASSIGNED_SINCE = `
SELECT i.id, i.title, i.summary, coalesce(i.canonical_url, i.url) AS url, coalesce(i.outlet_name, o.name) AS outlet,
  floor(extract(epoch FROM i.published_at) * 1000)::float8 AS published, a.seq, a.story_id, i.copy_of, x.features
FROM story_assignments a JOIN ${ITEM_JOIN} ON i.id = a.item_id LEFT JOIN item_features x ON x.item_id = i.id
WHERE a.seq > $1 AND i.published_at >= $2 AND i.story_id IS NOT NULL`;

/** An assignment as catch-up replays it: the item's text, where it went, and what it copies. */
export interface LoggedAssignment {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  /** Epoch ms. */
  published: number;
  seq: number;
  storyId: number;
  copyOf: number | null;
  /** What the writer stored of the item when it assigned it; null for items assigned before that was stored. */
  features: StoredFeatures | null;
}

interface AssignedRow extends Omit<LoggedAssignment, 'storyId' | 'copyOf'> {
  story_id: number;
  copy_of: number | null;
}

/** Assignments after `seq` of items published since `windowStart`, unordered. */
export async function readAssignedSince(tx: Tx, seq: number, windowStart: Date): Promise<LoggedAssignment[]> {
  const rows = (await tx.query<AssignedRow>(SELECT_ASSIGNED_SINCE, [seq, windowStart])).rows;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    url: r.url,
    outlet: r.outlet,
    published: r.published,
    seq: r.seq,
    storyId: r.story_id,
    copyOf: r.copy_of,
    features: r.features,
  }));
}

export const SELECT_MERGES_SINCE = 'SELECT seq, from_story, into_story FROM story_merges WHERE seq > $1 ORDER BY seq';

/** A merge as logged: story `from` absorbed by story `into`. */
export interface LoggedMerge {
  seq: number;
  from: number;
  into: number;
}

/** Merges after `seq`, in order. */
export async function readMergesSince(tx: Tx, seq: number): Promise<LoggedMerge[]> {
  const rows = (await tx.query<{ seq: number; from_story: number; into_story: number }>(SELECT_MERGES_SINCE, [seq]))
    .rows;
  return rows.map((m) => ({ seq: m.seq, from: m.from_story, into: m.into_story }));
}

export const SELECT_CLOCK = 'SELECT clock, next_consolidation, consolidated_seq FROM story_clock';
export const SAVE_CLOCK = `
INSERT INTO story_clock (id, clock, next_consolidation, consolidated_seq) VALUES (true, $1, $2, $3)
ON CONFLICT (id) DO UPDATE SET clock = excluded.clock, next_consolidation = excluded.next_consolidation,
  consolidated_seq = excluded.consolidated_seq`;

/** The grouping clock (item time, epoch ms) and the assignments the last consolidation pass had seen. */
export interface StoryClock {
  clock: number;
  nextConsolidation: number;
  consolidatedSeq: number;
}

/** The stored clock; null before the first batch. */
export async function readStoryClock(tx: Tx): Promise<StoryClock | null> {
  const row = (await tx.query<{ clock: Date; next_consolidation: Date; consolidated_seq: number }>(SELECT_CLOCK))
    .rows[0];
  return row
    ? {
        clock: row.clock.getTime(),
        nextConsolidation: row.next_consolidation.getTime(),
        consolidatedSeq: Number(row.consolidated_seq),
      }
    : null;
}

/** Stores the clock. */
export async function saveStoryClock(tx: Tx, clock: StoryClock): Promise<void> {
  await tx.query(SAVE_CLOCK, [new Date(clock.clock), new Date(clock.nextConsolidation), clock.consolidatedSeq]);
}
