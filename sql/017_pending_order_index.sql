-- The story writer takes pending items oldest first (SELECT_PENDING: ORDER BY published_at, id). With
-- only items_unassigned_idx (by id) every pending item was read and sorted for each batch of 2,000:
-- 410 ms a batch with 72,000 pending (issue 12: recluster leaves every item pending, a million at
-- 1M items). In published order the batch is the index's first rows.
CREATE INDEX items_pending_order_idx ON items (published_at, id) WHERE story_id IS NULL;
