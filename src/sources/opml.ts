// The sources file: OPML 1.0/2.0 in, OPML 2.0 out (http://opml.org/spec2.opml).
//
// Storyline's convention, so that writeOpml → readOpml gives back the same FeedSource[]:
//   <outline text="The Guardian" title="The Guardian" type="outlet">          ← outlet group (cosmetic)
//     <outline type="rss" text="…" title="…" xmlUrl="…" htmlUrl="…" outlet="The Guardian" section="World" region="UK"/>
// A feed outline that carries `outlet` is read verbatim: every field comes from its own attribute,
// nothing is inferred (title = `title` only). Any other feed outline (another reader's export, a
// hand-written file) is read sensibly:
//   outlet  = text of the nearest enclosing type="outlet" folder, else the feed's title/text, else the URL's host
//   title   = `title`, else `text`
//   site    = `htmlUrl`, else the outlet folder's `htmlUrl`;  region = `region`, else the outlet folder's
//   section = `section`, else null
// Folders nest to any depth; a URL listed twice is kept once (the first). Values are whitespace-collapsed.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXML } from 'entities';
import { InvalidInputError } from '../errors.js';
import type { FeedSource } from '../model.js';
import { MAX_FEED_URL_CHARS } from './feed-url.js';

/** Larger than any real subscription list (10,000 feeds are ~2 MB); bounds parse time and memory. */
export const MAX_OPML_CHARS = 10 * 1024 * 1024;

/**
 * Longest attribute read at all. Names are capped far below it when stored (as items' fields are);
 * an attribute beyond it (a 4 MB outlet name) is refused, naming its outline, rather than carried on.
 */
export const MAX_ATTRIBUTE_CHARS = 10_000;

type Attributes = Partial<
  Record<'text' | 'title' | 'type' | 'xmlurl' | 'htmlurl' | 'outlet' | 'section' | 'region', string>
>;

interface RawOutline {
  [key: string]: unknown;
  outline?: RawOutline[];
}

interface OutletGroup {
  name: string | null;
  site: string | null;
  region: string | null;
}

// DTD entities are refused before parsing and never expanded (processEntities: false): a
// billion-laughs or external-entity document cannot grow or reach out. The five XML entities and
// character references are decoded afterwards by `entities`, in one pass.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  transformAttributeName: (name) => name.toLowerCase(),
  isArray: (name) => name === 'outline',
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * The feeds listed in an OPML document; throws InvalidInputError when it is not OPML, or when it
 * lists more than `maxFeeds` (an import that size would hold the database for minutes).
 */
export function readOpml(xml: string, options: { maxFeeds?: number } = {}): FeedSource[] {
  const body = parseBody(xml);
  const found = new Map<string, FeedSource>();
  collectFeeds(asOutlines(body.outline), { name: null, site: null, region: null }, found);
  const max = options.maxFeeds ?? Infinity;
  if (found.size > max) {
    throw new InvalidInputError(
      `sources: the OPML document lists ${found.size.toLocaleString('en-US')} feeds, more than the ${max.toLocaleString('en-US')} one import may add (OPML_MAX_FEEDS); split it or raise the limit`,
    );
  }
  return [...found.values()];
}

/** An OPML 2.0 document listing the sources, grouped by outlet, that readOpml reads back unchanged. */
export function writeOpml(sources: FeedSource[], options: { title: string; now: Date }): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    opml: {
      '@_version': '2.0',
      head: { title: options.title, dateCreated: options.now.toUTCString() },
      body: { outline: groupRuns(sources).map(toGroupOutline) },
    },
  };
  return builder.build(document) as string;
}

function notOpml(why: string): InvalidInputError {
  return new InvalidInputError(`sources: not an OPML document: ${why}`);
}

function parseBody(xml: string): RawOutline {
  if (xml.length > MAX_OPML_CHARS) throw notOpml(`larger than the ${MAX_OPML_CHARS / 1024 / 1024} MB limit`);
  // OPML has no use for a DTD's entities; refusing them outright beats leaving "&lol;" in names.
  if (/<!ENTITY/i.test(xml)) throw notOpml('it declares DTD entities, which are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw notOpml(`line ${valid.err.line}: ${valid.err.msg.replace(/\s+/g, ' ')}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch (err) {
    throw notOpml(err instanceof Error ? err.message : String(err));
  }
  const root = Object.keys(parsed).find((k) => !k.startsWith('?') && !k.startsWith('!'));
  if (root !== 'opml') throw notOpml(root ? `the root element is <${root}>, not <opml>` : 'no root element');
  const body = isRecord(parsed.opml) ? parsed.opml.body : undefined;
  if (body === undefined) throw notOpml('it has no <body>');
  // An empty <body/> parses as '': a valid list of no feeds.
  return isRecord(body) ? (body as RawOutline) : {};
}

function collectFeeds(outlines: RawOutline[], group: OutletGroup, found: Map<string, FeedSource>): void {
  for (const outline of outlines) {
    const attrs = readAttributes(outline);
    if (attrs.xmlurl) {
      const source = toSource(attrs, group);
      if (!found.has(source.url)) found.set(source.url, source);
    }
    const children = asOutlines(outline.outline);
    if (children.length > 0) collectFeeds(children, attrs.xmlurl ? group : enterFolder(attrs, group), found);
  }
}

/** A type="outlet" folder names the outlet of the feeds inside it; any other folder is a category. */
function enterFolder(attrs: Attributes, enclosing: OutletGroup): OutletGroup {
  if (attrs.type?.toLowerCase() !== 'outlet') return enclosing;
  return { name: attrs.text ?? attrs.title ?? null, site: toSiteUrl(attrs.htmlurl), region: attrs.region ?? null };
}

function toSource(attrs: Attributes, group: OutletGroup): FeedSource {
  const title = attrs.title ?? null;
  const url = toFeedUrl(attrs.xmlurl ?? '', attrs.outlet ?? title ?? attrs.text ?? null);
  const section = attrs.section ?? null;
  const site = toSiteUrl(attrs.htmlurl);
  if (attrs.outlet) return { url, outlet: attrs.outlet, section, title, site, region: attrs.region ?? null };
  const shown = title ?? attrs.text ?? null;
  return {
    url,
    outlet: group.name ?? shown ?? hostOf(url),
    section,
    title: shown,
    site: site ?? group.site,
    region: attrs.region ?? group.region,
  };
}

/** Absolute http(s) URL; `feed:` URLs (old Safari and Firefox exports) become http(s). */
function toFeedUrl(raw: string, label: string | null): string {
  if (raw.length > MAX_FEED_URL_CHARS)
    throw new InvalidInputError(
      `sources: feed ${label ? `"${label}" ` : ''}has a URL of ${raw.length} characters; at most ${MAX_FEED_URL_CHARS} are accepted`,
    );
  const url = URL.parse(unwrapFeedScheme(raw));
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidInputError(
      `sources: feed ${label ? `"${label}" ` : ''}has URL "${raw}": only absolute http and https URLs can be fetched`,
    );
  }
  return url.href;
}

function unwrapFeedScheme(raw: string): string {
  if (/^feed:https?:/i.test(raw)) return raw.slice('feed:'.length);
  if (/^feed:\/\//i.test(raw)) return `http://${raw.slice('feed://'.length)}`;
  return raw;
}

/** Site links end up in pages as hrefs, so anything but http(s) is dropped. */
function toSiteUrl(raw: string | undefined): string | null {
  const url = raw ? URL.parse(raw) : null;
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

/** How an error names an outline: by its feed URL or its text, whichever is short enough to quote. */
function outlineName(outline: RawOutline): string {
  for (const key of ['@_xmlurl', '@_text', '@_title']) {
    const value = outline[key];
    if (typeof value === 'string' && value.length <= 200)
      return `the outline ${key === '@_xmlurl' ? 'for ' : ''}"${value}"`;
  }
  return 'an outline';
}

function readAttributes(outline: RawOutline): Attributes {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(outline)) {
    if (!key.startsWith('@_') || typeof value !== 'string') continue;
    if (value.length > MAX_ATTRIBUTE_CHARS) {
      const name = { xmlurl: 'xmlUrl', htmlurl: 'htmlUrl' }[key.slice(2)] ?? key.slice(2);
      throw new InvalidInputError(
        `sources: ${outlineName(outline)}: its ${name} attribute is ${value.length} characters long; at most ${MAX_ATTRIBUTE_CHARS} are accepted`,
      );
    }
    const clean = decodeXML(value).replace(/\s+/g, ' ').trim();
    if (clean) attrs[key.slice(2)] = clean;
  }
  return attrs as Attributes;
}

function asOutlines(value: unknown): RawOutline[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Consecutive sources of one outlet share a folder; keeping runs (not sorting) preserves order exactly. */
function groupRuns(sources: FeedSource[]): FeedSource[][] {
  const runs: FeedSource[][] = [];
  for (const source of sources) {
    const last = runs.at(-1);
    if (last && last[0]!.outlet === source.outlet) last.push(source);
    else runs.push([source]);
  }
  return runs;
}

function toGroupOutline(run: FeedSource[]): Record<string, unknown> {
  const outlet = run[0]!.outlet;
  return { '@_text': outlet, '@_title': outlet, '@_type': 'outlet', outline: run.map(toFeedOutline) };
}

function toFeedOutline(s: FeedSource): Record<string, string> {
  const optional = (name: string, value: string | null) => (value === null ? {} : { [`@_${name}`]: value });
  return {
    '@_type': 'rss',
    '@_text': s.title ?? (s.section ? `${s.outlet} – ${s.section}` : s.outlet),
    ...optional('title', s.title),
    '@_xmlUrl': s.url,
    ...optional('htmlUrl', s.site),
    '@_outlet': s.outlet,
    ...optional('section', s.section),
    ...optional('region', s.region),
  };
}
