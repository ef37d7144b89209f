-- One topic per thing: every form a topic was seen under ("trump", "donald-trump", "leo-xiv") resolves
-- to it, so a topic keeps the slug it was first stored under while its display name improves.
CREATE TABLE topic_aliases (
  slug text PRIMARY KEY,
  topic_id integer NOT NULL REFERENCES topics (id) ON DELETE CASCADE
);
CREATE INDEX topic_aliases_topic_idx ON topic_aliases (topic_id);
INSERT INTO topic_aliases (slug, topic_id) SELECT slug, id FROM topics ON CONFLICT DO NOTHING;
