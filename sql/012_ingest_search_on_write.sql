-- A first pass over many new feeds (issue 15): the story writer sets story_id on every new item, and
-- a merge moves its items to the surviving story. Postgres recomputes a stored generated column on
-- every UPDATE of the row, whatever the UPDATE sets, so each of those writes parsed the item's title
-- and summary into a tsvector again (half the cost of assigning a batch on the embedded database).
-- The column stays, with the same values; a trigger now writes it when the row is inserted or its
-- title or summary is set.
ALTER TABLE items ALTER COLUMN search DROP EXPRESSION;

CREATE FUNCTION items_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := setweight(to_tsvector('english', NEW.title), 'A') || setweight(to_tsvector('english', NEW.summary), 'B');
  RETURN NEW;
END $$;

CREATE TRIGGER items_search_on_write BEFORE INSERT OR UPDATE OF title, summary ON items
  FOR EACH ROW EXECUTE FUNCTION items_search_vector();

-- The writer reads pending items oldest first, a batch at a time: in published order from this index
-- instead of sorting every pending item for each batch.
CREATE INDEX items_pending_idx ON items (published_at, id) WHERE story_id IS NULL;
