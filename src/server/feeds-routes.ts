// The combined feed and the per-topic feeds, in RSS 2.0, Atom 1.0 and JSON Feed 1.1.
import { Router, type Request } from 'express';
import { NotFoundError } from '../errors.js';
import { listItems } from '../store/views-items.js';
import { findTopic } from '../store/views-catalog.js';
import { listCoverage, listStories, listStoryTopics } from '../store/views-stories.js';
import type { TopicView } from '../store/views.js';
import { itemEntry, newestUpdate, storyEntry, tagUri, type EntryContext, type FeedDocument, type FeedEntry } from './feed-entries.js';
import { renderFeed } from './feed-render.js';
import { feedQuery, parseQuery, readQuery, toListFilter, topicFeedQuery } from './params.js';
import { CACHE_CONTROL, cachedRoute, type Rendered, type VersionWatch } from './respond.js';
import type { ServerContext } from './types.js';

const DEFAULT_ENTRIES = 50;
/** Articles listed in one story entry; the rest are a link away. */
const COVERAGE_PER_ENTRY = 30;

const FORMATS = {
  xml: { contentType: 'application/rss+xml; charset=utf-8' },
  atom: { contentType: 'application/atom+xml; charset=utf-8' },
  json: { contentType: 'application/feed+json; charset=utf-8' },
} as const;

type FormatName = keyof typeof FORMATS;

type FeedParams = ReturnType<typeof parseQuery<typeof feedQuery>>;

async function storyEntries(ctx: ServerContext, base: EntryContext, params: FeedParams): Promise<FeedEntry[]> {
  const stories = await listStories(ctx.db, toListFilter(params, DEFAULT_ENTRIES), ctx.now());
  const coverage = await listCoverage(ctx.db, stories.map((s) => s.id), COVERAGE_PER_ENTRY);
  return stories.map((s) => storyEntry(base, s, coverage.get(s.id) ?? []));
}

async function itemEntries(ctx: ServerContext, base: EntryContext, params: FeedParams): Promise<FeedEntry[]> {
  const items = await listItems(ctx.db, toListFilter({ ...params, sort: 'latest' }, DEFAULT_ENTRIES));
  const storyIds = [...new Set(items.flatMap((i) => (i.storyId === null ? [] : [i.storyId])))];
  const topics = await listStoryTopics(ctx.db, storyIds);
  return items.map((i) => itemEntry(base, i, i.storyId === null ? [] : (topics.get(i.storyId) ?? [])));
}

function describe(topic: TopicView | null, params: FeedParams): { title: string; description: string } {
  const what = params.view === 'items' ? 'every article' : 'top stories';
  const filters = [params.outlet && `outlet ${params.outlet}`, params.q && `matching “${params.q}”`, params.min_sources && `from at least ${params.min_sources} outlets`]
    .filter(Boolean)
    .join(', ');
  const title = `Storyline: ${topic ? `${topic.name}, ` : ''}${what}${filters ? ` (${filters})` : ''}`;
  const order = params.sort === 'latest' ? 'newest activity first' : 'the most widely and most recently covered first';
  const description = params.view === 'items' ? 'Every article Storyline gathered, newest first, each naming its outlet.' : `News stories as several outlets cover them, ${order}.`;
  return { title, description };
}

async function buildDocument(ctx: ServerContext, req: Request, topic: TopicView | null, params: FeedParams): Promise<FeedDocument> {
  const base = ctx.baseUrl(req);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  const path = topic ? `/topics/${encodeURIComponent(topic.slug)}/feed` : '/feed';
  const filtered = topic ? { ...params, topic: topic.slug } : params;
  const entryContext = { base, authority: ctx.idAuthority };
  const entries = params.view === 'items' ? await itemEntries(ctx, entryContext, filtered) : await storyEntries(ctx, entryContext, filtered);
  return {
    id: tagUri(ctx.idAuthority, `feed${path}${query}`),
    ...describe(topic, params),
    links: {
      html: topic ? `${base}/topics/${encodeURIComponent(topic.slug)}` : `${base}/`,
      rss: `${base}${path}.xml${query}`,
      atom: `${base}${path}.atom${query}`,
      json: `${base}${path}.json${query}`,
      topics: `${base}/topics`,
    },
    updated: newestUpdate(entries, ctx.now()),
    entries,
  };
}

function renderer(ctx: ServerContext, format: FormatName, perTopic: boolean): (req: Request) => Promise<Rendered> {
  return async (req) => {
    const raw = readQuery(req.originalUrl);
    const params: FeedParams = perTopic ? parseQuery(topicFeedQuery, raw) : parseQuery(feedQuery, raw);
    let topic: TopicView | null = null;
    if (perTopic) {
      topic = await findTopic(ctx.db, String(req.params.slug));
      if (!topic) throw new NotFoundError(`topic ${String(req.params.slug)}`);
    }
    const doc = await buildDocument(ctx, req, topic, params);
    return { body: await renderFeed(format, doc), contentType: FORMATS[format].contentType, lastModified: doc.entries.length > 0 ? doc.updated : null };
  };
}

/** GET /feed.xml|.atom|.json and /topics/:slug/feed.xml|.atom|.json */
export function feedsRoutes(ctx: ServerContext, watch: VersionWatch): Router {
  const router = Router();
  for (const format of Object.keys(FORMATS) as FormatName[]) {
    router.get(`/feed.${format}`, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.feed, renderer(ctx, format, false)));
    router.get(`/topics/:slug/feed.${format}`, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.feed, renderer(ctx, format, true)));
  }
  return router;
}
