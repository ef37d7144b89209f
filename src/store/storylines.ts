// Named queries of the storyline side of the story writer (src/worker/stories/storylines.ts): each
// batch's links and storyline merges written one statement per table, the storylines they touch
// refreshed, the stored links read back by a process rebuilding its linker, and retention's share.
import type { StoryProfile } from '../model.js';
import type { Tx } from './db/db.js';
import { ITEM_OUTLET } from './stories.js';
import { profileFromStored } from './story-profiles.js';

// A storyline's row exists before any story points at it: created at first link, recreated if retention took it.
export const ENSURE_STORYLINES = `
INSERT INTO storylines (id, first_seen_at, last_seen_at, updated_at)
SELECT id, $2, $2, $2 FROM unnest($1::bigint[]) AS x(id) ON CONFLICT (id) DO NOTHING`;

/** Creates the storylines' rows that do not exist (yet, or any more). */
export async function ensureStorylines(tx: Tx, ids: readonly number[], now: Date): Promise<void> {
  await tx.query(ENSURE_STORYLINES, [ids, now]);
}

export const SET_STORY_STORYLINES = `
UPDATE stories s SET storyline_id = x.line FROM unnest($1::bigint[], $2::bigint[]) AS x(id, line)
WHERE s.id = x.id AND s.storyline_id IS DISTINCT FROM x.line`;

/** Points each story at its storyline (`lineOf[i]` for `storyIds[i]`). */
export async function setStoryStorylines(
  tx: Tx,
  storyIds: readonly number[],
  lineOf: readonly number[],
): Promise<void> {
  await tx.query(SET_STORY_STORYLINES, [storyIds, lineOf]);
}

// Every story of an absorbed storyline (the stories the linker no longer holds too) moves to its survivor.
export const MOVE_MERGED_STORYLINES = `
UPDATE stories s SET storyline_id = x.to_line FROM unnest($1::bigint[], $2::bigint[]) AS x(from_line, to_line)
WHERE s.storyline_id = x.from_line`;
export const MARK_STORYLINES_MERGED = `
UPDATE storylines l SET merged_into = x.to_line, story_count = 0, updated_at = $3
FROM unnest($1::bigint[], $2::bigint[]) AS x(from_line, to_line) WHERE l.id = x.from_line AND x.from_line <> x.to_line`;

/** Moves the stories of absorbed storylines (`from[i]`) to their survivors (`into[i]`) and marks them merged. */
export async function mergeStorylines(
  tx: Tx,
  from: readonly number[],
  into: readonly number[],
  now: Date,
): Promise<void> {
  await tx.query(MOVE_MERGED_STORYLINES, [from, into]);
  await tx.query(MARK_STORYLINES_MERGED, [from, into, now]);
}

// Counts, times, weight and title from the live stories; a storyline of one story is named by its headline.
// Null titles keep the stored one (retention refreshes what it took stories from).
export const REFRESH_STORYLINES = `
UPDATE storylines l SET
  story_count = c.stories, item_count = c.items, weight = c.weight,
  outlet_count = (
    SELECT count(DISTINCT ${ITEM_OUTLET})::int FROM stories s2 JOIN items i ON i.story_id = s2.id
    JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
    WHERE s2.storyline_id = c.id AND s2.merged_into IS NULL AND i.copy_of IS NULL),
  first_seen_at = coalesce(c.first_seen, l.first_seen_at), last_seen_at = coalesce(c.last_seen, l.last_seen_at),
  title = CASE WHEN c.stories = 1 THEN c.headline ELSE coalesce(t.title, l.title) END,
  updated_at = CASE WHEN c.items <> l.item_count OR c.stories <> l.story_count THEN $3 ELSE l.updated_at END
FROM (
  SELECT x.id, count(s.id)::int AS stories, coalesce(sum(s.item_count), 0)::int AS items, coalesce(sum(s.weight), 0) AS weight,
    min(s.first_seen_at) AS first_seen, max(s.last_seen_at) AS last_seen, min(s.headline) AS headline
  FROM unnest($1::bigint[]) AS x(id) LEFT JOIN stories s ON s.storyline_id = x.id AND s.merged_into IS NULL
  GROUP BY x.id
) c
LEFT JOIN unnest($1::bigint[], $2::text[]) AS t(id, title) ON t.id = c.id
WHERE l.id = c.id AND l.merged_into IS NULL`;

/** Recounts the storylines from their live stories, titled `titles[i]` (null: the stored title stays). */
export async function refreshStorylines(
  tx: Tx,
  ids: readonly number[],
  titles: ReadonlyArray<string | null>,
  now: Date,
): Promise<void> {
  await tx.query(REFRESH_STORYLINES, [ids, titles, now]);
}

// The stored storyline of each story a process holds, for rebuilding its linker.
// With the profile each was last linked with, where stored (sql/016_story_profiles.sql).
export const SELECT_STORY_STORYLINES = `
SELECT s.id, s.storyline_id, p.profile FROM stories s LEFT JOIN story_profiles p ON p.story_id = s.id
WHERE s.id = ANY($1::bigint[]) AND s.storyline_id IS NOT NULL`;

/** A story's stored storyline, and the profile it was last linked with (null: none stored). */
export interface StoryStoryline {
  storyId: number;
  storylineId: number;
  profile: StoryProfile | null;
}

/** The stored storylines of those of the given stories that are in one. */
export async function readStoryStorylines(tx: Tx, storyIds: readonly number[]): Promise<StoryStoryline[]> {
  const rows = (
    await tx.query<{ id: number; storyline_id: number; profile: unknown }>(SELECT_STORY_STORYLINES, [storyIds])
  ).rows;
  return rows.map((r) => ({
    storyId: Number(r.id),
    storylineId: Number(r.storyline_id),
    profile: r.profile ? profileFromStored(r.profile) : null,
  }));
}

export const SELECT_STORYLINE_MERGED_INTO =
  'SELECT id, merged_into FROM storylines WHERE id = ANY($1::bigint[]) AND merged_into IS NOT NULL';

/** Of the given storylines, those merged, each to the storyline it was merged into. */
export async function readStorylinesMergedInto(tx: Tx, ids: readonly number[]): Promise<Map<number, number>> {
  const rows = (await tx.query<{ id: number; merged_into: number }>(SELECT_STORYLINE_MERGED_INTO, [ids])).rows;
  return new Map(rows.map((r) => [Number(r.id), Number(r.merged_into)]));
}

// Retention: the storylines of the stories a batch takes, refreshed after; storylines left without stories go.
export const SELECT_STORYLINES_OF =
  'SELECT DISTINCT storyline_id AS id FROM stories WHERE id = ANY($1::bigint[]) AND storyline_id IS NOT NULL';

/** The storylines the given stories are in. */
export async function readStorylinesOf(tx: Tx, storyIds: readonly number[]): Promise<number[]> {
  return (await tx.query<{ id: number }>(SELECT_STORYLINES_OF, [storyIds])).rows.map((r) => r.id);
}

export const PRUNE_STORYLINES = `
DELETE FROM storylines l WHERE l.last_seen_at < $1 AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.storyline_id = l.id AND s.merged_into IS NULL)`;

/** Deletes the storylines quiet since before the cut that hold no live story. */
export async function deleteEmptyStorylines(tx: Tx, olderThan: Date): Promise<void> {
  await tx.query(PRUNE_STORYLINES, [olderThan]);
}
