// Runs rss-parser over a prepared document and returns the raw xml2js nodes of the fields we read.
// rss-parser finds the channel and its entries for RSS 0.9x/1.0/2.0 and Atom; every field is taken
// raw through customFields (keepArray), and its types stay in this file.
//
// Some elements are renamed on the way in (xml2js tagNameProcessors) so rss-parser's own handling never
// touches them: it throws on an unparseable Atom <published>/<updated> (new Date(x).toISOString()) and on
// an Atom <link> without attributes, and re-serialises element content with xml2js's Builder, which
// throws on control characters. Any of those would reject a whole feed for one bad entry.
import Parser from 'rss-parser';
import type { RawFields } from './xml-node.js';

const RENAMED = new Set(['link', 'published', 'updated', 'content', 'summary', 'description']);
const RENAMED_PREFIX = 'storyline-';

/** Element names as they arrive after renaming. */
export function fieldName(element: string): string {
  return RENAMED.has(element) ? `${RENAMED_PREFIX}${element}` : element;
}

const ITEM_ELEMENTS = [
  'guid', 'id', 'link', 'feedburner:origLink', 'atom:link', 'title', 'dc:title', 'description', 'summary', 'content',
  'content:encoded', 'body', 'xhtml:body', 'fullitem', 'author', 'dc:creator', 'itunes:author', 'pubDate', 'published', 'dc:date', 'issued', 'created',
  'dcterms:issued', 'dcterms:created', 'atom:published', 'updated', 'modified', 'dcterms:modified', 'atom:updated',
  'category', 'dc:subject', 'enclosure', 'media:content', 'media:thumbnail', 'media:group', 'itunes:image', 'source',
];

const FEED_ELEMENTS = [
  'title', 'link', 'atom:link', 'author', 'ttl', 'sy:updatePeriod', 'sy:updateFrequency', 'skipHours', 'skipDays',
];

const OUT_PREFIX = 'storyline:';

type CustomField = [string, string, { keepArray: boolean }];

function customFields(elements: readonly string[]): CustomField[] {
  // '$' copies the element's own attributes (xml:base, rdf:about).
  return [...elements.map(fieldName), '$'].map((name) => [name, `${OUT_PREFIX}${name}`, { keepArray: true }]);
}

const OPTIONS = {
  defaultRSS: 2,
  // Every element becomes an object (never a bare string): rss-parser reads `entry.link` and
  // String.prototype.link exists, so an empty or text-only <entry> would otherwise throw.
  xml2js: { tagNameProcessors: [fieldName], explicitCharkey: true, emptyTag: () => ({}) },
  customFields: { feed: customFields(FEED_ELEMENTS), item: customFields(ITEM_ELEMENTS) },
} as unknown as Parser.ParserOptions<Record<string, unknown>, Record<string, unknown>>;

export interface RawXmlFeed {
  feed: RawFields;
  items: RawFields[];
}

/** Keys are the original element names ('description', not the renamed one); '$' holds attributes. */
function collectFields(output: Record<string, unknown>, elements: readonly string[]): RawFields {
  const fields: Record<string, readonly unknown[]> = {};
  for (const element of elements) {
    const nodes = output[`${OUT_PREFIX}${fieldName(element)}`];
    if (Array.isArray(nodes)) fields[element] = nodes;
  }
  const attributes = output[`${OUT_PREFIX}$`];
  if (attributes !== undefined) fields['$'] = [{ $: attributes }];
  return fields;
}

/** Parses a document that xml-document.ts has prepared; throws what xml2js or rss-parser throws. */
export async function runRssParser(xml: string): Promise<RawXmlFeed> {
  // A new parser per document: xml2js keeps per-parse state on the instance.
  const output = (await new Parser(OPTIONS).parseString(xml)) as unknown as Record<string, unknown> & { items?: unknown };
  const items = Array.isArray(output.items) ? (output.items as Array<Record<string, unknown>>) : [];
  return {
    feed: collectFields(output, FEED_ELEMENTS),
    items: items.map((item) => collectFields(item, ITEM_ELEMENTS)),
  };
}
