// The pages people look at: top stories, a page per topic, per story and per storyline. Server-rendered HTML.
import { Router, type Request, type RequestHandler } from 'express';
import { NotFoundError } from '../../errors.js';
import { listFeedReports } from '../../store/feeds.js';
import type { Story } from '../../model.js';
import {
  findTopic,
  getStory,
  getStoryline,
  type ListFilter,
  listStories,
  listStorylinesOfStories,
  listTopics,
  type StorylineRef,
} from '../../store/read/index.js';
import { nextLink } from '../api/json.js';
import { feedsPage, noStoriesMessage } from './feeds-page.js';
import { renderPage } from './layout.js';
import { html, plural } from '../html.js';
import { storyList } from './story-card.js';
import { storyPage } from './story-page.js';
import { groupedStoryList } from './storyline-groups.js';
import { storylineFeedPath, storylinePage } from './storyline-page.js';
import {
  encodeCursor,
  noQuery,
  pageQuery,
  parseId,
  parseQuery,
  readQuery,
  toListFilter,
  topicPageQuery,
} from '../params.js';
import { CACHE_CONTROL, cachedRoute, type Rendered, type VersionWatch } from '../cache/respond.js';
import type { ServerContext } from '../types.js';

const HTML_TYPE = 'text/html; charset=utf-8';
const STORIES_PER_PAGE = 30;
const TOPICS_IN_NAV = 12;

const newest = (shown: Array<{ updatedAt: Date }>): Date | null =>
  shown.reduce<Date | null>((max, s) => (!max || s.updatedAt > max ? s.updatedAt : max), null);

/** One page of stories plus the relative link to the next. */
async function storiesPage(
  ctx: ServerContext,
  req: Request,
  filter: ListFilter,
): Promise<{ stories: Story[]; next: string | null }> {
  const rows = await listStories(ctx.db, { ...filter, limit: filter.limit + 1 }, ctx.now());
  const stories = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  const next = more ? nextLink('', req.originalUrl, encodeCursor(stories[stories.length - 1]!.position)) : null;
  return { stories, next };
}

function homePage(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const params = parseQuery(pageQuery, readQuery(req.originalUrl));
    const [{ stories, next }, topics] = await Promise.all([
      storiesPage(ctx, req, toListFilter(params, STORIES_PER_PAGE)),
      listTopics(ctx.db, TOPICS_IN_NAV),
    ]);
    const storylines = await listStorylinesOfStories(
      ctx.db,
      stories.map((s) => s.id),
    );
    const latest = params.sort === 'latest';
    const heading = params.q ? `Stories matching “${params.q}”` : latest ? 'Latest stories' : 'Top stories';
    // No story at all: the page tells what the feeds are doing, which moves without the news data,
    // so that answer is not cached.
    const unfiltered =
      !params.q && !params.cursor && !params.topic && !params.outlet && !params.since && !params.min_sources;
    const empty = stories.length === 0 && unfiltered ? noStoriesMessage(await listFeedReports(ctx.db)) : null;
    const other = latest ? html`<a href="/">Top stories</a>` : html`<a href="/?sort=latest">Latest</a>`;
    const main = html`<h1>${heading}</h1><p class="meta">${other}</p>${empty ?? groupedStoryList(stories, storylines, next, 'No stories match.')}`;
    const body = renderPage(
      {
        title: params.q ? `${heading} — Storyline` : `Storyline — ${latest ? 'latest stories' : 'top stories'}`,
        description: 'News stories as several outlets cover them.',
        feeds: { title: 'Storyline: top stories', path: '/feed' },
        topics,
        q: params.q,
      },
      main,
    );
    return {
      body,
      contentType: HTML_TYPE,
      lastModified: newest([...stories, ...storylines.values()]),
      ...(empty ? { noStore: true } : {}),
    };
  };
}

function topicPage(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    const params = parseQuery(topicPageQuery, readQuery(req.originalUrl));
    const topic = await findTopic(ctx.db, String(req.params.slug));
    if (!topic) throw new NotFoundError(`topic ${String(req.params.slug)}`);
    const filter = toListFilter({ ...params, topic: topic.slug }, STORIES_PER_PAGE);
    const [{ stories, next }, topics] = await Promise.all([
      storiesPage(ctx, req, filter),
      listTopics(ctx.db, TOPICS_IN_NAV),
    ]);
    const main = html`<h1>${topic.name}</h1><p class="meta">${topic.kind} · ${plural(topic.stories, 'story', 'stories')}</p>${storyList(stories, next, 'No stories on this topic yet.')}`;
    const path = `/topics/${encodeURIComponent(topic.slug)}/feed`;
    const body = renderPage(
      {
        title: `${topic.name} — Storyline`,
        description: `News stories about ${topic.name}.`,
        feeds: { title: `Storyline: ${topic.name}`, path },
        topics,
      },
      main,
    );
    return { body, contentType: HTML_TYPE, lastModified: newest(stories) };
  };
}

function storyPageRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    const id = parseId(String(req.params.id), 'story id');
    const [story, storylines, topics] = await Promise.all([
      getStory(ctx.db, id),
      listStorylinesOfStories(ctx.db, [id]),
      listTopics(ctx.db, TOPICS_IN_NAV),
    ]);
    if (!story) throw new NotFoundError(`story ${id}`);
    if (story.mergedInto !== null)
      return {
        body: '',
        contentType: HTML_TYPE,
        lastModified: story.updatedAt,
        location: `/stories/${story.mergedInto}`,
      };
    const storyline: StorylineRef | null = storylines.get(id) ?? null;
    const body = renderPage(
      {
        title: `${story.headline} — Storyline`,
        description: story.summary || story.headline,
        feeds: { title: 'Storyline: top stories', path: '/feed' },
        topics,
      },
      storyPage(story, storyline),
    );
    return { body, contentType: HTML_TYPE, lastModified: newest([story, ...(storyline ? [storyline] : [])]) };
  };
}

function storylinePageRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    const id = parseId(String(req.params.id), 'storyline id');
    const [storyline, topics] = await Promise.all([getStoryline(ctx.db, id), listTopics(ctx.db, TOPICS_IN_NAV)]);
    if (!storyline) throw new NotFoundError(`storyline ${id}`);
    if (storyline.mergedInto !== null)
      return {
        body: '',
        contentType: HTML_TYPE,
        lastModified: storyline.updatedAt,
        location: `/storylines/${storyline.mergedInto}`,
      };
    const shell = {
      title: `${storyline.title} — Storyline`,
      description: `The stories of ${storyline.title}, in the order they broke.`,
      feeds: { title: `Storyline: ${storyline.title}`, path: storylineFeedPath(id) },
      topics,
    };
    return {
      body: renderPage(shell, storylinePage(storyline)),
      contentType: HTML_TYPE,
      lastModified: newest([storyline, ...storyline.stories]),
    };
  };
}

function feedsPageRoute(ctx: ServerContext) {
  return async (req: Request): Promise<Rendered> => {
    parseQuery(noQuery, readQuery(req.originalUrl));
    // No topic navigation: topics are news data, and this page is cached with the feeds' (scope 'feeds').
    const reports = await listFeedReports(ctx.db);
    const body = renderPage(
      {
        title: 'Feeds — Storyline',
        description: 'Every feed Storyline reads, with its health.',
        feeds: { title: 'Storyline: top stories', path: '/feed' },
        topics: [],
      },
      feedsPage(reports),
    );
    return { body, contentType: HTML_TYPE, lastModified: null };
  };
}

/** Marks the request so errors come back as an HTML page. */
const asPage: RequestHandler = (_req, res, next) => {
  res.locals.html = true;
  next();
};

/** GET /, /topics/:slug, /stories/:id, /storylines/:id, /feeds */
export function pagesRoutes(ctx: ServerContext, watch: VersionWatch): Router {
  const router = Router();
  router.get('/', asPage, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.page, homePage(ctx)));
  router.get('/topics/:slug', asPage, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.page, topicPage(ctx)));
  router.get('/stories/:id', asPage, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.page, storyPageRoute(ctx)));
  router.get('/storylines/:id', asPage, cachedRoute(ctx, watch, 'news', CACHE_CONTROL.page, storylinePageRoute(ctx)));
  router.get('/feeds', asPage, cachedRoute(ctx, watch, 'feeds', CACHE_CONTROL.list, feedsPageRoute(ctx)));
  return router;
}
