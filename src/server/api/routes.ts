// The JSON API for programs: stories, storylines, items, topics, outlets, feeds, search, and its OpenAPI document.
import { Router, type Request } from 'express';
import { NotFoundError } from '../../errors.js';
import { hideCredentials } from '../../redact.js';
import type { Position } from '../../model.js';
import {
  findTopic,
  getStory,
  getStoryline,
  listItems,
  listOutlets,
  listStories,
  listStorylines,
  listStorylinesOfStories,
  listTopics,
  readFeedReportsDocument,
  searchItems,
} from '../../store/read/index.js';
import { listSources, readSourcesVersion } from '../../store/feeds.js';
import { writeOpmlAsync } from '../../sources/opml-async.js';
import {
  itemJson,
  nextLink,
  outletJson,
  searchHitJson,
  storyDetailJson,
  storyJson,
  storylineDetailJson,
  storylineJson,
  topicJson,
} from './json.js';
import { openApiDocument } from './openapi.js';
import {
  encodeCursor,
  encodeOffsetCursor,
  itemListQuery,
  listQuery,
  noQuery,
  pageOnlyQuery,
  parseId,
  parseQuery,
  readQuery,
  searchQuery,
  storylineListQuery,
  toListFilter,
  toStorylineFilter,
  topicsQuery,
} from '../params.js';
import { CACHE_CONTROL, cachedRoute, type Rendered, type VersionWatch } from '../cache/respond.js';
import type { ServerContext } from '../types.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_PAGE = 20;

const newest = (times: Array<Date | null>): Date | null =>
  times.reduce<Date | null>((max, t) => (t && (!max || t > max) ? t : max), null);

const json = (value: unknown, lastModified: Date | null): Rendered => ({
  body: JSON.stringify(value),
  contentType: JSON_TYPE,
  lastModified,
});

/** Asks for one row more than the page: its presence means there is a next page. */
function page<T extends { position: Position }>(rows: T[], limit: number): { rows: T[]; cursor: string | null } {
  if (rows.length <= limit) return { rows, cursor: null };
  const shown = rows.slice(0, limit);
  return { rows: shown, cursor: encodeCursor(shown[shown.length - 1]!.position) };
}

function storiesRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const filter = toListFilter(parseQuery(listQuery, readQuery(req.originalUrl)), DEFAULT_PAGE);
    const base = ctx.baseUrl(req);
    const { rows, cursor } = page(
      await listStories(ctx.db, { ...filter, limit: filter.limit + 1 }, ctx.now()),
      filter.limit,
    );
    return json(
      { stories: rows.map((s) => storyJson(base, s)), next: nextLink(base, req.originalUrl, cursor) },
      newest(rows.map((s) => s.updatedAt)),
    );
  };
}

function storyRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    const id = parseId(String(req.params.id), 'story id');
    const [story, storylines] = await Promise.all([getStory(ctx.db, id), listStorylinesOfStories(ctx.db, [id])]);
    if (!story) throw new NotFoundError(`story ${id}`);
    const base = ctx.baseUrl(req);
    // A merged story's id keeps resolving: to the story it joined.
    if (story.mergedInto !== null)
      return {
        ...json({ mergedInto: story.mergedInto }, story.updatedAt),
        location: `${base}/api/stories/${story.mergedInto}`,
      };
    const storyline = storylines.get(id) ?? null;
    return json(storyDetailJson(base, story, storyline), newest([story.updatedAt, storyline?.updatedAt ?? null]));
  };
}

function storylinesRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const filter = toStorylineFilter(parseQuery(storylineListQuery, readQuery(req.originalUrl)), DEFAULT_PAGE);
    const base = ctx.baseUrl(req);
    const { rows, cursor } = page(await listStorylines(ctx.db, { ...filter, limit: filter.limit + 1 }), filter.limit);
    return json(
      { storylines: rows.map((l) => storylineJson(base, l)), next: nextLink(base, req.originalUrl, cursor) },
      newest(rows.map((l) => l.updatedAt)),
    );
  };
}

function storylineRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    const id = parseId(String(req.params.id), 'storyline id');
    const storyline = await getStoryline(ctx.db, id);
    if (!storyline) throw new NotFoundError(`storyline ${id}`);
    const base = ctx.baseUrl(req);
    // A merged storyline's id keeps resolving, as a merged story's does: to the live storyline at the end of its merges.
    if (storyline.mergedInto !== null)
      return {
        ...json({ mergedInto: storyline.mergedInto }, storyline.updatedAt),
        location: `${base}/api/storylines/${storyline.mergedInto}`,
      };
    return json(
      storylineDetailJson(base, storyline),
      newest([storyline.updatedAt, ...storyline.stories.map((s) => s.updatedAt)]),
    );
  };
}

function itemsRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const filter = toListFilter(
      { ...parseQuery(itemListQuery, readQuery(req.originalUrl)), sort: 'latest' },
      DEFAULT_PAGE,
    );
    const { rows, cursor } = page(await listItems(ctx.db, { ...filter, limit: filter.limit + 1 }), filter.limit);
    return json(
      { items: rows.map(itemJson), next: nextLink(ctx.baseUrl(req), req.originalUrl, cursor) },
      newest(rows.map((i) => i.changedAt)),
    );
  };
}

function topicsRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const { limit } = parseQuery(topicsQuery, readQuery(req.originalUrl));
    const topics = await listTopics(ctx.db, limit ?? 100);
    const base = ctx.baseUrl(req);
    return json({ topics: topics.map((t) => topicJson(base, t)) }, newest(topics.map((t) => t.lastSeenAt)));
  };
}

function topicRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const params = parseQuery(pageOnlyQuery, readQuery(req.originalUrl));
    const topic = await findTopic(ctx.db, String(req.params.slug));
    if (!topic) throw new NotFoundError(`topic ${String(req.params.slug)}`);
    const base = ctx.baseUrl(req);
    const filter = toListFilter({ ...params, topic: topic.slug }, DEFAULT_PAGE);
    const { rows, cursor } = page(
      await listStories(ctx.db, { ...filter, limit: filter.limit + 1 }, ctx.now()),
      filter.limit,
    );
    const body = {
      topic: topicJson(base, topic),
      stories: rows.map((s) => storyJson(base, s)),
      next: nextLink(base, req.originalUrl, cursor),
    };
    return json(body, newest([topic.lastSeenAt, ...rows.map((s) => s.updatedAt)]));
  };
}

function outletsRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    const outlets = await listOutlets(ctx.db);
    return json({ outlets: outlets.map(outletJson) }, newest(outlets.map((o) => o.lastPublishedAt)));
  };
}

function searchRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const { q, limit = DEFAULT_PAGE, cursor: offset = 0 } = parseQuery(searchQuery, readQuery(req.originalUrl));
    const hits = await searchItems(ctx.db, q.trim(), limit + 1, offset);
    const more = hits.length > limit;
    const shown = hits.slice(0, limit);
    const next = more ? nextLink(ctx.baseUrl(req), req.originalUrl, encodeOffsetCursor(offset + limit)) : null;
    return json({ query: q, results: shown.map(searchHitJson), next }, newest(shown.map((h) => h.changedAt)));
  };
}

function feedsRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    // Written by the database: the same document as feedReportJson over listFeedReports, without its cost.
    const { body, lastFetchedAt } = await readFeedReportsDocument(ctx.db);
    return { body, contentType: JSON_TYPE, lastModified: lastFetchedAt };
  };
}

function opmlRoute(ctx: ServerContext) {
  // The last export written, by the sources version it was read at: every fetch drops the feeds
  // scope's cache, but the sources rarely change, and 5,000 feeds take 100 ms and more to write.
  let written: { version: string; body: string } | null = null;
  const write = async (): Promise<string> => {
    // Read before the sources: a change between the two only makes the next request write again.
    const version = await readSourcesVersion(ctx.db);
    if (written?.version === version) return written.body;
    // Public: the export shows each feed without the credentials its URL may carry.
    const sources = (await listSources(ctx.db)).map((source) => ({ ...source, url: hideCredentials(source.url) }));
    // dateCreated is the epoch so the document (and its ETag) changes only when the sources do.
    const body = await writeOpmlAsync(sources, { title: 'Storyline sources', now: new Date(0) });
    written = { version, body };
    return body;
  };
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    return { body: await write(), contentType: 'text/x-opml; charset=utf-8', lastModified: null };
  };
}

function openApiRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    return json(openApiDocument(ctx.baseUrl(req)), null);
  };
}

/** GET /api/… (the admin endpoints are in admin-routes.ts). */
export function apiRoutes(ctx: ServerContext, watch: VersionWatch): Router {
  const router = Router();
  const news = (path: string, cacheControl: string, render: (req: Request) => Promise<Rendered>) =>
    router.get(path, cachedRoute(ctx, watch, 'news', cacheControl, render));
  news('/api/stories', CACHE_CONTROL.list, storiesRoute(ctx));
  news('/api/stories/:id', CACHE_CONTROL.detail, storyRoute(ctx));
  news('/api/storylines', CACHE_CONTROL.list, storylinesRoute(ctx));
  news('/api/storylines/:id', CACHE_CONTROL.detail, storylineRoute(ctx));
  news('/api/items', CACHE_CONTROL.list, itemsRoute(ctx));
  news('/api/topics', CACHE_CONTROL.list, topicsRoute(ctx));
  news('/api/topics/:slug', CACHE_CONTROL.list, topicRoute(ctx));
  news('/api/outlets', CACHE_CONTROL.list, outletsRoute(ctx));
  news('/api/search', CACHE_CONTROL.list, searchRoute(ctx));
  news('/api/openapi.json', CACHE_CONTROL.document, openApiRoute(ctx));
  router.get('/api/feeds', cachedRoute(ctx, watch, 'feeds', CACHE_CONTROL.list, feedsRoute(ctx)));
  router.get('/api/feeds.opml', cachedRoute(ctx, watch, 'feeds', CACHE_CONTROL.list, opmlRoute(ctx)));
  return router;
}
