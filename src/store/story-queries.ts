// Named queries of the story writer (src/store/stories.ts).

export const STORY_LOCK = 7_146_020_002;
export const LOCK_STORIES = 'SELECT pg_advisory_xact_lock($1)';

// What the grouping reads of an item, and what crediting an article to an outlet needs.
const ITEM_TEXT = `i.id, i.title, i.summary, coalesce(i.canonical_url, i.url) AS url,
  coalesce(i.outlet_name, o.name) AS outlet, i.published_at, i.duplicate_of,
  nullif(i.outlet_name, '') AS named_outlet, coalesce(o.site, f.url) AS site`;
const ITEM_JOIN = 'items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id';

/** The outlet a reader is shown for an item: the credited one, else the one the item names, else its feed's. */
export const ITEM_OUTLET = "coalesce(i.credited_outlet, nullif(i.outlet_name, ''), o.name)";

export const SELECT_PENDING = `
SELECT ${ITEM_TEXT} FROM ${ITEM_JOIN}
WHERE i.story_id IS NULL ORDER BY i.published_at, i.id LIMIT $1`;

// The same, among the items a pass stored (src/worker/grouping-lane.ts): a chunk of its arrivals.
export const SELECT_PENDING_AMONG = `
SELECT ${ITEM_TEXT} FROM ${ITEM_JOIN}
WHERE i.id = ANY($1::bigint[]) AND i.story_id IS NULL ORDER BY i.published_at, i.id LIMIT $2`;

// Items still without a story (items_unassigned_idx): whether there is work, and how much for progress.
export const HAS_PENDING = 'SELECT EXISTS (SELECT 1 FROM items WHERE story_id IS NULL) AS pending';
export const COUNT_PENDING = 'SELECT count(*)::int AS n FROM items WHERE story_id IS NULL';

// What other processes assigned since this one last looked (for a fresh process: the active window,
// found through items_published_idx). Unordered: the caller sorts by seq, as a sort of the window's
// rows here went to disk at a million items. Only what replaying needs, the time as epoch ms: each
// column is parsed per row, and at 44,000 rows parsing them was a seventh of a fresh worker's catch-up.
export const SELECT_ASSIGNED_SINCE = `
SELECT i.id, i.title, i.summary, coalesce(i.canonical_url, i.url) AS url, coalesce(i.outlet_name, o.name) AS outlet,
  floor(extract(epoch FROM i.published_at) * 1000)::float8 AS published, a.seq, a.story_id, i.copy_of, x.features
FROM story_assignments a JOIN ${ITEM_JOIN} ON i.id = a.item_id LEFT JOIN item_features x ON x.item_id = i.id
WHERE a.seq > $1 AND i.published_at >= $2 AND i.story_id IS NOT NULL`;

// The first appearances of articles that reached a batch through another feed, and their stories.
export const SELECT_ORIGINALS = `
SELECT ${ITEM_TEXT}, i.story_id FROM ${ITEM_JOIN} WHERE i.id = ANY($1::bigint[])`;

export const CREDIT_OUTLETS = `
UPDATE items i SET credited_outlet = u.outlet FROM unnest($1::bigint[], $2::text[]) AS u(id, outlet) WHERE i.id = u.id`;

export const SELECT_MERGES_SINCE = 'SELECT seq, from_story, into_story FROM story_merges WHERE seq > $1 ORDER BY seq';
export const SELECT_MAX_SEQ = `SELECT (SELECT coalesce(max(seq), 0) FROM story_assignments) AS assignments,
  (SELECT coalesce(max(seq), 0) FROM story_merges) AS merges`;

export const SELECT_CLOCK = 'SELECT clock, next_consolidation, consolidated_seq FROM story_clock';
export const SAVE_CLOCK = `
INSERT INTO story_clock (id, clock, next_consolidation, consolidated_seq) VALUES (true, $1, $2, $3)
ON CONFLICT (id) DO UPDATE SET clock = excluded.clock, next_consolidation = excluded.next_consolidation,
  consolidated_seq = excluded.consolidated_seq`;

export const RESERVE_STORY_IDS =
  "SELECT nextval(pg_get_serial_sequence('stories', 'id')) AS id FROM generate_series(1, $1)";

export const INSERT_STORIES = `
INSERT INTO stories (id, headline, first_seen_at, last_seen_at, updated_at)
SELECT u.id, u.headline, u.at, u.at, $2 FROM unnest($1::bigint[], $3::text[], $4::timestamptz[]) AS u(id, headline, at)`;

export const INSERT_ASSIGNMENTS = `
INSERT INTO story_assignments (item_id, story_id, reason, score, shared_terms, assigned_at)
SELECT u.item_id, u.story_id, u.reason, u.score, ARRAY(SELECT jsonb_array_elements_text(u.terms::jsonb)), $1
FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::real[], $6::text[]) WITH ORDINALITY AS u(item_id, story_id, reason, score, terms, n)
ORDER BY u.n
RETURNING seq`;

export const UPDATE_ITEM_STORIES = `
UPDATE items i SET story_id = u.story_id, copy_of = u.copy_of
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(item_id, story_id, copy_of)
WHERE i.id = u.item_id`;

// Counts and times from the rows themselves, so they cannot drift. Copies are not independent outlets;
// a story holding only copies (their first appearance was pruned) still counts the outlets it shows.
// Weight and significance rank top stories (sql/008_story_significance.sql).
export const REFRESH_STORY_STATS = `
UPDATE stories s SET
  item_count = c.items, outlet_count = c.outlets, first_seen_at = c.first_seen, last_seen_at = c.last_seen,
  weight = c.weight, significance = ln(c.weight) / ln(2) + extract(epoch FROM c.last_seen) / 86400,
  headline = coalesce(r.title, s.headline), summary = coalesce(r.summary, s.summary), representative_item_id = r.id,
  updated_at = CASE WHEN c.items <> s.item_count THEN $3 ELSE s.updated_at END
FROM (
  SELECT t.*, t.outlets + sqrt(greatest(t.items - t.outlets, 0)) + t.early_outlets / 4.0 AS weight FROM (
    SELECT x.story_id, count(*)::int AS items, min(x.published_at) AS first_seen, max(x.published_at) AS last_seen,
      greatest(count(DISTINCT x.outlet) FILTER (WHERE x.copy_of IS NULL), least(count(DISTINCT x.outlet), 1))::int AS outlets,
      count(DISTINCT x.outlet) FILTER (WHERE x.copy_of IS NULL AND x.published_at < x.story_first + interval '12 hours')::int AS early_outlets
    FROM (
      SELECT i.story_id, i.published_at, i.copy_of, ${ITEM_OUTLET} AS outlet, min(i.published_at) OVER (PARTITION BY i.story_id) AS story_first
      FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
      WHERE i.story_id = ANY($1::bigint[])
    ) x
    GROUP BY x.story_id
  ) t
) c
LEFT JOIN unnest($1::bigint[], $2::bigint[]) AS rep(story_id, item_id) ON rep.story_id = c.story_id
LEFT JOIN items r ON r.id = rep.item_id
WHERE s.id = c.story_id`;

// The topics known under any of the slugs a batch's tags could be known by (see stories/topics/registry.ts).
export const SELECT_TOPICS_BY_ALIAS = `
SELECT a.slug AS alias, t.id, t.slug, t.name, t.kind FROM topic_aliases a JOIN topics t ON t.id = a.topic_id WHERE a.slug = ANY($1::text[])`;
export const RESERVE_TOPIC_IDS =
  "SELECT nextval(pg_get_serial_sequence('topics', 'id'))::int AS id FROM generate_series(1, $1)";
export const INSERT_TOPICS = `
INSERT INTO topics (id, slug, name, kind) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])`;
export const INSERT_TOPIC_ALIASES = `
INSERT INTO topic_aliases (slug, topic_id) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING`;
export const RENAME_TOPICS = `
UPDATE topics t SET name = u.name, kind = u.kind FROM unnest($1::int[], $2::text[], $3::text[]) AS u(id, name, kind) WHERE t.id = u.id`;

// A batch's stories' topic rows set to what the stories carry now ($1–$3; $4: every story whose topics
// were read), writing only what changed: rows no longer carried are deleted, new ones inserted, a
// weight that moved updated; a row that stays as it was is not touched (issue 12: rewriting every
// touched story's rows was the batch's largest write after the items, and bloated the table).
// Returns how each topic's story_count moves: -1 per row deleted, +1 per row inserted.
export const SYNC_STORY_TOPICS = `
WITH now_carried AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::real[]) AS n(story_id, topic_id, weight)),
gone AS (
  DELETE FROM story_topics st WHERE st.story_id = ANY($4::bigint[])
    AND NOT EXISTS (SELECT 1 FROM now_carried n WHERE n.story_id = st.story_id AND n.topic_id = st.topic_id)
  RETURNING st.topic_id
),
put AS (
  INSERT INTO story_topics (story_id, topic_id, weight) SELECT * FROM now_carried
  ON CONFLICT (story_id, topic_id) DO UPDATE SET weight = excluded.weight WHERE story_topics.weight IS DISTINCT FROM excluded.weight
  RETURNING topic_id, xmax = 0 AS inserted
)
SELECT topic_id, -1 AS by FROM gone UNION ALL SELECT topic_id, 1 AS by FROM put WHERE inserted`;

/** A topic's story_count: the live (unmerged) stories carrying it. Kept by MOVE_TOPIC_COUNTS; this recounts all. */
export const REFRESH_TOPIC_COUNTS = `
UPDATE topics t SET story_count = (
  SELECT count(*) FROM story_topics st JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL WHERE st.topic_id = t.id
)`;
export const MOVE_TOPIC_COUNTS = `
UPDATE topics t SET story_count = greatest(0, t.story_count + u.by) FROM unnest($1::int[], $2::int[]) AS u(id, by) WHERE t.id = u.id`;

// A consolidation pass, set-based: $1 the absorbed stories, $2 the story each ends in (a story absorbed
// by one that is absorbed later in the same pass ends in the last survivor).
export const MOVE_MERGED_ITEMS = `
UPDATE items i SET story_id = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE i.story_id = m.from_story`;
export const MOVE_MERGED_ASSIGNMENTS = `
UPDATE story_assignments a SET story_id = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE a.story_id = m.from_story`;
export const MARK_MERGED = `
UPDATE stories s SET merged_into = m.into_story, item_count = 0, outlet_count = 0, updated_at = $3
FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE s.id = m.from_story`;
// Stories merged earlier into an absorbed one now resolve to its survivor in one step.
export const REPOINT_MERGED = `
UPDATE stories s SET merged_into = m.into_story FROM unnest($1::bigint[], $2::bigint[]) AS m(from_story, into_story) WHERE s.merged_into = m.from_story`;
// Each merge as made ($2: the story that absorbed it then), in order.
export const LOG_MERGES = `
INSERT INTO story_merges (from_story, into_story, score, shared_terms)
SELECT u.from_story, u.into_story, u.score, ARRAY(SELECT jsonb_array_elements_text(u.terms::jsonb))
FROM unnest($1::bigint[], $2::bigint[], $3::real[], $4::text[]) WITH ORDINALITY AS u(from_story, into_story, score, terms, n)
ORDER BY u.n`;
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

export const SELECT_MERGED_INTO = 'SELECT id, merged_into FROM stories WHERE id = $1';

export const CLEAR_STORIES = `
UPDATE items SET story_id = NULL, copy_of = NULL, credited_outlet = NULL WHERE story_id IS NOT NULL;
DELETE FROM item_features; DELETE FROM story_profiles; DELETE FROM story_assignments; DELETE FROM story_merges; DELETE FROM story_topics; DELETE FROM stories; DELETE FROM topic_aliases; DELETE FROM topics;
DELETE FROM story_clock;`;

export const COUNT_ITEMS = 'SELECT count(*)::int AS n FROM items';
