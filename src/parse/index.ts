// The parse stage: a decoded feed body → ParsedFeed. XML (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) goes through
// xml/ (the safety gate, then the tree), rss-parser (rss-atom/rss-parser-run.ts) and the rss-atom/ mapping;
// JSON Feed is read directly (json-feed.ts). Text fields stay HTML as the feed wrote them: normalising makes text.
// Every failure is a ParseError saying why; nothing in a document can cause network or file access.
import { ParseError, describeError } from '../errors.js';
import type { ParsedFeed } from '../model.js';
import { parseJsonFeed } from './json-feed.js';
import { runRssParser } from './rss-atom/rss-parser-run.js';
import { prepareXml } from './xml/document.js';
import { mapXmlFeed } from './rss-atom/feed.js';

/** Entries read from one document when the caller does not say (later ones are never parsed). */
export const DEFAULT_MAX_PARSED_ITEMS = 5000;

export interface ParseOptions {
  /** Stop reading after this many entries (bounds time and memory on huge documents). */
  maxItems?: number;
}

/** Where the markup starts: an XML declaration within the first 4 KB (junk before it is dropped), else the first '<'. */
function markupStart(text: string): number {
  const declaration = text.slice(0, 4096).search(/<\?xml\s/);
  return declaration >= 0 ? declaration : text.indexOf('<');
}

function firstLine(err: unknown): string {
  return describeError(err).split('\n')[0]!.slice(0, 200);
}

async function parseXmlFeed(text: string, maxItems: number): Promise<ParsedFeed> {
  const start = markupStart(text);
  if (start === -1) throw new ParseError('not a feed (no markup)');
  const prepared = prepareXml(text.slice(start), maxItems);
  let raw;
  try {
    raw = await runRssParser(prepared.xml);
  } catch (err) {
    throw new ParseError(`not well-formed XML (${firstLine(err)})`, { cause: err });
  }
  return mapXmlFeed(raw, prepared.format);
}

/** Parses a feed body (already decoded to a string by the fetch stage). Rejects only with ParseError. */
export async function parseFeed(body: string, options: ParseOptions = {}): Promise<ParsedFeed> {
  const maxItems = Math.max(1, options.maxItems ?? DEFAULT_MAX_PARSED_ITEMS);
  const text = body.replace(/^[\uFEFF\s]+/, '');
  if (text === '') throw new ParseError('empty document');
  try {
    if (text[0] === '{' || text[0] === '[') return parseJsonFeed(text, maxItems);
    return await parseXmlFeed(text, maxItems);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError(`unreadable document (${firstLine(err)})`, { cause: err });
  }
}
