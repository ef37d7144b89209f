-- Storylines (issue 11): the stories of one running situation, linked over days. The story writer links
-- each story online (src/stories/storylines) and keeps these rows; a storyline's id is the id of the
-- story that started it, so linking needs no id allocation.
CREATE TABLE storylines (
  id bigint PRIMARY KEY,
  -- The situation's name (the topics its stories share); a storyline of one story is named by its headline.
  title text NOT NULL DEFAULT '',
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  story_count integer NOT NULL DEFAULT 0,
  item_count integer NOT NULL DEFAULT 0,
  -- Distinct outlets over its stories' items, copies excluded.
  outlet_count integer NOT NULL DEFAULT 0,
  -- The sum of its stories' coverage weights: how much a reader has been told about it.
  weight double precision NOT NULL DEFAULT 0,
  -- Set when linking found two storylines one situation; the id keeps resolving.
  merged_into bigint REFERENCES storylines (id) ON DELETE SET NULL,
  -- Moves when a story joins or a story grows, so feed readers show the storyline again only then.
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX storylines_recent_idx ON storylines (last_seen_at DESC, id DESC) WHERE merged_into IS NULL AND story_count > 1;
CREATE INDEX storylines_merged_idx ON storylines (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX storylines_last_seen_idx ON storylines (last_seen_at, id);

ALTER TABLE stories ADD COLUMN storyline_id bigint REFERENCES storylines (id) ON DELETE SET NULL;
CREATE INDEX stories_storyline_idx ON stories (storyline_id, first_seen_at) WHERE merged_into IS NULL;

-- `storyline recluster` keeps storyline ids: each item's storyline before the rebuild, read back after it
-- (a storyline keeps its id when most of its items stay together; the others resolve to where they went).
CREATE TABLE storyline_recluster (
  item_id bigint PRIMARY KEY,
  storyline_id bigint NOT NULL
);
