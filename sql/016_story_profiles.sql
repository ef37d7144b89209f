-- What the storyline linker holds of each story it linked (issue 12): the story's profile (its topic
-- and term keys with weights, its times) as of its last link. A fresh worker puts the active stories
-- back into their storylines from these rows instead of computing every profile again, and so holds
-- what the process that linked them held. Only the active window is read back: rows of stories last
-- seen before it are deleted as the writer's clock moves on (last_seen_at, indexed). No foreign key
-- to stories, as item_features: a row of a deleted story is never read (restore reads active ids).
CREATE TABLE story_profiles (
  story_id bigint PRIMARY KEY,
  last_seen_at timestamptz NOT NULL,
  profile json NOT NULL
);
CREATE INDEX story_profiles_last_seen_idx ON story_profiles (last_seen_at);
