// The RSS/Atom mapping: a channel's or Atom feed's raw nodes (from rss-parser-run.ts) and its entries → ParsedFeed.
import type { FeedFormat, ParsedFeed } from '../../model.js';
import type { RawXmlFeed } from './rss-parser-run.js';
import { authorName, mapXmlItem, textConstruct } from './item.js';
import { pickLink } from './links.js';
import { baseOf, firstOf } from './node.js';
import { readScheduleHints } from './schedule-hints.js';

export function mapXmlFeed(raw: RawXmlFeed, format: Exclude<FeedFormat, 'json'>): ParsedFeed {
  const { feed } = raw;
  const feedAuthor = format === 'atom' ? firstOf(feed['author'], authorName) : null;
  return {
    format,
    title: firstOf(feed['title'], (node) => textConstruct(node, format)),
    siteUrl: pickLink(feed['link'], feed['atom:link']),
    baseUrl: baseOf(feed['$']?.[0]),
    hints: readScheduleHints(feed),
    items: raw.items.map((item) => mapXmlItem(item, format, feedAuthor)),
  };
}
