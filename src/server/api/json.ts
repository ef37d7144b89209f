// The read records (src/model.ts, store/read) → the API's JSON records (shapes in schemas.ts): ISO times, absolute links.
import type { FeedReport, Outlet, Story, Topic } from '../../model.js';
import { hideCredentials } from '../../redact.js';
import type {
  CoverageItem,
  SearchHit,
  StoredItem,
  StoryDetail,
  Storyline,
  StorylineDetail,
  StorylineRef,
} from '../../store/read/index.js';
import type {
  CoverageItemJson,
  FeedReportJson,
  ItemJson,
  OutletJson,
  SearchHitJson,
  StoryDetailJson,
  StorylineDetailJson,
  StorylineJson,
  StorylineRefJson,
  StoryJson,
  TopicJson,
} from './schemas.js';

const iso = (t: Date | null): string | null => (t ? t.toISOString() : null);

export function storyJson(base: string, s: Story): StoryJson {
  return {
    id: s.id,
    headline: s.headline,
    summary: s.summary,
    url: s.url,
    firstSeenAt: s.firstSeenAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    itemCount: s.itemCount,
    outletCount: s.outletCount,
    outlets: s.outlets.map((o) => ({ id: o.id, name: o.name, url: o.url, items: o.items })),
    topics: s.topics.map((t) => ({ slug: t.slug, name: t.name, kind: t.kind })),
    links: { self: `${base}/api/stories/${s.id}`, html: `${base}/stories/${s.id}` },
  };
}

export function itemJson(i: StoredItem): ItemJson {
  return {
    id: i.id,
    title: i.title,
    url: i.url,
    summary: i.summary,
    author: i.author,
    outlet: { id: i.outlet.id, name: i.outlet.name },
    source: i.source,
    publishedAt: i.publishedAt.toISOString(),
    dateEstimated: i.dateEstimated,
    categories: i.categories,
    storyId: i.storyId,
    copyOf: i.copyOf,
    duplicateOf: i.duplicateOf,
  };
}

const coverageJson = (i: CoverageItem): CoverageItemJson => ({
  ...itemJson(i),
  reason: i.reason,
  score: i.score,
  sharedTerms: i.sharedTerms,
});

export function storyDetailJson(base: string, s: StoryDetail, storyline: StorylineRef | null): StoryDetailJson {
  return {
    ...storyJson(base, s),
    mergedInto: s.mergedInto,
    items: s.items.map(coverageJson),
    storyline: storyline && storylineRefJson(base, storyline),
  };
}

const storylineLinks = (base: string, id: number) => ({
  self: `${base}/api/storylines/${id}`,
  html: `${base}/storylines/${id}`,
  feed: `${base}/storylines/${id}/feed.xml`,
});

export const storylineRefJson = (base: string, l: StorylineRef): StorylineRefJson => ({
  id: l.id,
  title: l.title,
  storyCount: l.storyCount,
  links: storylineLinks(base, l.id),
});

export function storylineJson(base: string, l: Storyline): StorylineJson {
  return {
    id: l.id,
    title: l.title,
    storyCount: l.storyCount,
    firstSeenAt: l.firstSeenAt.toISOString(),
    lastSeenAt: l.lastSeenAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
    itemCount: l.itemCount,
    outletCount: l.outletCount,
    topics: l.topics.map((t) => ({ slug: t.slug, name: t.name, kind: t.kind })),
    links: storylineLinks(base, l.id),
  };
}

export function storylineDetailJson(base: string, l: StorylineDetail): StorylineDetailJson {
  return {
    ...storylineJson(base, l),
    stories: l.stories.map((s) => storyJson(base, s)),
    days: l.days.map((d) => ({ day: d.day, items: d.items })),
  };
}

export function topicJson(base: string, t: Topic): TopicJson {
  const slug = encodeURIComponent(t.slug);
  return {
    slug: t.slug,
    name: t.name,
    kind: t.kind,
    stories: t.stories,
    lastSeenAt: iso(t.lastSeenAt),
    links: {
      self: `${base}/api/topics/${slug}`,
      html: `${base}/topics/${slug}`,
      feed: `${base}/topics/${slug}/feed.xml`,
    },
  };
}

export const outletJson = (o: Outlet): OutletJson => ({ ...o, lastPublishedAt: iso(o.lastPublishedAt) });

export const searchHitJson = (h: SearchHit): SearchHitJson => ({
  ...itemJson(h),
  rank: h.rank,
  storyHeadline: h.storyHeadline,
});

export function feedReportJson(r: FeedReport): FeedReportJson {
  return {
    ...r,
    url: hideCredentials(r.url),
    lastFetchedAt: iso(r.lastFetchedAt),
    lastSuccessAt: iso(r.lastSuccessAt),
    nextFetchAt: iso(r.nextFetchAt),
    failingSince: iso(r.failingSince),
  };
}

/** The URL of the next page (relative when base is ''): the same request with `cursor` set; null on the last. */
export function nextLink(base: string, originalUrl: string, cursor: string | null): string | null {
  if (cursor === null) return null;
  const url = new URL(originalUrl, 'http://localhost');
  url.searchParams.set('cursor', cursor);
  return `${base}${url.pathname}${url.search}`;
}
