-- Outlets publish feeds; feeds yield items; every fetch attempt is logged.
-- Stories and topics come in later migrations.

CREATE TABLE outlets (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  site text,
  region text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE feeds (
  id serial PRIMARY KEY,
  url text NOT NULL UNIQUE,
  outlet_id integer NOT NULL REFERENCES outlets (id),
  section text,
  title text,
  -- active: polled; gone: the server said 410, polling stopped; disabled: by an operator.
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'gone', 'disabled')),
  etag text,
  last_modified text,
  -- Hash of the last body parsed, so a 200 with the same bytes costs no parse and no write.
  body_hash text,
  -- The document's own polling signals (ttl, sy:update*, skipHours/skipDays), kept for 304 answers.
  schedule_hints jsonb,
  next_fetch_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by text,
  last_fetched_at timestamptz,
  last_success_at timestamptz,
  last_status integer,
  error_count integer NOT NULL DEFAULT 0,
  error_kind text,
  error_message text,
  failing_since timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX feeds_due_idx ON feeds (next_fetch_at) WHERE state = 'active';

CREATE TABLE items (
  id bigserial PRIMARY KEY,
  feed_id integer NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  -- Identity within the feed: guid, else link, else a hash of title and date.
  item_key text NOT NULL,
  url text,
  canonical_url text,
  -- The earliest item from another feed with the same canonical URL: the same article.
  duplicate_of bigint REFERENCES items (id) ON DELETE SET NULL,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  content_html text NOT NULL DEFAULT '',
  author text,
  -- Publisher named by the entry itself (RSS <source>, as in Google News results).
  outlet_name text,
  published_at timestamptz NOT NULL,
  date_estimated boolean NOT NULL DEFAULT false,
  updated_at timestamptz,
  categories text[] NOT NULL DEFAULT '{}',
  image_url text,
  content_hash text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')
  ) STORED,
  UNIQUE (feed_id, item_key)
);

CREATE INDEX items_canonical_url_idx ON items (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX items_published_idx ON items (published_at DESC, id DESC);
CREATE INDEX items_search_idx ON items USING gin (search);

CREATE TABLE fetch_log (
  id bigserial PRIMARY KEY,
  feed_id integer NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  -- ok: parsed and stored; not-modified: 304; unchanged: 200 with the same body; error.
  outcome text NOT NULL CHECK (outcome IN ('ok', 'not-modified', 'unchanged', 'error')),
  status integer,
  bytes integer,
  items_found integer,
  items_new integer,
  items_updated integer,
  error_kind text,
  error_message text,
  worker text
);

CREATE INDEX fetch_log_feed_idx ON fetch_log (feed_id, started_at DESC);
