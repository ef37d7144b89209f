// RSS 2.0 and Atom 1.0 from a FeedDocument, written by the `feed` package. Its XML writer (xml-js)
// has gaps we close before handing strings over: characters XML 1.0 forbids pass through, only the
// first "]]>" of a CDATA section is split, and "<" is not escaped in attribute values. (One gap stays:
// its text writer reads a literal "&amp;" in plain-text elements, such as category names, as "&".)
import { Feed, type Item } from 'feed';
import { escapeHtml } from '../html.js';
import type { FeedDocument, FeedEntry } from './entries.js';

// XML 1.0 Char production: no C0 controls but tab/LF/CR, no lone surrogates, no U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text with the characters XML cannot carry removed. */
export const xmlText = (s: string): string => s.replace(NOT_XML_CHAR, '');

/**
 * Text for a CDATA section. xml-js splits only the first "]]>"; splitting every later one here,
 * before it does, leaves each occurrence split exactly once.
 */
export function cdataText(s: string): string {
  const clean = xmlText(s);
  const first = clean.indexOf(']]>');
  if (first < 0) return clean;
  const head = clean.slice(0, first + 3);
  return head + clean.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}

/** Attribute text: xml-js escapes & and ", not <, which XML forbids in attribute values. */
const attributeText = (s: string): string => xmlText(s).replace(/</g, '');

function newFeed(doc: FeedDocument, self: string): Feed {
  return new Feed({
    id: doc.id,
    title: xmlText(doc.title),
    description: xmlText(doc.description),
    link: doc.links.html,
    feed: self,
    feedLinks: { rss: doc.links.rss, atom: doc.links.atom, json: doc.links.json },
    updated: doc.updated,
    language: 'en',
    generator: 'Storyline',
    author: { name: 'Storyline' },
    copyright: 'Each article belongs to its outlet.',
  });
}

function rssItem(e: FeedEntry, categoryDomain: string): Item {
  return {
    id: e.id,
    title: cdataText(e.title),
    link: e.url,
    // RSS has one date: the entry's latest activity, so a grown story reads as new.
    date: e.updated,
    ...(e.summary ? { description: cdataText(escapeHtml(e.summary)) } : {}),
    content: cdataText(e.contentHtml),
    category: e.categories.map((c) => ({ name: xmlText(c.label), domain: categoryDomain })),
    ...(e.author ? { extensions: [{ name: 'dc:creator', objects: { _text: xmlText(e.author) } }] } : {}),
  };
}

/** RSS 2.0 with content:encoded and an atom:link to itself. */
export function renderRss(doc: FeedDocument): string {
  const feed = newFeed(doc, doc.links.rss);
  for (const e of doc.entries) feed.addItem(rssItem(e, doc.links.topics));
  return feed.rss2();
}

function atomItem(e: FeedEntry, scheme: string): Item {
  return {
    id: e.id,
    // Atom titles here are type="html": escaping makes the reader show the text as written.
    title: cdataText(escapeHtml(e.title)),
    link: e.url,
    date: e.updated,
    published: e.published,
    ...(e.summary ? { description: cdataText(escapeHtml(e.summary)) } : {}),
    content: cdataText(e.contentHtml),
    category: e.categories.map((c) => ({ term: attributeText(c.term), name: attributeText(c.label), scheme })),
    ...(e.author ? { author: [{ name: xmlText(e.author) }] } : {}),
  };
}

/** Atom 1.0 with self and alternate links. */
export function renderAtom(doc: FeedDocument): string {
  const feed = newFeed(doc, doc.links.atom);
  for (const e of doc.entries) feed.addItem(atomItem(e, `${doc.links.topics}/`));
  return feed.atom1();
}
