// Adding a feed by URL, as the CLI and the admin API do: a page URL is replaced by the feed it
// advertises (autodiscovery), and the outlet defaults to the feed's own title.
import { InvalidInputError } from '../errors.js';
import { fetchFeed, type FetchOptions } from '../fetch/index.js';
import type { Feed, FeedSource } from '../model.js';
import { normalizeSource } from '../normalize/index.js';
import { parseFeed } from '../parse/index.js';
import { parseFeedUrl } from '../sources/feed-url.js';
import { discoverFeedUrls, looksLikeHtml } from '../sources/discover.js';
import type { Queryable } from '../store/db/db.js';
import { addFeed } from '../store/feeds.js';

export interface AddFeedInput {
  url: string;
  outlet?: string | null;
  section?: string | null;
}

/** Fetches the URL once to find the feed and its title, then stores it. */
export async function resolveFeedSource(input: AddFeedInput, options: FetchOptions): Promise<FeedSource> {
  // Not a URL at all: said at once, before any request.
  let url = parseFeedUrl(input.url);
  let result = await fetchFeed({ url, etag: null, lastModified: null }, options);
  if (result.body && looksLikeHtml(result.body)) {
    const [found] = discoverFeedUrls(result.body, result.finalUrl);
    if (!found) throw new InvalidInputError(`${input.url} is a web page that advertises no feed`, 'url');
    url = found;
    result = await fetchFeed({ url, etag: null, lastModified: null }, options);
  }
  const parsed = await parseFeed(result.body ?? '', { maxItems: 1 });
  const finalUrl = result.permanentUrl ?? url;
  // Names as given are plain text once normalised, as the sources file's are.
  return normalizeSource({
    url: finalUrl,
    outlet: input.outlet?.trim() || parsed.title?.trim() || new URL(finalUrl).hostname,
    section: input.section?.trim() || null,
    title: parsed.title,
    site: parsed.siteUrl,
    region: null,
  });
}

export async function addFeedFromUrl(
  q: Queryable,
  input: AddFeedInput,
  options: FetchOptions,
): Promise<{ feed: Feed; created: boolean }> {
  return addFeed(q, await resolveFeedSource(input, options));
}
