-- The sources version (issue 12): a counter that moves only when what the OPML export lists changes
-- (a feed's URL, outlet, section or title; an outlet's name, site or region; feeds added or removed),
-- so the server writes the export again only then. The feeds scope's version moves with every fetch.
INSERT INTO data_versions (scope) VALUES ('sources');

CREATE FUNCTION bump_sources_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'sources';
  RETURN NULL;
END $$;

CREATE TRIGGER feeds_sources_version AFTER INSERT OR DELETE OR TRUNCATE ON feeds
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sources_version();
-- Per row, and only on a real change: a fetch writes title = coalesce(title, …) on every new document.
CREATE TRIGGER feeds_sources_version_on_update AFTER UPDATE OF url, outlet_id, section, title ON feeds
  FOR EACH ROW WHEN (OLD.url IS DISTINCT FROM NEW.url OR OLD.outlet_id IS DISTINCT FROM NEW.outlet_id
    OR OLD.section IS DISTINCT FROM NEW.section OR OLD.title IS DISTINCT FROM NEW.title)
  EXECUTE FUNCTION bump_sources_version();
CREATE TRIGGER outlets_sources_version AFTER INSERT OR DELETE OR TRUNCATE ON outlets
  FOR EACH STATEMENT EXECUTE FUNCTION bump_sources_version();
CREATE TRIGGER outlets_sources_version_on_update AFTER UPDATE OF name, site, region ON outlets
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.site IS DISTINCT FROM NEW.site OR OLD.region IS DISTINCT FROM NEW.region)
  EXECUTE FUNCTION bump_sources_version();
