-- The server checks once a second whether another process changed the data (newest item or story
-- change); these keep that check an index lookup as the tables grow.
CREATE INDEX items_changed_at_idx ON items (changed_at);
CREATE INDEX stories_updated_at_idx ON stories (updated_at);
