// The small tables the XML rewrite consults: what a root element means, which elements carry a
// resolved xml:base, which hold Atom XHTML, which HTML elements never have an end tag.
import { ParseError } from '../../errors.js';
import type { FeedFormat } from '../../model.js';

const HTML_ROOTS = new Set([
  'html',
  'head',
  'body',
  'div',
  'p',
  'br',
  'b',
  'table',
  'script',
  'meta',
  'title',
  'h1',
  'center',
]);

/** The feed format a root element announces, or a ParseError saying what the document is instead. */
export function classifyRoot(local: string, namespace: string | undefined): Exclude<FeedFormat, 'json'> {
  const name = local.toLowerCase();
  if (name === 'rss') return 'rss';
  if (name === 'rdf') return 'rdf';
  if (name === 'feed') return 'atom';
  if (HTML_ROOTS.has(name) || namespace === 'http://www.w3.org/1999/xhtml')
    throw new ParseError('not a feed (HTML page)');
  if (name === 'svg') throw new ParseError('not a feed (SVG image)');
  if (name === 'opml') throw new ParseError('not a feed (OPML outline: import it as a sources file)');
  if (name === 'entry') throw new ParseError('not a feed (a single Atom entry document)');
  throw new ParseError(`not a feed (root element <${local.slice(0, 40)}>)`);
}

/** Elements that get the xml:base in force written on them, so extraction can read it off the element. */
export const BASE_CARRIERS = new Set([
  'channel',
  'feed',
  'item',
  'entry',
  'link',
  'content',
  'summary',
  'description',
  'encoded',
  'enclosure',
  'source',
  'origLink',
  'thumbnail',
  'image',
  'logo',
  'icon',
  'body',
]);

/** HTML elements without end tags, treated as empty when they appear in a feed's unescaped markup. */
export const VOID_ELEMENTS = new Set([
  'br',
  'hr',
  'img',
  'wbr',
  'area',
  'col',
  'input',
  'param',
  'embed',
  'track',
  'meta',
  'base',
]);

const TEXT_CONSTRUCTS = new Set(['content', 'summary', 'title', 'subtitle', 'tagline', 'rights', 'copyright', 'info']);

/**
 * An element holding inline XHTML: an Atom text construct with type="xhtml" (Atom 0.3: mode="xml"),
 * or an RSS item's <xhtml:body>.
 */
export function isXhtmlContainer(
  name: string,
  parentLocal: string,
  attributes: ReadonlyArray<readonly [string, string]>,
): boolean {
  if ((name === 'body' || name === 'xhtml:body') && parentLocal === 'item') return true;
  const local = name.slice(name.indexOf(':') + 1);
  if (!TEXT_CONSTRUCTS.has(local)) return false;
  const type = attributes
    .find(([key]) => key === 'type')?.[1]
    .trim()
    .toLowerCase();
  const mode = attributes
    .find(([key]) => key === 'mode')?.[1]
    .trim()
    .toLowerCase();
  return type === 'xhtml' || type === 'application/xhtml+xml' || mode === 'xml';
}

/** An xml:base value made absolute against the base in force around it, when that is possible. */
export function resolveBase(value: string, parent: string | null): string {
  const trimmed = value.trim();
  try {
    return new URL(trimmed, parent ?? undefined).href;
  } catch {
    return trimmed;
  }
}

const TEXT_ELEMENTS = new Set([
  'title',
  'description',
  'content:encoded',
  'summary',
  'content',
  'dc:title',
  'fullitem',
]);
const ENTRY_OR_FEED = new Set(['item', 'entry', 'channel', 'feed']);

/** An entry's or feed's text element, whose child elements (if any) are unescaped HTML. */
export function holdsMarkupText(name: string, parent: { local: string } | undefined): boolean {
  return parent !== undefined && TEXT_ELEMENTS.has(name) && ENTRY_OR_FEED.has(parent.local);
}
