// The combined feed, the per-topic feeds and the per-storyline feeds, in RSS 2.0, Atom 1.0 and JSON Feed 1.1.
import { Router, type Request } from 'express';
import { NotFoundError } from '../../errors.js';
import type { Topic } from '../../model.js';
import {
  findTopic,
  getStoryline,
  listCoverage,
  listItems,
  listStories,
  listStoryTopics,
  type StorylineDetail,
} from '../../store/read/index.js';
import {
  itemEntry,
  newestUpdate,
  storyEntry,
  tagUri,
  type EntryContext,
  type FeedDocument,
  type FeedEntry,
} from './entries.js';
import { renderFeed } from './render.js';
import { plural } from '../html.js';
import {
  feedQuery,
  parseId,
  parseQuery,
  readQuery,
  storylineFeedQuery,
  toListFilter,
  topicFeedQuery,
} from '../params.js';
import { CACHE_CONTROL, cachedRoute, type Rendered, type VersionWatch } from '../cache/respond.js';
import type { ServerContext } from '../types.js';

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

/** The request's query string with its "?", or '': a feed's own links keep its parameters. */
const queryOf = (req: Request): string =>
  req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';

async function storyEntries(ctx: ServerContext, base: EntryContext, params: FeedParams): Promise<FeedEntry[]> {
  const stories = await listStories(ctx.db, toListFilter(params, DEFAULT_ENTRIES), ctx.now());
  const coverage = await listCoverage(
    ctx.db,
    stories.map((s) => s.id),
    COVERAGE_PER_ENTRY,
  );
  return stories.map((s) => storyEntry(base, s, coverage.get(s.id) ?? []));
}

async function itemEntries(ctx: ServerContext, base: EntryContext, params: FeedParams): Promise<FeedEntry[]> {
  const items = await listItems(ctx.db, toListFilter({ ...params, sort: 'latest' }, DEFAULT_ENTRIES));
  const storyIds = [...new Set(items.flatMap((i) => (i.storyId === null ? [] : [i.storyId])))];
  const topics = await listStoryTopics(ctx.db, storyIds);
  return items.map((i) => itemEntry(base, i, i.storyId === null ? [] : (topics.get(i.storyId) ?? [])));
}

function describe(topic: Topic | null, params: FeedParams): { title: string; description: string } {
  const what = params.view === 'items' ? 'every article' : 'top stories';
  const filters = [
    params.outlet && `outlet ${params.outlet}`,
    params.q && `matching “${params.q}”`,
    params.min_sources && `from at least ${params.min_sources} outlets`,
  ]
    .filter(Boolean)
    .join(', ');
  const title = `Storyline: ${topic ? `${topic.name}, ` : ''}${what}${filters ? ` (${filters})` : ''}`;
  const order = params.sort === 'latest' ? 'newest activity first' : 'the most widely and most recently covered first';
  const description =
    params.view === 'items'
      ? 'Every article Storyline gathered, newest first, each naming its outlet.'
      : `News stories as several outlets cover them, ${order}.`;
  return { title, description };
}

async function buildDocument(
  ctx: ServerContext,
  req: Request,
  topic: Topic | null,
  params: FeedParams,
): Promise<FeedDocument> {
  const base = ctx.baseUrl(req);
  const query = queryOf(req);
  const path = topic ? `/topics/${encodeURIComponent(topic.slug)}/feed` : '/feed';
  const filtered = topic ? { ...params, topic: topic.slug } : params;
  const entryContext = { base, authority: ctx.idAuthority };
  const entries =
    params.view === 'items'
      ? await itemEntries(ctx, entryContext, filtered)
      : await storyEntries(ctx, entryContext, filtered);
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
    let topic: Topic | null = null;
    if (perTopic) {
      topic = await findTopic(ctx.db, String(req.params.slug));
      if (!topic) throw new NotFoundError(`topic ${String(req.params.slug)}`);
    }
    const doc = await buildDocument(ctx, req, topic, params);
    return {
      body: await renderFeed(format, doc),
      contentType: FORMATS[format].contentType,
      lastModified: doc.entries.length > 0 ? doc.updated : null,
    };
  };
}

/** A storyline's stories as entries, the latest to break first: a subscriber follows one situation. */
async function storylineDocument(
  ctx: ServerContext,
  req: Request,
  storyline: StorylineDetail,
  limit: number,
): Promise<FeedDocument> {
  const base = ctx.baseUrl(req);
  const query = queryOf(req);
  const path = `/storylines/${storyline.id}/feed`;
  const stories = [...storyline.stories].reverse().slice(0, limit);
  const coverage = await listCoverage(
    ctx.db,
    stories.map((s) => s.id),
    COVERAGE_PER_ENTRY,
  );
  const entries = stories.map((s) => storyEntry({ base, authority: ctx.idAuthority }, s, coverage.get(s.id) ?? []));
  return {
    id: tagUri(ctx.idAuthority, `feed${path}${query}`),
    title: `Storyline: ${storyline.title}`,
    description: `The stories of one running situation, ${plural(storyline.storyCount, 'story', 'stories')} so far, the latest first, each with its coverage.`,
    links: {
      html: `${base}/storylines/${storyline.id}`,
      rss: `${base}${path}.xml${query}`,
      atom: `${base}${path}.atom${query}`,
      json: `${base}${path}.json${query}`,
      topics: `${base}/topics`,
    },
    updated: newestUpdate(entries, ctx.now()),
    entries,
  };
}

function storylineRenderer(ctx: ServerContext, format: FormatName): (req: Request) => Promise<Rendered> {
  return async (req) => {
    const { limit = DEFAULT_ENTRIES } = parseQuery(storylineFeedQuery, readQuery(req.originalUrl));
    const id = parseId(String(req.params.id), 'storyline id');
    const storyline = await getStoryline(ctx.db, id);
    if (!storyline) throw new NotFoundError(`storyline ${id}`);
    const { contentType } = FORMATS[format];
    if (storyline.mergedInto !== null) {
      // A subscriber to a merged storyline follows the permanent redirect to the one it joined.
      const query = queryOf(req);
      return {
        body: '',
        contentType,
        lastModified: storyline.updatedAt,
        location: `${ctx.baseUrl(req)}/storylines/${storyline.mergedInto}/feed.${format}${query}`,
      };
    }
    const doc = await storylineDocument(ctx, req, storyline, limit);
    return {
      body: await renderFeed(format, doc),
      contentType,
      lastModified: doc.entries.length > 0 ? doc.updated : null,
    };
  };
}

/** GET /feed.xml|.atom|.json, /topics/:slug/feed.xml|.atom|.json and /storylines/:id/feed.xml|.atom|.json */
export function feedsRoutes(ctx: ServerContext, watch: VersionWatch): Router {
  const router = Router();
  for (const format of Object.keys(FORMATS) as FormatName[]) {
    router.get(`/feed.${format}`, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.feed, renderer(ctx, format, false)));
    router.get(
      `/topics/:slug/feed.${format}`,
      cachedRoute(ctx, watch, 'news', CACHE_CONTROL.feed, renderer(ctx, format, true)),
    );
    router.get(
      `/storylines/:id/feed.${format}`,
      cachedRoute(ctx, watch, 'news', CACHE_CONTROL.feed, storylineRenderer(ctx, format)),
    );
  }
  return router;
}
