// The feed operations the CLI and the admin API both offer: add by URL (a page URL is replaced by the
// feed it advertises), import an OPML file or document in batches, export as OPML, remove.
import fs from 'node:fs';
import { InvalidInputError, describeError } from '../errors.js';
import { fetchFeed, type FetchOptions } from '../fetch/index.js';
import type { Logger } from '../log.js';
import type { Feed, FeedSource } from '../model.js';
import { normalizeSource } from '../normalize/index.js';
import { parseFeed } from '../parse/index.js';
import { parseFeedUrl } from '../sources/feed-url.js';
import { discoverFeedUrls, looksLikeHtml } from '../sources/discover.js';
import { readOpml, writeOpml } from '../sources/opml.js';
import { readOpmlAsync } from '../sources/opml-async.js';
import type { Db, Queryable } from '../store/db/db.js';
import { addFeed, addFeeds, listSources, removeFeed } from '../store/feeds.js';

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

/** Adds the feed a URL names (or, for a page, advertises); `created` is false when it was present. */
export async function addFeedFromUrl(
  q: Queryable,
  input: AddFeedInput,
  options: FetchOptions,
): Promise<{ feed: Feed; created: boolean }> {
  return addFeed(q, await resolveFeedSource(input, options));
}

/** Feeds added per transaction by an import: each batch is a short transaction, then a pause. */
export const IMPORT_BATCH = 500;

/**
 * Adds every source not stored yet, in batches of IMPORT_BATCH, each its own transaction, yielding
 * between them so a large import never holds the database (or, embedded, the service) for long.
 */
export async function loadSources(
  db: Db,
  sources: FeedSource[],
  logger: Logger,
  onProgress?: (done: number, total: number) => void,
): Promise<{ added: number; existing: number }> {
  let added = 0;
  for (let start = 0; start < sources.length; start += IMPORT_BATCH) {
    const batch = sources.slice(start, start + IMPORT_BATCH).map(normalizeSource);
    const created = await db.transaction((tx) => addFeeds(tx, batch));
    for (const feed of created)
      logger.info({ feed_id: feed.id, feed_url: feed.url, outlet: feed.outlet }, 'feed added');
    added += created.length;
    const done = Math.min(sources.length, start + IMPORT_BATCH);
    if (sources.length > IMPORT_BATCH) logger.info({ done, total: sources.length, added }, 'sources import progress');
    onProgress?.(done, sources.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { added, existing: sources.length - added };
}

/** The feeds of an OPML file (at most maxFeeds); a failure names the file. */
export function readSourcesFile(file: string, maxFeeds: number): FeedSource[] {
  try {
    return readOpml(fs.readFileSync(file, 'utf8'), { maxFeeds });
  } catch (err) {
    throw new InvalidInputError(`${file}: ${describeError(err)}`);
  }
}

/** Imports an OPML document sent over HTTP: read off the serving thread, then added in batches. */
export async function importOpml(
  db: Db,
  xml: string,
  maxFeeds: number,
  logger: Logger,
): Promise<{ added: number; existing: number }> {
  return loadSources(db, await readOpmlAsync(xml, maxFeeds), logger);
}

/** Every feed as an OPML document (what `feeds export` writes and a reader imports). */
export async function exportOpml(db: Queryable, now: Date): Promise<string> {
  return writeOpml(await listSources(db), { title: 'Storyline sources', now });
}

/** Removes a feed and its items, by id or by URL; false when there is no such feed. */
export { removeFeed };
