// The storyline writer's statements (src/store/storylines.ts); each takes whole batches as arrays.
import { ITEM_OUTLET } from './story-queries.js';

// A storyline's row exists before any story points at it: created at first link, recreated if retention took it.
export const ENSURE_STORYLINES = `
INSERT INTO storylines (id, first_seen_at, last_seen_at, updated_at)
SELECT id, $2, $2, $2 FROM unnest($1::bigint[]) AS x(id) ON CONFLICT (id) DO NOTHING`;

export const SET_STORY_STORYLINES = `
UPDATE stories s SET storyline_id = x.line FROM unnest($1::bigint[], $2::bigint[]) AS x(id, line)
WHERE s.id = x.id AND s.storyline_id IS DISTINCT FROM x.line`;

// Every story of an absorbed storyline (the stories the linker no longer holds too) moves to its survivor.
export const MOVE_MERGED_STORYLINES = `
UPDATE stories s SET storyline_id = x.to_line FROM unnest($1::bigint[], $2::bigint[]) AS x(from_line, to_line)
WHERE s.storyline_id = x.from_line`;
export const MARK_STORYLINES_MERGED = `
UPDATE storylines l SET merged_into = x.to_line, story_count = 0, updated_at = $3
FROM unnest($1::bigint[], $2::bigint[]) AS x(from_line, to_line) WHERE l.id = x.from_line AND x.from_line <> x.to_line`;

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

// The stored storyline of each story a process holds, for rebuilding its linker.
// With the profile each was last linked with, where stored (sql/016_story_profiles.sql).
export const SELECT_STORY_STORYLINES = `
SELECT s.id, s.storyline_id, p.profile FROM stories s LEFT JOIN story_profiles p ON p.story_id = s.id
WHERE s.id = ANY($1::bigint[]) AND s.storyline_id IS NOT NULL`;
export const SELECT_STORYLINE_MERGED_INTO =
  'SELECT id, merged_into FROM storylines WHERE id = ANY($1::bigint[]) AND merged_into IS NOT NULL';

// Recluster: each item's storyline before the rebuild ...
export const SNAPSHOT_ITEM_STORYLINES = `
DELETE FROM storyline_recluster;
INSERT INTO storyline_recluster (item_id, storyline_id)
SELECT i.id, s.storyline_id FROM items i JOIN stories s ON s.id = i.story_id WHERE s.storyline_id IS NOT NULL;`;
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

// Retention: the storylines of the stories a batch takes, refreshed after; storylines left without stories go.
export const SELECT_STORYLINES_OF =
  'SELECT DISTINCT storyline_id AS id FROM stories WHERE id = ANY($1::bigint[]) AND storyline_id IS NOT NULL';
export const PRUNE_STORYLINES = `
DELETE FROM storylines l WHERE l.last_seen_at < $1 AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.storyline_id = l.id AND s.merged_into IS NULL)`;
