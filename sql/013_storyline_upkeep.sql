-- Storylines after their first runs (issue 11).
-- The stories-by-storyline index is whole, not partial: deleting a storyline (retention) sets its stories'
-- storyline_id to NULL through it; the partial one left Postgres a scan of stories per deleted storyline.
DROP INDEX stories_storyline_idx;
CREATE INDEX stories_storyline_idx ON stories (storyline_id, first_seen_at);

-- A storyline written alone (a re-title, the recluster's id keeping) is news to every cached page too.
CREATE TRIGGER storylines_news_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON storylines
  FOR EACH STATEMENT EXECUTE FUNCTION bump_news_version();
