// JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/) → ParsedFeed. Plain-text fields are
// HTML-escaped so that every text field of a ParsedItem is HTML, as for XML feeds.
import { ParseError } from '../errors.js';
import type { ParsedFeed, ParsedItem } from '../model.js';
import { escapeHtmlText, MAX_PARSED_CATEGORIES, noHints } from './parsed-feed.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function escaped(value: unknown): string | null {
  const text = str(value);
  return text === null ? null : escapeHtmlText(text);
}

/** The first author's name: 1.1 `authors` array, else 1.0 `author` object. */
function authorOf(object: JsonObject): string | null {
  const authors = Array.isArray(object['authors']) ? object['authors'] : [object['author']];
  for (const author of authors) {
    const name = isObject(author) ? str(author['name']) : null;
    if (name !== null) return name.trim();
  }
  return null;
}

function tagsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_PARSED_CATEGORIES).flatMap((tag) => (str(tag) === null ? [] : [String(tag).trim()]));
}

function mapJsonItem(item: JsonObject, feedAuthor: string | null): ParsedItem {
  return {
    guid: str(item['id'])?.trim() ?? null,
    link: str(item['url'])?.trim() ?? str(item['external_url'])?.trim() ?? null,
    title: escaped(item['title']),
    summaryHtml: escaped(item['summary']),
    contentHtml: str(item['content_html']) ?? escaped(item['content_text']),
    author: authorOf(item) ?? feedAuthor,
    published: str(item['date_published'])?.trim() ?? null,
    updated: str(item['date_modified'])?.trim() ?? null,
    categories: tagsOf(item['tags']),
    imageUrl: str(item['image'])?.trim() ?? str(item['banner_image'])?.trim() ?? null,
    sourceName: null,
    sourceUrl: null,
    baseUrl: null,
  };
}

/** True for a JSON Feed: its version names jsonfeed.org (or, missing, it still has items and a feed URL). */
function isJsonFeed(data: unknown): data is JsonObject & { items: unknown[] } {
  if (!isObject(data) || !Array.isArray(data['items'])) return false;
  const version = data['version'];
  if (typeof version === 'string') return /^https?:\/\/jsonfeed\.org\/version\//i.test(version.trim());
  return version === undefined && (typeof data['feed_url'] === 'string' || typeof data['home_page_url'] === 'string');
}

/** Parses a JSON body; anything but a JSON Feed is a ParseError. */
export function parseJsonFeed(body: string, maxItems: number): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new ParseError(`not well-formed JSON (${(err as Error).message.slice(0, 120)})`, { cause: err });
  }
  if (!isJsonFeed(data)) throw new ParseError('not a feed (JSON that is not a JSON Feed)');
  const feedAuthor = authorOf(data);
  return {
    format: 'json',
    title: escaped(data['title']),
    siteUrl: str(data['home_page_url'])?.trim() ?? null,
    baseUrl: null,
    hints: noHints(),
    items: data.items
      .slice(0, maxItems)
      .filter(isObject)
      .map((item) => mapJsonItem(item, feedAuthor)),
  };
}
