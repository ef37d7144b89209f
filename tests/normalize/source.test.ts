import { describe, expect, it } from 'vitest';
import { normalizeFeedTitle, normalizeSource } from '../../src/normalize/index.js';
import { toPlainText } from '../../src/normalize/text.js';

const source = (outlet: string, extra: Partial<Record<'section' | 'title' | 'region', string>> = {}) => ({
  url: 'https://news.example/feed.xml',
  outlet,
  section: extra.section ?? null,
  title: extra.title ?? null,
  site: null,
  region: extra.region ?? null,
});

describe('normalizeSource: names as plain text, as feed titles are', () => {
  it.each([
    ['markup', '<b>Daily</b> <i>News</i>', 'Daily News'],
    ['escaped markup (decoded once, then stripped)', '&lt;b&gt;Daily&lt;/b&gt; News', 'Daily News'],
    ['a script', 'Daily<script>alert(1)</script> News', 'Daily News'],
    ['entities', 'Smith &amp; Sons', 'Smith & Sons'],
    ['a less-than that is no tag', 'A < B Weekly', 'A < B Weekly'],
    ['right-to-left override', 'Daily \u202Ewen\u202C News', 'Daily wen News'],
    ['isolates and embeddings', '\u2066\u202ADaily\u202B News\u2069\u2067\u2068', 'Daily News'],
    ['control characters and NUL', 'Daily\u0000 News\u0007', 'Daily News'],
    ['whitespace', '  Daily \n\t News  ', 'Daily News'],
  ])('outlet with %s', (_what, raw, expected) => {
    expect(normalizeSource(source(raw)).outlet).toBe(expected);
  });

  it('caps names as items’ fields are capped, and keeps the marks RTL text needs', () => {
    const huge = normalizeSource(
      source('word '.repeat(100_000), { section: 'x'.repeat(500), title: 'y '.repeat(2000) }),
    );
    expect(huge.outlet.length).toBeLessThanOrEqual(200);
    expect(huge.section!.length).toBeLessThanOrEqual(200);
    expect(huge.title!.length).toBeLessThanOrEqual(1000);
    expect(normalizeSource(source('\u05D7\u05D3\u05E9\u05D5\u05EA\u200F 24')).outlet).toBe(
      '\u05D7\u05D3\u05E9\u05D5\u05EA\u200F 24',
    );
  });

  it('falls back to the host for an outlet with no text left, and cleans section, title and region', () => {
    expect(normalizeSource(source('<b></b>'))).toMatchObject({ outlet: 'news.example', section: null });
    expect(
      normalizeSource(source('X', { section: '<em>World</em>', title: 'T\u202E', region: ' <b>UK</b> ' })),
    ).toMatchObject({ section: 'World', title: 'T', region: 'UK' });
  });
});

describe('normalizeFeedTitle: the feed document’s own title (HTML, as parsed) as plain text', () => {
  it.each([
    ['no title', null, null],
    ['markup', '<b>Daily</b> News', 'Daily News'],
    ['escaped markup (decoded once, then stripped)', '&lt;script&gt;alert(1)&lt;/script&gt;Daily', 'Daily'],
    ['a script', 'Daily<script>alert(1)</script> News', 'Daily News'],
    ['entities', 'Smith &amp; Sons', 'Smith & Sons'],
    ['no text left', '<b> </b>', null],
    ['right-to-left override', 'Daily \u202Ewen\u202C News', 'Daily wen News'],
    // Removed, as in item titles (mojibake titles in real/rss2/feedreader-Rss20YandexRussia.xml carry C1 controls).
    ['C0 and C1 controls', 'Daily\u0000 N\u0085ews', 'Daily News'],
  ])('%s', (_what, raw, expected) => {
    expect(normalizeFeedTitle(raw)).toBe(expected);
  });

  it('caps the title as an item’s is capped', () => {
    expect(normalizeFeedTitle('word '.repeat(100_000))!.length).toBeLessThanOrEqual(1000);
  });
});

describe('toPlainText removes bidi controls from every title, summary and name', () => {
  const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
  it.each(controls.map((ch) => [ch.codePointAt(0)!.toString(16).toUpperCase(), ch]))('U+%s', (_code, ch) => {
    expect(toPlainText(`Sheinbaum${ch} rejects <b>offer</b>${ch}`, 1000)).toBe('Sheinbaum rejects offer');
  });
});
