// Plain records passed between the stages. No classes, no library types.

/** A feed as listed in a sources file (OPML), before it is stored. */
export interface FeedSource {
  url: string;
  outlet: string;
  section: string | null;
  title: string | null;
  site: string | null;
  region: string | null;
}

export type FeedState = 'active' | 'gone' | 'disabled';

/** A stored feed with its polling state. */
export interface Feed {
  id: number;
  url: string;
  outletId: number;
  outlet: string;
  section: string | null;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Hash of the last body parsed: a 200 with the same bytes is skipped. */
  bodyHash: string | null;
  /** The document's own polling signals from its last parse. */
  scheduleHints: ScheduleHints | null;
  state: FeedState;
  nextFetchAt: Date;
  lastFetchedAt: Date | null;
  lastStatus: number | null;
  errorCount: number;
  errorKind: string | null;
  errorMessage: string | null;
  failingSince: Date | null;
}

/** The server's freshness signals (RFC 9111): read by the fetch stage, used by the worker's schedule. */
export interface CacheSignals {
  /** Seconds from Cache-Control max-age (or s-maxage). */
  maxAgeSeconds: number | null;
  expiresAt: Date | null;
}

/** What the fetch stage hands on: a decoded body or a "not modified", plus the server's caching signals. */
export interface FetchResult extends CacheSignals {
  status: number;
  /** URL the body came from after redirects. */
  finalUrl: string;
  /** Set when every redirect hop was permanent (301/308): the feed's new address. */
  permanentUrl: string | null;
  notModified: boolean;
  /** Decoded text; null on 304. */
  body: string | null;
  contentType: string | null;
  bytes: number;
  etag: string | null;
  lastModified: string | null;
  durationMs: number;
}

/** Signals a feed document gives about how often to poll it. */
export interface ScheduleHints {
  ttlMinutes: number | null;
  updatePeriod: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | null;
  updateFrequency: number | null;
  /** Hours (0–23, GMT) in which the feed asks not to be read. */
  skipHours: number[];
  /** Day names (Monday…Sunday) on which the feed asks not to be read. */
  skipDays: string[];
}

/** One entry as the feed wrote it: raw strings, nothing resolved yet. */
export interface ParsedItem {
  guid: string | null;
  link: string | null;
  title: string | null;
  summaryHtml: string | null;
  contentHtml: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
  categories: string[];
  imageUrl: string | null;
  /** RSS <source> (Google News names the publisher there). */
  sourceName: string | null;
  sourceUrl: string | null;
  /** xml:base in force for this entry, if any. */
  baseUrl: string | null;
}

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface ParsedFeed {
  format: FeedFormat;
  /** As the feed wrote it (may hold HTML): normalizeFeedTitle makes it text. */
  title: string | null;
  siteUrl: string | null;
  baseUrl: string | null;
  hints: ScheduleHints;
  items: ParsedItem[];
}

/** A normalised article, ready to store. */
export interface Item {
  /** Stable identity within a feed: guid, else link, else a hash of title and date. */
  key: string;
  url: string | null;
  canonicalUrl: string | null;
  title: string;
  summary: string;
  contentHtml: string;
  author: string | null;
  /** Publisher named by the entry itself (RSS <source>), e.g. for Google News items. */
  outletName: string | null;
  publishedAt: Date;
  /** True when the feed gave no usable date and publishedAt is the time first seen. */
  dateEstimated: boolean;
  updatedAt: Date | null;
  categories: string[];
  imageUrl: string | null;
  /** Hash of the fields above, so an unchanged entry costs no write. */
  contentHash: string;
}

/** A feed's health as `storyline feeds list --json` and `GET /api/feeds` report it. */
export interface FeedReport {
  id: number;
  url: string;
  outlet: string;
  section: string | null;
  title: string | null;
  /** new: never fetched; ok: last fetch worked; failing: erroring since failingSince; gone: 410, not polled; disabled. */
  status: 'new' | 'ok' | 'failing' | 'gone' | 'disabled';
  lastStatus: number | null;
  lastFetchedAt: Date | null;
  lastSuccessAt: Date | null;
  nextFetchAt: Date | null;
  error: string | null;
  errorKind: string | null;
  errorCount: number;
  failingSince: Date | null;
  /** Items stored for this feed. */
  items: number;
}

// ---- The story writer's records (issue 14): what the grouping core hands the store to keep and reads
// back, and what the writer reads of an item. The core files re-export these under their old names.

/** What kind of thing a topic names. */
export type TopicKind = 'person' | 'place' | 'organization' | 'theme';

/** Whether a title's capitals mark names (sentence case) or nothing (Title Case, ALL CAPS). */
export type Casing = 'sentence' | 'title' | 'upper';

/** A thing an item names or is about, keyed so its other spellings meet. */
export interface TopicMention {
  /** Identity: lower case, accents folded ("united states", "claudia sheinbaum", theme "drug cartel"). */
  key: string;
  /** How to show it ("United States", "Claudia Sheinbaum", "drug cartels"). */
  name: string;
  /** Null: a capitalised name of no known kind (its topic decides later). */
  kind: TopicKind | null;
  /** Named in the title (the subject of the item) rather than only in its summary. */
  inTitle: boolean;
}

/** Terms of one item with their (sublinear) frequencies; word pairs are joined by "_". */
export interface ItemFeatures {
  terms: string[];
  weights: number[];
  /** Display forms of the names found in the title and in the summary, for topics ("Claudia Sheinbaum"). */
  titleNames: string[];
  summaryNames: string[];
  /** Whether the title's capitals mark names (sentence case) or nothing (Title Case, ALL CAPS). */
  titleCasing: Casing;
}

/** What the story writer stores of an item it assigned (see StoryAssigner.storedFeatures): a fresh process restores from it. */
export interface StoredFeatures extends ItemFeatures {
  mentions: TopicMention[] | null;
  /** Its copy print as [fingerprint, ...signature] (null: none kept); absent in rows stored before prints were. */
  copy?: number[] | null;
}

/** A story as linking reads it: keys ("t:papal conclave", "w:black_smoke") with weights, and its times. */
export interface StoryProfile {
  storyKey: number;
  keys: string[];
  weights: number[];
  /** Display names of its topic keys, for storyline titles. */
  topicNames: Map<string, string>;
  /** Its topic keys that name places: a country in common is a beat, not a situation (see countThings). */
  places: ReadonlySet<string>;
  firstSeen: number;
  lastSeen: number;
  /** Independent items (copies excluded), at least 1. */
  items: number;
  headline: string;
}

/** A stored topic as the registry sees it. */
export interface KnownTopic {
  id: number;
  slug: string;
  name: string;
  kind: TopicKind;
}

/** Why an item went to its story. */
export type AssignReason = 'new-story' | 'similar' | 'copy' | 'same-url';

/** One item's decision: the story it joins (or a new one), why, and how sure. */
export interface Assignment {
  /** The story joined; null when the item starts a new story (`apply` then takes the new key). */
  storyKey: number | null;
  reason: AssignReason;
  score: number;
  sharedTerms: string[];
  /** Key of the item this one copies (reason 'copy'). */
  copyOf: string | null;
}

/** A consolidation merge: story `from` folded into story `into`, with the terms they share. */
export interface StoryMerge {
  from: number;
  into: number;
  score: number;
  sharedTerms: string[];
}

/** An item without a story as the story writer reads it: what grouping reads, and what crediting an outlet needs. */
export interface PendingItem {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  publishedAt: Date;
  duplicateOf: number | null;
  /** The publisher the item itself names (an aggregator's <source>), if any. */
  namedOutlet: string | null;
  /** The feed's outlet's site, or the feed's own URL. */
  site: string;
}

// The read side's shared records (src/store/read → the server), named as the API serves them
// (server/api/schemas.ts). The records one read file alone returns live in that file.

/** An outlet as an item or a story names it. */
export interface OutletRef {
  id: number;
  name: string;
}

/** An outlet as served: its site and region, with its feeds and stored items counted. */
export interface Outlet extends OutletRef {
  site: string | null;
  region: string | null;
  feeds: number;
  items: number;
  lastPublishedAt: Date | null;
}

/** A topic as a story or a storyline carries it. */
export interface TopicRef {
  slug: string;
  name: string;
  kind: string;
}

/** A topic as served: with its live stories counted and the latest activity among them. */
export interface Topic extends TopicRef {
  stories: number;
  lastSeenAt: Date | null;
}

/**
 * A position in a list: in a newest-first list the row's time in microseconds since the epoch, then its
 * id; in a ranked list (top stories) the row's rank, counted from 0.
 */
export type Position = { us: number; id: number } | { rank: number };

/** An outlet covering a story, with its first article on it. */
export interface StoryOutlet extends OutletRef {
  url: string | null;
  items: number;
}

/** A story as served in a list: the group of items about one event, with its outlets and topics. */
export interface Story {
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
