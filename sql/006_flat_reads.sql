-- Reads whose cost does not grow with the items stored (issue 12): the indexes the serving queries
-- and the foreign keys need, per-feed counts kept up to date by the database itself, and a data
-- version that costs an index lookup instead of counting stories and story-topic rows.

-- Foreign keys without an index make every deleted item or story scan the referencing table
-- (retention pruned 0.8 s per item at a million). Partial: most rows are not copies or merged.
CREATE INDEX items_copy_of_idx ON items (copy_of) WHERE copy_of IS NOT NULL;
CREATE INDEX items_duplicate_of_idx ON items (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX stories_representative_item_idx ON stories (representative_item_id) WHERE representative_item_id IS NOT NULL;
CREATE INDEX stories_merged_into_idx ON stories (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX story_assignments_story_idx ON story_assignments (story_id);

-- An outlet filter also matches the publisher Google News items name (outlet_name); only those
-- items carry one.
CREATE INDEX items_publisher_idx ON items (lower(outlet_name)) WHERE outlet_name IS NOT NULL;

-- Topic navigation reads the maintained story_count, the most covered first, instead of counting
-- every story-topic row on each render.
CREATE INDEX topics_story_count_idx ON topics (story_count DESC, slug) WHERE story_count > 0;

-- Items and the newest publication time per feed, for /api/feeds and /api/outlets: kept by
-- statement-level triggers (one UPDATE per writing statement, grouped by feed), so a listing of the
-- feeds reads the feeds table alone. The newest time is that of the newest item inserted: it is not
-- lowered by deletions unless the feed is left with none (retention removes the oldest items), and
-- item updates are not counted (the story writer updates thousands of items at a time).
ALTER TABLE feeds ADD COLUMN item_count integer NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN last_published_at timestamptz;

UPDATE feeds f SET item_count = c.items, last_published_at = c.newest
FROM (SELECT feed_id, count(*)::int AS items, max(published_at) AS newest FROM items GROUP BY feed_id) c
WHERE c.feed_id = f.id;

CREATE FUNCTION count_inserted_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE feeds f SET item_count = f.item_count + n.items, last_published_at = greatest(f.last_published_at, n.newest)
  FROM (SELECT feed_id, count(*)::int AS items, max(published_at) AS newest FROM inserted_items GROUP BY feed_id) n
  WHERE f.id = n.feed_id;
  RETURN NULL;
END $$;

-- Deleted items also move the news version (below): no newest id or time would show them gone.
CREATE FUNCTION count_deleted_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE feeds f SET item_count = greatest(0, f.item_count - n.items),
    last_published_at = CASE WHEN f.item_count - n.items <= 0 THEN NULL ELSE f.last_published_at END
  FROM (SELECT feed_id, count(*)::int AS items FROM deleted_items GROUP BY feed_id) n
  WHERE f.id = n.feed_id;
  IF EXISTS (SELECT 1 FROM deleted_items) THEN
    UPDATE data_versions SET version = version + 1 WHERE scope = 'news';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER items_counted_on_insert AFTER INSERT ON items REFERENCING NEW TABLE AS inserted_items
  FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_items();
CREATE TRIGGER items_counted_on_delete AFTER DELETE ON items REFERENCING OLD TABLE AS deleted_items
  FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_items();

-- The news data version: a counter every statement writing stories, story-topic rows or topics
-- moves (those writers already run one at a time under the story lock), and every statement that
-- deletes items (count_deleted_items, above); new and changed items show in max(items.changed_at)
-- and max(items.id). Transactional, so a reader sees the new version only once the write is
-- committed and visible.
CREATE TABLE data_versions (
  scope text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO data_versions (scope) VALUES ('news');

CREATE FUNCTION bump_news_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'news';
  RETURN NULL;
END $$;

CREATE TRIGGER stories_news_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stories
  FOR EACH STATEMENT EXECUTE FUNCTION bump_news_version();
CREATE TRIGGER story_topics_news_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON story_topics
  FOR EACH STATEMENT EXECUTE FUNCTION bump_news_version();
CREATE TRIGGER topics_news_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
  FOR EACH STATEMENT EXECUTE FUNCTION bump_news_version();
CREATE TRIGGER items_news_version AFTER TRUNCATE ON items
  FOR EACH STATEMENT EXECUTE FUNCTION bump_news_version();
