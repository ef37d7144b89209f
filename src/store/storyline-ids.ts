// Named queries that keep storyline ids across `recluster` (src/worker/stories/recluster.ts): each
// item's storyline is noted before the rebuild, and after it the new storylines take back the ids of
// the old ones they continue (see KEPT_STORYLINE_IDS).
import type { Tx } from './db/db.js';

// Each item's storyline before the rebuild ...
export const SNAPSHOT_ITEM_STORYLINES = `
DELETE FROM storyline_recluster;
INSERT INTO storyline_recluster (item_id, storyline_id)
SELECT i.id, s.storyline_id FROM items i JOIN stories s ON s.id = i.story_id WHERE s.storyline_id IS NOT NULL;`;

/** Before `recluster` clears the stories: notes each item's storyline. */
export async function snapshotStorylines(tx: Tx): Promise<void> {
  await tx.exec(SNAPSHOT_ITEM_STORYLINES);
}

// ... and after it, where each old storyline's items went. A new storyline takes the id of the old one it
// holds most items of when it holds most of that one's items; every other old id resolves to the new
// storyline holding most of its items.
export const KEPT_STORYLINE_IDS = `
WITH pairs AS (
  SELECT s.storyline_id AS new_id, r.storyline_id AS old_id, count(*) AS n
  FROM storyline_recluster r JOIN items i ON i.id = r.item_id JOIN stories s ON s.id = i.story_id
  WHERE s.storyline_id IS NOT NULL AND s.storyline_id <> r.storyline_id
  GROUP BY 1, 2
), totals AS (SELECT storyline_id AS old_id, count(*) AS n FROM storyline_recluster GROUP BY 1),
best_old AS (SELECT DISTINCT ON (new_id) new_id, old_id, n FROM pairs ORDER BY new_id, n DESC, old_id),
kept AS (SELECT b.new_id, b.old_id FROM best_old b JOIN totals t USING (old_id) WHERE b.n * 2 > t.n),
best_new AS (SELECT DISTINCT ON (old_id) old_id, new_id FROM pairs ORDER BY old_id, n DESC, new_id)
SELECT k.new_id, k.old_id, true AS kept FROM kept k
UNION ALL
SELECT coalesce(k.old_id, b.new_id) AS new_id, b.old_id, false FROM best_new b LEFT JOIN kept k ON k.new_id = b.new_id
WHERE b.old_id NOT IN (SELECT old_id FROM kept)`;
// A kept id takes over its new storyline's row; the new row goes.
export const RENUMBER_STORYLINES = `
UPDATE storylines o SET title = n.title, first_seen_at = n.first_seen_at, last_seen_at = n.last_seen_at, story_count = n.story_count,
  item_count = n.item_count, outlet_count = n.outlet_count, weight = n.weight, merged_into = NULL, updated_at = n.updated_at
FROM unnest($1::bigint[], $2::bigint[]) AS x(new_id, old_id) JOIN storylines n ON n.id = x.new_id WHERE o.id = x.old_id;
`;
export const REPOINT_RENUMBERED_STORIES = `
UPDATE stories s SET storyline_id = x.old_id FROM unnest($1::bigint[], $2::bigint[]) AS x(new_id, old_id) WHERE s.storyline_id = x.new_id`;
export const REPOINT_MERGED_RENUMBERED = `
UPDATE storylines l SET merged_into = x.old_id FROM unnest($1::bigint[], $2::bigint[]) AS x(new_id, old_id) WHERE l.merged_into = x.new_id`;
export const DELETE_RENUMBERED = 'DELETE FROM storylines WHERE id = ANY($1::bigint[])';
export const RESOLVE_OLD_STORYLINES = `
UPDATE storylines o SET merged_into = x.to_line, story_count = 0 FROM unnest($1::bigint[], $2::bigint[]) AS x(old_id, to_line)
WHERE o.id = x.old_id AND o.id <> x.to_line`;
// Old storylines none of whose items came back (retention took them since) hold nothing.
export const EMPTY_UNMATCHED_STORYLINES = `
UPDATE storylines l SET story_count = 0 WHERE l.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.storyline_id = l.id)`;
export const CLEAR_RECLUSTER_SNAPSHOT = 'DELETE FROM storyline_recluster';

/**
 * After `recluster` (under the story lock): new storylines take back the ids of the old ones they
 * continue; the rest resolve to them.
 */
export async function keepStorylineIds(tx: Tx): Promise<{ kept: number; resolved: number }> {
  const rows = (await tx.query<{ new_id: number; old_id: number; kept: boolean }>(KEPT_STORYLINE_IDS)).rows;
  const kept = rows.filter((r) => r.kept);
  const resolved = rows.filter((r) => !r.kept);
  const newIds = kept.map((r) => Number(r.new_id));
  const oldIds = kept.map((r) => Number(r.old_id));
  await tx.query(REPOINT_RENUMBERED_STORIES, [newIds, oldIds]);
  await tx.query(RENUMBER_STORYLINES, [newIds, oldIds]);
  await tx.query(REPOINT_MERGED_RENUMBERED, [newIds, oldIds]);
  await tx.query(DELETE_RENUMBERED, [newIds]);
  await tx.query(RESOLVE_OLD_STORYLINES, [
    resolved.map((r) => Number(r.old_id)),
    resolved.map((r) => Number(r.new_id)),
  ]);
  await tx.query(EMPTY_UNMATCHED_STORYLINES);
  await tx.query(CLEAR_RECLUSTER_SNAPSHOT);
  return { kept: kept.length, resolved: resolved.length };
}
