// One RSS 2.0 document per feed of the demo dataset, as the outlet would have served it.
import { XMLBuilder } from 'fast-xml-parser';
import type { FeedSource } from '../model.js';
import type { DemoItem } from './dataset.js';

/** A demo feed ready to serve: its local path, its sources entry and its document. */
export interface DemoFeed {
  path: string;
  source: FeedSource;
  xml: string;
  /** Newest item's time: the document's Last-Modified. */
  updated: Date;
}

// fast-xml-parser escapes & < > " ' in text and attributes alike (the feed package's writer leaves & in attributes).
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  processEntities: true,
});

// Aggregators name each item's publisher in <source>; the feed itself is credited to the aggregator.
const AGGREGATOR_NAMES: Record<string, string> = { 'news.google.com': 'Google News' };

/** Groups items by their original feed URL and renders each group at `${origin}/feeds/<slug>.xml`. */
export function buildDemoFeeds(items: DemoItem[], origin: string): DemoFeed[] {
  const byFeed = new Map<string, DemoItem[]>();
  for (const item of items) {
    const list = byFeed.get(item.feedUrl);
    if (list) list.push(item);
    else byFeed.set(item.feedUrl, [item]);
  }
  const taken = new Set<string>();
  return [...byFeed].map(([feedUrl, feedItems]) =>
    buildDemoFeed(feedUrl, feedItems, uniqueSlug(feedUrl, taken), origin),
  );
}

function buildDemoFeed(feedUrl: string, items: DemoItem[], slug: string, origin: string): DemoFeed {
  const original = new URL(feedUrl);
  const publishers = new Set(items.map((i) => i.outlet));
  const isAggregator = publishers.size > 1 || Object.hasOwn(AGGREGATOR_NAMES, original.hostname);
  const outlet = isAggregator ? (AGGREGATOR_NAMES[original.hostname] ?? original.hostname) : items[0]!.outlet;
  const title = `${outlet} – ${original.hostname}${original.pathname}`;
  const site = `${original.protocol}//${original.hostname}/`;
  const newestFirst = [...items].sort((a, b) => b.published.getTime() - a.published.getTime());
  const updated = newestFirst[0]!.published;
  const path = `/feeds/${slug}.xml`;
  const xml = renderRss({
    title,
    site,
    selfUrl: origin + path,
    updated,
    items: newestFirst,
    credit: isAggregator ? feedUrl : null,
  });
  return { path, source: { url: origin + path, outlet, section: null, title, site, region: null }, xml, updated };
}

interface RssInput {
  title: string;
  site: string;
  selfUrl: string;
  updated: Date;
  items: DemoItem[];
  /** Set for aggregators: each item gets <source url=credit>publisher</source>. */
  credit: string | null;
}

function renderRss(input: RssInput): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      channel: {
        title: toXmlText(input.title),
        link: input.site,
        description: toXmlText(`Demo copy of ${input.title}, 5–9 May 2025`),
        'atom:link': { '@_href': input.selfUrl, '@_rel': 'self', '@_type': 'application/rss+xml' },
        lastBuildDate: input.updated.toUTCString(),
        generator: 'Storyline demo',
        item: input.items.map((item) => toRssItem(item, input.credit)),
      },
    },
  };
  return builder.build(document) as string;
}

function toRssItem(item: DemoItem, credit: string | null): Record<string, unknown> {
  return {
    title: toXmlText(item.title),
    link: item.url,
    guid: { '@_isPermaLink': 'false', '#text': item.id },
    description: toXmlText(item.summary),
    pubDate: item.published.toUTCString(), // RFC 822, as RSS 2.0 asks
    // The dataset names the publisher but not its site, so <source url> is the aggregator feed the item came from.
    ...(credit ? { source: { '@_url': credit, '#text': toXmlText(item.outlet) } } : {}),
  };
}

/** Drops the characters XML 1.0 cannot carry at all (escaping cannot save them). */
function toXmlText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** A readable, URL-safe name for a feed URL, unique among those already taken. */
function uniqueSlug(feedUrl: string, taken: Set<string>): string {
  const url = new URL(feedUrl);
  const base = `${url.hostname.replace(/^www\./, '')}${url.pathname}${url.search}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}
