// One RSS item or Atom entry (raw xml2js nodes) → ParsedItem. Strings stay as the feed wrote them,
// except that Atom plain-text constructs are HTML-escaped so every text field is HTML downstream.
import type { FeedFormat, ParsedItem } from '../../model.js';
import { escapeHtmlText, MAX_PARSED_CATEGORIES } from '../parsed-feed.js';
import { pickLink } from './links.js';
import { pickImage } from './media.js';
import {
  attributeOf,
  baseOf,
  childrenOf,
  fieldName,
  firstOf,
  firstText,
  textOf,
  trimmedTextOf,
  type RawFields,
} from './node.js';

const PUBLISHED_FIELDS = [
  'pubDate',
  'published',
  'dc:date',
  'issued',
  'created',
  'dcterms:issued',
  'dcterms:created',
  'atom:published',
];
const UPDATED_FIELDS = ['updated', 'modified', 'dcterms:modified', 'atom:updated'];
const HTML_TYPES = new Set(['html', 'text/html', 'xhtml', 'application/xhtml+xml']);
const TEXT_TYPES = new Set(['text', 'text/plain']);

function decodeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

/**
 * An Atom text construct as HTML (RFC 4287 §3.1; Atom 0.3 type/mode). Plain text is escaped, an
 * out-of-line (src) or non-text content gives null. In RSS every text element is already HTML.
 */
export function textConstruct(node: unknown, format: FeedFormat): string | null {
  let text = textOf(node);
  if (text === null || text.trim() === '') return null;
  if (format !== 'atom') return text;
  if (attributeOf(node, 'src') !== null) return null;
  const type = attributeOf(node, 'type')?.toLowerCase() ?? null;
  const mode = attributeOf(node, 'mode')?.toLowerCase() ?? null;
  if (mode === 'base64') text = decodeBase64(text);
  if (type !== null && HTML_TYPES.has(type)) return text;
  if (mode === 'escaped' && (type === null || !TEXT_TYPES.has(type))) return text;
  if (type === null || TEXT_TYPES.has(type) || type.startsWith('text/')) return escapeHtmlText(text);
  return null;
}

function firstConstruct(nodes: readonly unknown[] | undefined, format: FeedFormat): string | null {
  return firstOf(nodes, (node) => textConstruct(node, format));
}

/** Where entries keep their full content: content:encoded, Atom content, XHTML body, fullitem. */
const CONTENT_FIELDS = ['content:encoded', 'content', 'xhtml:body', 'body', 'fullitem'];

function firstOfFields(fields: RawFields, names: readonly string[], format: FeedFormat): string | null {
  for (const name of names) {
    const value = firstConstruct(fields[name], format);
    if (value !== null) return value;
  }
  return null;
}

function firstTrimmed(fields: RawFields, names: readonly string[]): string | null {
  for (const name of names) {
    const text = firstText(fields[name])?.trim();
    if (text) return text;
  }
  return null;
}

/** An author element's name: Atom <author><name>, else the element's text (RSS, Dublin Core). */
export function authorName(node: unknown): string | null {
  return trimmedTextOf(childrenOf(node, 'name')[0]) ?? trimmedTextOf(node);
}

function pickAuthor(fields: RawFields): string | null {
  return (
    firstOf(fields['dc:creator'], authorName) ??
    firstOf(fields['author'], authorName) ??
    firstOf(fields['itunes:author'], authorName)
  );
}

function pickCategories(fields: RawFields): string[] {
  const out: string[] = [];
  for (const node of [...(fields['category'] ?? []), ...(fields['dc:subject'] ?? [])]) {
    if (out.length >= MAX_PARSED_CATEGORIES) break;
    const name = attributeOf(node, 'label') ?? attributeOf(node, 'term') ?? trimmedTextOf(node);
    if (name !== null) out.push(name);
  }
  return out;
}

function pickGuid(fields: RawFields): { guid: string | null; permalink: string | null } {
  const node = fields['guid']?.find((n) => trimmedTextOf(n) !== null);
  const guid = trimmedTextOf(node) ?? firstTrimmed(fields, ['id']) ?? attributeOf(fields['$']?.[0], 'rdf:about');
  // RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
  const isPermalink = node !== undefined && attributeOf(node, 'isPermaLink')?.toLowerCase() !== 'false';
  const permalink = isPermalink && guid !== null && /^https?:\/\//i.test(guid) ? guid : null;
  return { guid, permalink };
}

/** RSS <source url="…">Name</source> (Google News names the publisher there) or Atom <source><title>. */
function pickSource(fields: RawFields, format: FeedFormat): { name: string | null; url: string | null } {
  const node = fields['source']?.[0];
  if (node === undefined) return { name: null, url: null };
  const atomTitle = childrenOf(node, 'title')[0];
  if (atomTitle !== undefined) {
    return {
      name: textConstruct(atomTitle, format)?.trim() ?? null,
      url: pickLink(childrenOf(node, fieldName('link')), []),
    };
  }
  return { name: trimmedTextOf(node), url: attributeOf(node, 'url') };
}

function pickBase(fields: RawFields): string | null {
  for (const name of ['content', 'content:encoded', 'xhtml:body', 'body', 'summary', 'description']) {
    const base = firstOf(fields[name], baseOf);
    if (base !== null) return base;
  }
  return baseOf(fields['$']?.[0]);
}

function pickOrigLink(fields: RawFields): string | null {
  const link = firstText(fields['feedburner:origLink'])?.trim();
  return link && /^https?:\/\//i.test(link) ? link : null;
}

/** Maps one entry; `feedAuthor` is the feed-level author Atom entries inherit (RFC 4287 §4.2.1). */
export function mapXmlItem(fields: RawFields, format: FeedFormat, feedAuthor: string | null): ParsedItem {
  const { guid, permalink } = pickGuid(fields);
  const source = pickSource(fields, format);
  const summary = firstConstruct(fields['summary'], format) ?? firstConstruct(fields['description'], format);
  return {
    guid,
    link: pickOrigLink(fields) ?? pickLink(fields['link'], fields['atom:link']) ?? permalink,
    title: firstConstruct(fields['title'], format) ?? firstConstruct(fields['dc:title'], format),
    summaryHtml: summary,
    contentHtml: firstOfFields(fields, CONTENT_FIELDS, format),
    author: pickAuthor(fields) ?? feedAuthor,
    published: firstTrimmed(fields, PUBLISHED_FIELDS),
    updated: firstTrimmed(fields, UPDATED_FIELDS),
    categories: pickCategories(fields),
    imageUrl: pickImage(fields),
    sourceName: source.name,
    sourceUrl: source.url,
    baseUrl: pickBase(fields),
  };
}
