// Read-only views the server shows: the records it renders and the data versions its cache checks.
// The queries live beside them in views-stories.ts, views-storylines.ts, views-items.ts and views-catalog.ts.
import type { Queryable } from '../db/db.js';

export interface OutletRef {
  id: number;
  name: string;
}

export interface TopicRef {
  slug: string;
  name: string;
  kind: string;
}

/**
 * A position in a list: in a newest-first list the row's time in microseconds since the epoch, then its
 * id; in a ranked list (top stories) the row's rank, counted from 0.
 */
export type Position = { us: number; id: number } | { rank: number };

/** Top stories ranked by significance, or the latest activity first. */
export type StorySort = 'top' | 'latest';

/** An outlet covering a story, with its first article on it. */
export interface StoryOutlet extends OutletRef {
  url: string | null;
  items: number;
}

export interface StorySummary {
  id: number;
  headline: string;
  summary: string;
  /** The representative article's link. */
  url: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  updatedAt: Date;
  itemCount: number;
  outletCount: number;
  outlets: StoryOutlet[];
  topics: TopicRef[];
  position: Position;
}

export interface ItemView {
  id: number;
  title: string;
  url: string | null;
  summary: string;
  author: string | null;
  /** The outlet whose feed carried the item. */
  outlet: OutletRef;
  /** Publisher the entry names itself (Google News), when it differs from the feed's outlet. */
  source: string | null;
  publishedAt: Date;
  dateEstimated: boolean;
  changedAt: Date;
  categories: string[];
  storyId: number | null;
  /** A wire copy of this earlier item from another outlet. */
  copyOf: number | null;
  /** The same article (same canonical URL) first seen in another feed. */
  duplicateOf: number | null;
  position: Position;
}

/** An item inside a story, with why it joined. */
export interface CoverageItem extends ItemView {
  reason: string | null;
  score: number | null;
  sharedTerms: string[];
}

export interface StoryDetail extends StorySummary {
  mergedInto: number | null;
  items: CoverageItem[];
}

/** A storyline as a story names it: enough to link to it and say how large it is. */
export interface StorylineRef {
  id: number;
  title: string;
  storyCount: number;
  updatedAt: Date;
}

/** A storyline: the stories of one running situation, linked over days. */
export interface StorylineSummary extends StorylineRef {
  firstSeenAt: Date;
  lastSeenAt: Date;
  updatedAt: Date;
  itemCount: number;
  outletCount: number;
  /** Its live stories' topics: on the most stories first, then by summed weight. */
  topics: TopicRef[];
  position: Position;
}

/** Articles of one UTC day, `day` as YYYY-MM-DD. */
export interface CoverageDay {
  day: string;
  items: number;
}

export interface StorylineDetail extends StorylineSummary {
  /** The live storyline a merged one's id resolves to (through every merge); null when live. */
  mergedInto: number | null;
  /** Its live stories in the order they broke (empty for a merged storyline). */
  stories: StorySummary[];
  /** Articles per day from its first day to its last, days without any included (empty when merged). */
  days: CoverageDay[];
}

/** Filters of the storyline list: newest activity first. Null means "no filter". */
export interface StorylineFilter {
  topic: string | null;
  since: Date | null;
  until: Date | null;
  after: { us: number; id: number } | null;
  limit: number;
}

/** Filters shared by the feeds, the API lists and the pages. Null means "no filter". */
export interface ListFilter {
  /** Stories only; items are always newest first. */
  sort: StorySort;
  topic: string | null;
  outlet: string | null;
  q: string | null;
  minSources: number;
  since: Date | null;
  until: Date | null;
  after: Position | null;
  limit: number;
}

export interface TopicView extends TopicRef {
  stories: number;
  lastSeenAt: Date | null;
}

export interface OutletView extends OutletRef {
  site: string | null;
  region: string | null;
  feeds: number;
  items: number;
  lastPublishedAt: Date | null;
}

export interface SearchHit extends ItemView {
  rank: number;
  storyHeadline: string | null;
}

// Fingerprints of the data each cache scope shows. A change in any part means "render again". The
// news version counter moves with every write of stories, story topics or topics and every item
// deletion (triggers in sql/006_flat_reads.sql); new and changed items move the newest id and time.
const SELECT_NEWS_VERSION = `SELECT concat_ws('|', (SELECT version FROM data_versions WHERE scope = 'news'),
  (SELECT max(changed_at) FROM items), (SELECT max(id) FROM items)) AS version`;

// The feeds table is the size of the sources list, not of the items: read whole.
const SELECT_FEEDS_VERSION = `SELECT concat_ws('|', count(*), max(id), max(created_at), max(last_fetched_at),
  count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'disabled'), sum(error_count)) AS version
  FROM feeds`;

export type DataScope = 'news' | 'feeds';

/** A short string that changes whenever the data behind a scope changes. */
export async function readDataVersion(q: Queryable, scope: DataScope): Promise<string> {
  const res = await q.query<{ version: string }>(scope === 'news' ? SELECT_NEWS_VERSION : SELECT_FEEDS_VERSION);
  return res.rows[0]?.version ?? '';
}
