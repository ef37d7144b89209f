// The normalise stage: ParsedFeed → Item[]. Pure: the feed's URL and `now` are passed in.
// Identity and dates are worked out for every entry first (cheap); duplicates are dropped (first wins)
// and only the newest `maxItems` are then cleaned and sanitised (the expensive part).
import type { Item, ParsedFeed, ParsedItem } from '../model.js';
import { parseDate, type ParsedDate } from './date.js';
import { itemKey } from './identity.js';
import { buildItem } from './item.js';
import { resolveBaseUrl, resolveLink } from './url.js';

export { canonicalizeUrl, resolveUrl } from './url.js';
export { parseDate } from './date.js';
export { toPlainText } from './text.js';
export { sanitizeContent } from './content.js';
export { itemKey, contentHash, sha256 } from './identity.js';
export { normalizeFeedTitle, normalizeSource } from './source.js';

export interface NormalizeContext {
  /** The URL the document was fetched from (after redirects): the last resort for relative links. */
  feedUrl: string;
  now: Date;
  /** Most items kept; when the feed has more, the newest are kept. */
  maxItems: number;
}

interface Candidate {
  parsed: ParsedItem;
  key: string;
  base: string | null;
  link: { url: string; canonical: string } | null;
  published: ParsedDate;
  index: number;
}

/**
 * The link as identity: its canonical form plus its fragment, because some feeds give every entry the
 * same page with a different #anchor (newsletters, changelogs: real/broken-dates/feeder-rss_nixers_newsletter.xml).
 */
function identityUrl(link: { url: string; canonical: string } | null): string | null {
  if (link === null) return null;
  // A serialised URL's first '#' starts its fragment.
  const hash = link.url.indexOf('#');
  return hash === -1 || hash === link.url.length - 1 ? link.canonical : link.canonical + link.url.slice(hash);
}

function toCandidate(parsed: ParsedItem, feedBase: string | null, now: Date, index: number): Candidate {
  const base = resolveBaseUrl(parsed.baseUrl, feedBase);
  const link = resolveLink(parsed.link, base);
  const key = itemKey({
    guid: parsed.guid,
    canonicalUrl: identityUrl(link),
    title: parsed.title,
    published: parsed.published,
  });
  const published = parseDate(parsed.published ?? parsed.updated, now);
  return { parsed, key, base, link, published, index };
}

/** The newest `max` candidates, in document order. */
function selectNewest(candidates: Candidate[], max: number): Candidate[] {
  if (candidates.length <= max) return candidates;
  const newest = [...candidates].sort(
    (a, b) => b.published.date.getTime() - a.published.date.getTime() || a.index - b.index,
  );
  return newest.slice(0, Math.max(0, max)).sort((a, b) => a.index - b.index);
}

/** Normalises a parsed feed's entries into items ready to store. */
export function normalizeItems(feed: ParsedFeed, context: NormalizeContext): Item[] {
  const feedBase = resolveBaseUrl(feed.baseUrl, context.feedUrl);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  feed.items.forEach((parsed, index) => {
    const candidate = toCandidate(parsed, feedBase, context.now, index);
    if (seen.has(candidate.key)) return;
    seen.add(candidate.key);
    candidates.push(candidate);
  });
  return selectNewest(candidates, context.maxItems).map((c) =>
    buildItem(c.parsed, { key: c.key, base: c.base, link: c.link, published: c.published, now: context.now }),
  );
}
