// List filters resolved before a list runs, so its cost stays flat as the data grows. A list walks
// a newest-first index and checks each row against the filters: cheap when matches are common, a
// walk over the whole table when a filter matches little or nothing (a rare topic, an unknown
// outlet, a word no article has). So each selective filter (topic, outlet, text) is first asked for
// its matches, at most MAX_CANDIDATES of them; when one has no more than that, the list reads only
// those rows. Either way every filter is still checked by the list query itself.
import type { Queryable } from '../db/db.js';
import type { Position } from '../../model.js';

/** Top stories ranked by significance, or the latest activity first. */
export type StorySort = 'top' | 'latest';

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

/** Filters of the storyline list: newest activity first. Null means "no filter". */
export interface StorylineFilter {
  topic: string | null;
  since: Date | null;
  until: Date | null;
  /** A newest-first position only: storylines have no ranked list. */
  after: Extract<Position, { us: number }> | null;
  limit: number;
}

/** Most rows a filter may match for the list to read them instead of walking its index. */
export const MAX_CANDIDATES = 5000;

/** A filter with names resolved to ids, and the candidate rows when a filter is that selective. */
export interface ResolvedFilter extends ListFilter {
  topicId: number | null;
  /** The feeds of the outlets named by `outlet` (empty when none is), null without the filter. */
  outletFeeds: number[] | null;
  /** The outlet name as Google News items carry it (lower case), null without the filter. */
  publisher: string | null;
  /** Story ids (story lists) or item ids (item lists) to read instead of walking; null: walk. */
  candidates: number[] | null;
}

// Any form the topic was seen under names it (topic_aliases).
const SELECT_TOPIC_ID =
  'SELECT id, story_count FROM topics WHERE slug = $1 OR id = (SELECT topic_id FROM topic_aliases WHERE slug = $1)';
const SELECT_OUTLET_FEEDS = `SELECT coalesce(array_agg(f.id), '{}') AS feeds, coalesce(sum(f.item_count), 0)::int8 AS items
FROM feeds f JOIN outlets o ON o.id = f.outlet_id WHERE lower(o.name) = lower($1)`;
// The planner's own estimate from the column statistics: planning only, no row read.
const ESTIMATE_MATCHES = `EXPLAIN (FORMAT JSON) SELECT 1 FROM items WHERE search @@ websearch_to_tsquery('english', $1)`;

// Probes that stop after MAX_CANDIDATES + 1 rows: their length says whether the filter is selective.
const PROBE = MAX_CANDIDATES + 1;
const PROBES = {
  stories: {
    topic: `SELECT story_id AS id FROM story_topics WHERE topic_id = $1 LIMIT ${PROBE}`,
    outlet: `SELECT story_id AS id FROM items WHERE (feed_id = ANY($1::int[]) OR lower(outlet_name) = $2) AND story_id IS NOT NULL LIMIT ${PROBE}`,
    text: `SELECT story_id AS id FROM items WHERE search @@ websearch_to_tsquery('english', $1) AND story_id IS NOT NULL LIMIT ${PROBE}`,
  },
  items: {
    topic: `SELECT i.id FROM story_topics st JOIN items i ON i.story_id = st.story_id WHERE st.topic_id = $1 LIMIT ${PROBE}`,
    outlet: `SELECT id FROM items WHERE feed_id = ANY($1::int[]) OR lower(outlet_name) = $2 LIMIT ${PROBE}`,
    text: `SELECT id FROM items WHERE search @@ websearch_to_tsquery('english', $1) LIMIT ${PROBE}`,
  },
} as const;

export type ListKind = keyof typeof PROBES;

/** The topic a slug names (any form it was seen under) with its live story count, or null. */
export async function findTopicId(q: Queryable, slug: string): Promise<{ id: number; storyCount: number } | null> {
  const row = (await q.query<{ id: number; story_count: number }>(SELECT_TOPIC_ID, [slug])).rows[0];
  return row ? { id: row.id, storyCount: row.story_count } : null;
}

/** The rows a probe found, or null when there were more than MAX_CANDIDATES. */
async function probe(q: Queryable, sql: string, params: unknown[]): Promise<number[] | null> {
  const rows = (await q.query<{ id: number }>(sql, params)).rows;
  return rows.length > MAX_CANDIDATES ? null : [...new Set(rows.map((r) => r.id))];
}

/** How many items the planner expects to match a text query (a common word is not probed at all). */
export async function estimateMatches(q: Queryable, text: string): Promise<number> {
  const raw = (await q.query<{ 'QUERY PLAN': unknown }>(ESTIMATE_MATCHES, [text])).rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: { 'Plan Rows': number } }>;
  return plan[0]!.Plan['Plan Rows'];
}

const smallest = (sets: Array<number[] | null>): number[] | null =>
  sets.reduce<number[] | null>((best, s) => (s !== null && (best === null || s.length < best.length) ? s : best), null);

/**
 * Resolves the filter for a list of stories or items; null when a filter names nothing (an unknown
 * topic), so the list is empty without a query.
 */
export async function resolveFilter(q: Queryable, f: ListFilter, kind: ListKind): Promise<ResolvedFilter | null> {
  const probes = PROBES[kind];
  const sets: Array<number[] | null> = [];
  let topicId: number | null = null;
  if (f.topic !== null) {
    const topic = await findTopicId(q, f.topic);
    if (!topic) return null;
    topicId = topic.id;
    if (topic.storyCount <= MAX_CANDIDATES) sets.push(await probe(q, probes.topic, [topic.id]));
  }
  let outletFeeds: number[] | null = null;
  let publisher: string | null = null;
  if (f.outlet !== null) {
    const outlet = (await q.query<{ feeds: number[]; items: number }>(SELECT_OUTLET_FEEDS, [f.outlet])).rows[0]!;
    outletFeeds = outlet.feeds;
    publisher = f.outlet.toLowerCase();
    if (outlet.items <= MAX_CANDIDATES) sets.push(await probe(q, probes.outlet, [outletFeeds, publisher]));
  }
  if (f.q !== null && (await estimateMatches(q, f.q)) <= MAX_CANDIDATES) sets.push(await probe(q, probes.text, [f.q]));
  return { ...f, topicId, outletFeeds, publisher, candidates: smallest(sets) };
}

/** A condition of a list query; `$name` placeholders are bound from the resolved filter. */
interface Clause {
  applies(f: ResolvedFilter): boolean;
  sql: string;
}

/** The clauses of one kind of list, written against its alias (s for stories, i for items). */
export type ClauseTable = Clause[];

const NAMED = /\$([a-zA-Z]+)/g;

/**
 * The list query for a filter: the template's `/*filters*\/` replaced by the clauses that apply,
 * and `$name` placeholders numbered in order. Only constant fragments are ever joined.
 */
export function buildListQuery(
  template: string,
  clauses: ClauseTable,
  f: ResolvedFilter,
  extra: Record<string, unknown> = {},
): { sql: string; params: unknown[] } {
  const conditions = clauses
    .filter((c) => c.applies(f))
    .map((c) => `\n  AND ${c.sql}`)
    .join('');
  const values: Record<string, unknown> = {
    candidates: f.candidates,
    topic: f.topicId,
    outletFeeds: f.outletFeeds,
    publisher: f.publisher,
    q: f.q,
    minSources: f.minSources,
    since: f.since,
    until: f.until,
    afterUs: f.after && 'us' in f.after ? f.after.us : null,
    afterId: f.after && 'us' in f.after ? f.after.id : null,
    limit: f.limit,
    ...extra,
  };
  const order: string[] = [];
  const sql = template.replace('/*filters*/', conditions).replace(NAMED, (_m, name: string) => {
    if (!(name in values)) throw new Error(`store: unknown list parameter $${name}`);
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}`;
  });
  return { sql, params: order.map((n) => values[n]) };
}

/** Clauses shared by both lists: the time filters and the keyset position, over a time column. */
export function timeClauses(column: string, id: string): ClauseTable {
  return [
    { applies: (f) => f.since !== null, sql: `${column} >= $since::timestamptz` },
    { applies: (f) => f.until !== null, sql: `${column} < $until::timestamptz` },
    {
      applies: (f) => f.after !== null && 'us' in f.after,
      sql: `(${column}, ${id}) < (timestamptz 'epoch' + $afterUs::int8 * interval '1 microsecond', $afterId::int8)`,
    },
  ];
}
