-- Linking a new item to the earliest copy of its article asks for min(id) per canonical URL.
-- With only (canonical_url) the planner may answer min(id) by walking the primary key from the
-- start and filtering, which costs the whole table for every article that has no copy; with
-- (canonical_url, id) the answer is the first index entry for that URL.
DROP INDEX items_canonical_url_idx;
CREATE INDEX items_canonical_url_idx ON items (canonical_url, id) WHERE canonical_url IS NOT NULL;
