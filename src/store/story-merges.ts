// Named queries of a consolidation pass, set-based, one statement per table: $1 the absorbed stories,
// $2 the story each ends in (a story absorbed by one that is absorbed later in the same pass ends in the
// last survivor).
import type { Tx } from './db/db.js';
import type { TopicCountMove } from './story-topics.js';

// The absorbed stories' topics are copied to their survivors; returns how each topic's count moves
// (the absorbed story no longer counts, the survivor counts where it did not already).
export const MOVE_MERGED_TOPICS = `
WITH m AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story)),
moved AS (SELECT m.into_story, st.topic_id, st.weight FROM story_topics st JOIN m ON st.story_id = m.from_story),
added AS (
  INSERT INTO story_topics (story_id, topic_id, weight)
  SELECT DISTINCT ON (into_story, topic_id) into_story, topic_id, weight FROM moved ORDER BY into_story, topic_id, weight DESC
  ON CONFLICT DO NOTHING RETURNING topic_id
)
SELECT topic_id, -1 AS by FROM moved UNION ALL SELECT topic_id, 1 AS by FROM added`;
export const MOVE_MERGED_ITEMS = `
UPDATE items i SET story_id = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE i.story_id = m.from_story`;
export const MOVE_MERGED_ASSIGNMENTS = `
UPDATE story_assignments a SET story_id = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE a.story_id = m.from_story`;
// Each merge as made ($2: the story that absorbed it then), in order.
export const LOG_MERGES = `
INSERT INTO story_merges (from_story, into_story, score, shared_terms)
SELECT u.from_story, u.into_story, u.score, ARRAY(SELECT jsonb_array_elements_text(u.terms::jsonb))
FROM unnest($1::bigint[], $2::bigint[], $3::real[], $4::text[]) WITH ORDINALITY AS u(from_story, into_story, score, terms, n)
ORDER BY u.n`;
export const MARK_MERGED = `
UPDATE stories s SET merged_into = m.into_story, item_count = 0, outlet_count = 0, updated_at = $3
FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE s.id = m.from_story`;
// Stories merged earlier into an absorbed one now resolve to its survivor in one step.
export const REPOINT_MERGED = `
UPDATE stories s SET merged_into = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE s.merged_into = m.from_story`;

/** One merge of a pass as written. */
export interface StoryMergeRow {
  /** The absorbed story. */
  from: number;
  /** The story that absorbed it then. */
  into: number;
  /** The story it ends in once the whole pass is applied. */
  survivor: number;
  /** As stored (see storedScore). */
  score: number;
  sharedTerms: string[];
}

/** Writes a pass in the order made: absorbed stories' topics, items and assignments move to their survivors. */
export async function writeStoryMerges(tx: Tx, merges: readonly StoryMergeRow[], now: Date): Promise<TopicCountMove[]> {
  const from = merges.map((m) => m.from);
  const into = merges.map((m) => m.survivor);
  const moved = await tx.query<{ topic_id: number; by: number }>(MOVE_MERGED_TOPICS, [from, into]);
  await tx.query(MOVE_MERGED_ITEMS, [from, into]);
  await tx.query(MOVE_MERGED_ASSIGNMENTS, [from, into]);
  await tx.query(LOG_MERGES, [
    from,
    merges.map((m) => m.into),
    merges.map((m) => m.score),
    merges.map((m) => JSON.stringify(m.sharedTerms)),
  ]);
  await tx.query(MARK_MERGED, [from, into, now]);
  await tx.query(REPOINT_MERGED, [from, into]);
  return moved.rows.map((r) => ({ topicId: r.topic_id, by: r.by }));
}
