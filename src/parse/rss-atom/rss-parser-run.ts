// The rss-parser adapter: runs rss-parser over a prepared document and returns the raw xml2js nodes of
// the fields we read.
// rss-parser finds the channel and its entries for RSS 0.9x/1.0/2.0 and Atom; every field is taken
// raw through customFields (keepArray), and its types stay in this file.
//
// Some elements are renamed on the way in (node.ts fieldName, as xml2js tagNameProcessors) so
// rss-parser's own handling never touches them: it throws on an unparseable Atom <published>/<updated>
// (new Date(x).toISOString()) and on an Atom <link> without attributes, and re-serialises element
// content with xml2js's Builder, which throws on control characters. Any of those would reject a
// whole feed for one bad entry. It would also parse every <pubDate> into a date the normalise stage
// works out anyway.
//
// rss-parser reads XML with xml2js (over sax). Our documents are already tokenised and rewritten by
// the safety gate, so the parser's xmlParser is given the tree read from that output (../xml/tree.ts)
// instead of a second tokenisation; rss-parser still detects the format and builds feed and entries.
import Parser from 'rss-parser';
import { fieldName, type RawFields } from './node.js';
import { readPreparedXml } from '../xml/tree.js';

const ITEM_ELEMENTS = [
  'guid',
  'id',
  'link',
  'feedburner:origLink',
  'atom:link',
  'title',
  'dc:title',
  'description',
  'summary',
  'content',
  'content:encoded',
  'body',
  'xhtml:body',
  'fullitem',
  'author',
  'dc:creator',
  'itunes:author',
  'pubDate',
  'published',
  'dc:date',
  'issued',
  'created',
  'dcterms:issued',
  'dcterms:created',
  'atom:published',
  'updated',
  'modified',
  'dcterms:modified',
  'atom:updated',
  'category',
  'dc:subject',
  'enclosure',
  'media:content',
  'media:thumbnail',
  'media:group',
  'itunes:image',
  'source',
];

const FEED_ELEMENTS = [
  'title',
  'link',
  'atom:link',
  'author',
  'ttl',
  'sy:updatePeriod',
  'sy:updateFrequency',
  'skipHours',
  'skipDays',
];

const OUT_PREFIX = 'storyline:';

type CustomField = [string, string, { keepArray: boolean }];

function customFields(elements: readonly string[]): CustomField[] {
  // '$' copies the element's own attributes (xml:base, rdf:about).
  return [...elements.map(fieldName), '$'].map((name) => [name, `${OUT_PREFIX}${name}`, { keepArray: true }]);
}

/**
 * The xml2js options whose tree ../xml/tree.ts reproduces. Every element becomes an object (never a bare
 * string): rss-parser reads `entry.link` and String.prototype.link exists, so an empty or text-only
 * <entry> would otherwise throw.
 */
export const XML2JS_OPTIONS = { tagNameProcessors: [fieldName], explicitCharkey: true, emptyTag: () => ({}) };

const OPTIONS = {
  defaultRSS: 2,
  xml2js: XML2JS_OPTIONS,
  customFields: { feed: customFields(FEED_ELEMENTS), item: customFields(ITEM_ELEMENTS) },
} as unknown as Parser.ParserOptions<Record<string, unknown>, Record<string, unknown>>;

type TreeCallback = (err: Error | null, tree?: Record<string, unknown>) => void;

/** What rss-parser calls on its `xmlParser` (rss-parser 3.x: `this.xmlParser.parseString(xml, cb)`). */
const preparedTreeReader = {
  parseString(xml: string, callback: TreeCallback): void {
    let tree: Record<string, unknown>;
    try {
      tree = readPreparedXml(xml, fieldName);
    } catch (err) {
      return callback(err as Error);
    }
    callback(null, tree);
  },
};

/** One parser for every document: with the tree reader in place it keeps no per-document state. */
const parser = Object.assign(new Parser(OPTIONS), { xmlParser: preparedTreeReader });

export interface RawXmlFeed {
  feed: RawFields;
  items: RawFields[];
}

/** [element, key in rss-parser's output] for each field read, computed once. */
const outputKeys = (elements: readonly string[]): Array<[string, string]> =>
  elements.map((e) => [e, `${OUT_PREFIX}${fieldName(e)}`]);
const FEED_KEYS = outputKeys(FEED_ELEMENTS);
const ITEM_KEYS = outputKeys(ITEM_ELEMENTS);
const ATTRIBUTES_KEY = `${OUT_PREFIX}$`;

/** Keys are the original element names ('description', not the renamed one); '$' holds attributes. */
function collectFields(output: Record<string, unknown>, keys: ReadonlyArray<[string, string]>): RawFields {
  const fields: Record<string, readonly unknown[]> = {};
  for (const [element, key] of keys) {
    const nodes = output[key];
    if (Array.isArray(nodes)) fields[element] = nodes;
  }
  const attributes = output[ATTRIBUTES_KEY];
  if (attributes !== undefined) fields['$'] = [{ $: attributes }];
  return fields;
}

/** Parses a document that ../xml/document.ts has prepared; throws what xml2js or rss-parser throws. */
export async function runRssParser(xml: string): Promise<RawXmlFeed> {
  const output = (await parser.parseString(xml)) as unknown as Record<string, unknown> & { items?: unknown };
  const items = Array.isArray(output.items) ? (output.items as Array<Record<string, unknown>>) : [];
  return {
    feed: collectFields(output, FEED_KEYS),
    items: items.map((item) => collectFields(item, ITEM_KEYS)),
  };
}
