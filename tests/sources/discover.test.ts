import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverFeedUrls, looksLikeHtml } from '../../src/sources/discover.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sources');
const page = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const feedsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/feeds/real');

describe('discoverFeedUrls', () => {
  it('lists a news page’s feeds in page order, ignoring hreflang alternates and alternate stylesheets', () => {
    expect(discoverFeedUrls(page('page-news-site.html'), 'https://www.theguardian.com/world')).toEqual([
      'https://www.theguardian.com/world/rss',
      'https://www.theguardian.com/world/mexico/rss',
    ]);
  });

  it('resolves WordPress’s relative feed links and skips its REST API and oEmbed alternates', () => {
    expect(discoverFeedUrls(page('page-wordpress.html'), 'https://thenationalcircus.com/')).toEqual([
      'https://thenationalcircus.com/feed/',
      'https://thenationalcircus.com/comments/feed/',
    ]);
  });

  it('resolves every href against the first <base href>, even links placed before it', () => {
    expect(discoverFeedUrls(page('page-base-href.html'), 'https://example.net/blog/2025/05/notes.html')).toEqual([
      'https://cdn.example.net/blog/posts/atom.xml',
      'https://cdn.example.net/blog/feed.json',
      'https://mirror.example.org/index.rdf',
      'https://cdn.example.net/rss.xml?lang=en&full=1',
    ]);
  });

  it('matches rel and type case-insensitively, with parameters, deduplicates and keeps http(s) only', () => {
    expect(discoverFeedUrls(page('page-quirks.html'), 'https://bulletin.example/today/index.html')).toEqual([
      'https://bulletin.example/bulletin.rss',
      'https://bulletin.example/atom',
      'https://bulletin.example/legacy.xml',
      'https://bulletin.example/feed.json',
    ]);
  });

  it('returns nothing for a page without feed links', () => {
    expect(discoverFeedUrls(page('page-no-feeds.html'), 'https://www.dhs.gov/news')).toEqual([]);
    expect(discoverFeedUrls('', 'https://www.dhs.gov/news')).toEqual([]);
  });

  it('falls back to the page URL when <base href> is unusable, and gives up on an unusable page URL', () => {
    const html = '<base href="http://[bad"><link rel=alternate type=application/rss+xml href=feed.xml>';
    expect(discoverFeedUrls(html, 'https://a.example/dir/page')).toEqual(['https://a.example/dir/feed.xml']);
    expect(discoverFeedUrls(html, 'not a url')).toEqual([]);
  });
});

describe('looksLikeHtml', () => {
  it.each([['page-news-site.html'], ['page-wordpress.html'], ['page-quirks.html']])(
    'recognises the page %s',
    (name) => {
      expect(looksLikeHtml(page(name))).toBe(true);
    },
  );

  it.each([
    ['a page with a BOM and leading whitespace', '\uFEFF\n  <!DOCTYPE html><html><body></body></html>', true],
    [
      'an XHTML page with an XML declaration',
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head></html>',
      true,
    ],
    ['a bare fragment with <body>', '<body><p>Sorry, this page is unavailable</p></body>', true],
    ['RSS 2.0', '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>', false],
    [
      'Atom',
      '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>',
      false,
    ],
    [
      'RDF',
      '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></rdf:RDF>',
      false,
    ],
    [
      'RSS whose description holds an HTML page in CDATA',
      '<rss version="2.0"><channel><item><description><![CDATA[<html><body>x</body></html>]]></description></item></channel></rss>',
      false,
    ],
    ['JSON Feed', '{"version":"https://jsonfeed.org/version/1.1","title":"<html>"}', false],
    [
      'an Atom entry document',
      '<?xml version="1.0"?>\n<entry xmlns="http://www.w3.org/2005/Atom"><title type="text">Specifications</title></entry>',
      false,
    ],
    [
      'RSS 0.91 with its Netscape doctype and a comment',
      '<?xml version="1.0"?>\n<!-- generated -->\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>x</title></channel></rss>',
      false,
    ],
    ['a page behind a leading comment', '<!-- served by cache-7 -->\n<html><head></head></html>', true],
    ['plain text', 'Service Unavailable', false],
  ])('%s → %s', (_name, body, expected) => {
    expect(looksLikeHtml(body)).toBe(expected);
  });

  it('calls none of the real-world feeds in the shared corpus HTML', () => {
    if (!fs.existsSync(feedsDir)) {
      console.log(`skip: ${feedsDir} is missing`);
      return;
    }
    const files = [
      'rss2',
      'atom',
      'atom03',
      'rdf',
      'rss09x',
      'mediarss',
      'podcast',
      'xmlbase',
      'jsonfeed',
      'guardian',
      'nyt',
      'bbc',
    ].flatMap((kind) =>
      fs.existsSync(path.join(feedsDir, kind))
        ? fs.readdirSync(path.join(feedsDir, kind)).map((f) => path.join(feedsDir, kind, f))
        : [],
    );
    expect(files.length).toBeGreaterThan(5);
    const called = files.filter((f) => looksLikeHtml(fs.readFileSync(f, 'utf8')));
    expect(called).toEqual([]);
    expect(
      looksLikeHtml(fs.readFileSync(path.join(feedsDir, 'not-a-feed', 'nodefeedparser-notafeed.html'), 'utf8')),
    ).toBe(true);
  });
});
