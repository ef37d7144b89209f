-- The story writer's item time, shared by every process: the newest item assigned (never past the
-- wall clock) and when the next consolidation pass is due. Grouping follows item time, so a replayed
-- week (the demo, a recluster, a backfill) is grouped as it would have been grouped live.
CREATE TABLE story_clock (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  clock timestamptz NOT NULL,
  next_consolidation timestamptz NOT NULL,
  -- Assignments up to this seq were made before the last consolidation pass: a process catching up
  -- counts only later ones as changes for the next pass.
  consolidated_seq bigint NOT NULL DEFAULT 0
);

-- The outlet credited with an article reached through several feeds: the one whose site it is on,
-- when that is not the feed the article was first seen in. NULL: the item's own outlet.
ALTER TABLE items ADD COLUMN credited_outlet text;
