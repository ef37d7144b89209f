// RSS and Atom from the feed package stay well-formed XML whatever the text holds: checked here with
// fast-xml-parser, so it holds even where feedparser is not installed.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import type { FeedDocument } from '../../src/server/feeds/entries.js';
import { renderJsonFeed } from '../../src/server/feeds/json-feed.js';
import { cdataText, renderAtom, renderRss } from '../../src/server/feeds/xml-feed.js';
import { OFF_THREAD_ENTRIES, renderFeed } from '../../src/server/feeds/render.js';

const NASTY = [
  'plain',
  ']]>',
  'a]]>b]]>c]]>d',
  ']]]]>',
  '</item><item><title>x</title>',
  '<![CDATA[ nested ]]>',
  'ctl \u0000\u0001\u000b\u001f end',
  'lone \ud800 surrogate',
  '&amp; &lt; & < > " \'',
  '\ufffe not \uffff characters',
];

function doc(title: string): FeedDocument {
  const at = new Date('2025-05-08T18:00:00Z');
  return {
    id: 'tag:example.org,2025:storyline/feed',
    title: `Feed ${title}`,
    description: title,
    links: {
      html: 'https://example.org/',
      rss: 'https://example.org/feed.xml',
      atom: 'https://example.org/feed.atom',
      json: 'https://example.org/feed.json',
      topics: 'https://example.org/topics',
    },
    updated: at,
    entries: [
      {
        id: 'tag:example.org,2025:storyline/story/1',
        title,
        url: 'https://example.org/a?x=1&y=2',
        contentHtml: `<p>${title.replace(/</g, '&lt;')}</p>`,
        summary: title,
        published: at,
        updated: at,
        categories: [{ term: 'slug', label: title }],
        author: title,
      },
      {
        id: 'tag:example.org,2025:storyline/story/2',
        title: 'second',
        url: 'https://example.org/b',
        contentHtml: '<p>b</p>',
        summary: '',
        published: at,
        updated: at,
        categories: [],
        author: null,
      },
    ],
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (n) => n === 'item' || n === 'entry',
  processEntities: true,
  htmlEntities: false,
});
const expected = (s: string): string =>
  s.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

describe('feed rendering with hostile text', () => {
  it.each(NASTY)('keeps RSS well-formed with the title as text: %j', (title) => {
    const xml = renderRss(doc(title));
    expect(XMLValidator.validate(xml)).toBe(true);
    const items = parser.parse(xml).rss.channel.item;
    expect(items).toHaveLength(2);
    expect(String(items[0].title)).toBe(expected(title));
  });

  it.each(NASTY)('keeps Atom well-formed with the title as HTML text: %j', (title) => {
    const xml = renderAtom(doc(title));
    expect(XMLValidator.validate(xml)).toBe(true);
    const entries = parser.parse(xml).feed.entry;
    expect(entries).toHaveLength(2);
    expect(decodeHTML(String(entries[0].title['#text']))).toBe(expected(title));
  });

  it.each(NASTY)('keeps JSON Feed exact: %j', (title) => {
    expect(JSON.parse(renderJsonFeed(doc(title))).items[0].title).toBe(title);
  });

  it('splits every "]]>" exactly once before the XML writer splits the first', () => {
    expect(cdataText('a]]>b]]>c')).toBe('a]]>b]]]]><![CDATA[>c');
    expect(cdataText('no terminator')).toBe('no terminator');
  });
});

describe('feed rendering in a worker thread', () => {
  it('writes a large feed off the thread to exactly the text written on it, hostile text included', async () => {
    const base = doc(NASTY.join(' '));
    const large: FeedDocument = {
      ...base,
      entries: Array.from({ length: OFF_THREAD_ENTRIES + 5 }, (_, i) => ({
        ...base.entries[i % 2]!,
        id: `${base.entries[i % 2]!.id}-${i}`,
      })),
    };
    expect(await renderFeed('xml', large)).toBe(renderRss(large));
    expect(await renderFeed('atom', large)).toBe(renderAtom(large));
    expect(await renderFeed('json', large)).toBe(renderJsonFeed(large));
  });
});
