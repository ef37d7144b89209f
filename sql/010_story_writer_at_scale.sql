-- The story writer at a million items (issue 12): retention prunes the stories past the cut a batch
-- at a time, oldest first, each batch a short transaction under the story lock; this index finds a
-- batch without scanning the stories (merged ones included, which stories_recent_idx leaves out).
CREATE INDEX stories_last_seen_idx ON stories (last_seen_at, id);
