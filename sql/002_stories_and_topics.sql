-- Items group into stories (one news event, one or more outlets); stories carry topics.

CREATE TABLE stories (
  id bigserial PRIMARY KEY,
  headline text NOT NULL,
  summary text NOT NULL DEFAULT '',
  -- The most representative item: its title is the headline, its link the story's link.
  representative_item_id bigint REFERENCES items (id) ON DELETE SET NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  item_count integer NOT NULL DEFAULT 0,
  -- Distinct outlets, copies excluded.
  outlet_count integer NOT NULL DEFAULT 0,
  -- Set when consolidation merged this story into another; the id keeps resolving.
  merged_into bigint REFERENCES stories (id) ON DELETE SET NULL,
  -- Moves when the coverage grows, so feed readers show the story again only then.
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX stories_recent_idx ON stories (last_seen_at DESC, id DESC) WHERE merged_into IS NULL;

ALTER TABLE items ADD COLUMN story_id bigint REFERENCES stories (id) ON DELETE SET NULL;
-- A wire copy: the same text as an earlier item from another feed; not independent coverage.
ALTER TABLE items ADD COLUMN copy_of bigint REFERENCES items (id) ON DELETE SET NULL;

CREATE INDEX items_story_idx ON items (story_id, published_at DESC);
CREATE INDEX items_unassigned_idx ON items (id) WHERE story_id IS NULL;

-- Why each item joined its story.
CREATE TABLE story_assignments (
  item_id bigint PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  -- new-story, similar, copy, same-url, merged
  reason text NOT NULL,
  score real NOT NULL DEFAULT 0,
  shared_terms text[] NOT NULL DEFAULT '{}',
  assigned_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE topics (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  -- person, place, organization, theme
  kind text NOT NULL,
  story_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE story_topics (
  story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  topic_id integer NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  weight real NOT NULL DEFAULT 0,
  PRIMARY KEY (story_id, topic_id)
);

CREATE INDEX story_topics_topic_idx ON story_topics (topic_id, story_id);
