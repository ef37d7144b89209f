// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written directly: the `feed` package emits 1.0.
import type { FeedDocument, FeedEntry } from './entries.js';

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  date_published: string;
  date_modified: string;
  tags?: string[];
  authors?: Array<{ name: string }>;
}

function jsonItem(e: FeedEntry): JsonFeedItem {
  return {
    id: e.id,
    url: e.url,
    title: e.title,
    content_html: e.contentHtml,
    ...(e.summary ? { summary: e.summary } : {}),
    date_published: e.published.toISOString(),
    date_modified: e.updated.toISOString(),
    ...(e.categories.length > 0 ? { tags: e.categories.map((c) => c.label) } : {}),
    ...(e.author ? { authors: [{ name: e.author }] } : {}),
  };
}

/** The document as JSON Feed 1.1; JSON.stringify escapes everything a string can hold. */
export function renderJsonFeed(doc: FeedDocument): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: doc.title,
    home_page_url: doc.links.html,
    feed_url: doc.links.json,
    description: doc.description,
    language: 'en',
    authors: [{ name: 'Storyline' }],
    items: doc.entries.map(jsonItem),
  });
}
