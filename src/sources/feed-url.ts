// What may be stored as a feed's address: an absolute http(s) URL of reasonable length. Checked
// before anything is fetched or stored, wherever a URL comes in (OPML, the CLI, the admin API).
import { InvalidInputError } from '../errors.js';

/** Longer than any real feed URL; a btree index row (feeds.url) cannot hold much more. */
export const MAX_FEED_URL_CHARS = 2048;

/** `feed:` URLs (old Safari and Firefox exports) stand for http(s). */
function unwrapFeedScheme(raw: string): string {
  if (/^feed:https?:/i.test(raw)) return raw.slice('feed:'.length);
  if (/^feed:\/\//i.test(raw)) return `http://${raw.slice('feed://'.length)}`;
  return raw;
}

/** The URL, normalised; InvalidInputError (parameter "url") when it is not an absolute http(s) URL. */
export function parseFeedUrl(raw: string, label: string | null = null): string {
  const what = `feed ${label ? `"${label}" ` : ''}`;
  if (raw.length > MAX_FEED_URL_CHARS)
    throw new InvalidInputError(
      `${what}URL is ${raw.length} characters long; at most ${MAX_FEED_URL_CHARS} are accepted`,
      'url',
    );
  const url = URL.parse(unwrapFeedScheme(raw.trim()));
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidInputError(
      `${what}URL "${raw}" is not an absolute http(s) URL (such as https://example.org/feed.xml)`,
      'url',
    );
  }
  return url.href;
}
