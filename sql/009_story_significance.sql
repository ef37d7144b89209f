-- Top stories by significance: how widely a story is covered (weight: its independent outlets, more
-- articles with diminishing returns, outlets of its first twelve hours), decayed with time. The stored
-- significance, log2(weight) + days since the epoch, orders stories as weight halving each day would
-- at any moment, so an index finds the candidates; the server ranks them by the age it sees.
ALTER TABLE stories ADD COLUMN weight real NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN significance double precision NOT NULL DEFAULT 0;
UPDATE stories SET weight = greatest(outlet_count, 1),
  significance = ln(greatest(outlet_count, 1)) / ln(2) + extract(epoch FROM last_seen_at) / 86400;
CREATE INDEX stories_significance_idx ON stories (significance DESC, id DESC) WHERE merged_into IS NULL;
