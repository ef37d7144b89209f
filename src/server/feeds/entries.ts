// What every feed format says, decided once: one entry per story (its coverage as content, its
// topics as categories) or one per item. xml-feed.ts and json-feed.ts only spell it out.
import type { Story, TopicRef } from '../../model.js';
import type { CoverageItem, StoredItem } from '../../store/read/index.js';
import { html, plural, safeHref, timeTag, type SafeHtml } from '../html.js';

export interface FeedCategory {
  term: string;
  label: string;
}

export interface FeedEntry {
  /** Stable for the story's (or item's) life: a tag URI, not a location. */
  id: string;
  title: string;
  /** Always an absolute http(s) URL: the article, else our own page. */
  url: string;
  contentHtml: string;
  /** Plain text. */
  summary: string;
  published: Date;
  /** Moves when the coverage grows, so readers show the entry again only then. */
  updated: Date;
  categories: FeedCategory[];
  /** Outlet named on item entries. */
  author: string | null;
}

export interface FeedLinks {
  /** The HTML page this feed mirrors. */
  html: string;
  rss: string;
  atom: string;
  json: string;
  /** Where topic pages live: the categories' domain (RSS) and scheme (Atom). */
  topics: string;
}

export interface FeedDocument {
  id: string;
  title: string;
  description: string;
  links: FeedLinks;
  updated: Date;
  entries: FeedEntry[];
}

/** Where entries point (the request's public URL) and whose name their ids are minted under. */
export interface EntryContext {
  base: string;
  /** The configured public host: ids must not change with the Host a client happens to use. */
  authority: string;
}

/** Tag URIs (RFC 4151): identities, not locations, so they outlive a move of the server. */
export function tagUri(authority: string, path: string): string {
  return `tag:${authority},2025:storyline/${path}`;
}

const topicLinks = (baseUrl: string, topics: TopicRef[]): SafeHtml[] =>
  topics.map(
    (t, i) => html`${i > 0 ? ', ' : ''}<a href="${`${baseUrl}/topics/${encodeURIComponent(t.slug)}`}">${t.name}</a>`,
  );

const articleLink = (title: string, url: string | null): SafeHtml => {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${title}</a>` : html`${title}`;
};

function coverageLine(item: CoverageItem | StoredItem): SafeHtml {
  const via = item.source ? html` via ${item.outlet.name}` : '';
  const copy = item.copyOf !== null ? html` <em>(wire copy)</em>` : '';
  return html`<li>${articleLink(item.title, item.url)} — <strong>${item.source ?? item.outlet.name}</strong>${via}, ${timeTag(item.publishedAt)}${copy}</li>`;
}

/** The content of a story entry: summary, each outlet's article, topics, and our page. */
export function storyContent(baseUrl: string, story: Story, coverage: CoverageItem[]): string {
  const more = story.itemCount - coverage.length;
  return html`${story.summary ? html`<p>${story.summary}</p>` : ''}
<p>${plural(story.itemCount, 'article')} from ${plural(story.outletCount, 'outlet')}:</p>
<ul>${coverage.map(coverageLine)}</ul>${more > 0 ? html`<p>…and ${plural(more, 'more article')}.</p>` : ''}
${story.topics.length > 0 ? html`<p>Topics: ${topicLinks(baseUrl, story.topics)}</p>` : ''}
<p><a href="${`${baseUrl}/stories/${story.id}`}">All coverage on Storyline</a></p>`.value;
}

const categoriesOf = (topics: TopicRef[]): FeedCategory[] => topics.map((t) => ({ term: t.slug, label: t.name }));

export function storyEntry(
  { base: baseUrl, authority }: EntryContext,
  story: Story,
  coverage: CoverageItem[],
): FeedEntry {
  return {
    id: tagUri(authority, `story/${story.id}`),
    title: story.headline,
    url: safeHref(story.url) ?? `${baseUrl}/stories/${story.id}`,
    contentHtml: storyContent(baseUrl, story, coverage),
    summary: story.summary,
    // The news' own times: when the story broke, and its newest article (not when Storyline wrote the row).
    published: story.firstSeenAt,
    updated: story.lastSeenAt,
    categories: categoriesOf(story.topics),
    author: null,
  };
}

/** An item entry: its summary, the outlet that published it, and the story it belongs to. */
export function itemEntry({ base: baseUrl, authority }: EntryContext, item: StoredItem, topics: TopicRef[]): FeedEntry {
  const outlet = item.source ? `${item.source} via ${item.outlet.name}` : item.outlet.name;
  const story =
    item.storyId !== null ? html` <a href="${`${baseUrl}/stories/${item.storyId}`}">See the story’s coverage</a>.` : '';
  const content = html`${item.summary ? html`<p>${item.summary}</p>` : ''}
<p><strong>${outlet}</strong>, ${timeTag(item.publishedAt)}${item.copyOf !== null ? html` <em>(wire copy)</em>` : ''}.${story}</p>`;
  return {
    id: tagUri(authority, `item/${item.id}`),
    title: item.title,
    url: safeHref(item.url) ?? (item.storyId !== null ? `${baseUrl}/stories/${item.storyId}` : `${baseUrl}/`),
    contentHtml: content.value,
    summary: item.summary,
    published: item.publishedAt,
    // The article's own date: when Storyline stored it is no news to a reader.
    updated: item.publishedAt,
    categories: categoriesOf(topics),
    author: outlet,
  };
}

/** The newest update among the entries: the feed's own updated time, derived from the data. */
export function newestUpdate(entries: FeedEntry[], fallback: Date): Date {
  return entries.reduce((max, e) => (e.updated > max ? e.updated : max), entries.length > 0 ? new Date(0) : fallback);
}
