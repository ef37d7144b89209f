-- Several processes assign stories, one at a time under an advisory lock; each keeps the active
-- stories in memory and catches up on what the others did through these sequence numbers.
ALTER TABLE story_assignments ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX story_assignments_seq_idx ON story_assignments (seq);

-- Consolidation merges, in order; the absorbed story keeps resolving through stories.merged_into.
CREATE TABLE story_merges (
  seq bigserial PRIMARY KEY,
  from_story bigint NOT NULL,
  into_story bigint NOT NULL,
  score real NOT NULL,
  shared_terms text[] NOT NULL DEFAULT '{}',
  merged_at timestamptz NOT NULL DEFAULT now()
);
