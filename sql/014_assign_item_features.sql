-- What the story writer read of each item it assigned (issue 12): its weighted terms, the names found
-- and, once topics read them, its topic mentions (StoryIndex.storedFeatures). A fresh worker restores
-- its index of the active window from these rows instead of reading every active item's text again.
-- Only the active window is ever read back: rows of items published before it are deleted as the
-- writer's clock moves on (published_at, indexed, says which), so the table stays the window's size.
-- No foreign key to items: its check per inserted row cost as much as the batch's item updates, and a
-- row left by a deleted item is never read (catch-up joins from the items) and leaves with the window.
CREATE TABLE item_features (
  item_id bigint PRIMARY KEY,
  published_at timestamptz NOT NULL,
  features json NOT NULL
);
CREATE INDEX item_features_published_idx ON item_features (published_at);
