import { describe, expect, it } from 'vitest';
import type { ParsedFeed, ParsedItem } from '../../src/model.js';
import { normalizeItems } from '../../src/normalize/index.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const FEED_URL = 'https://news.example.org/feeds/world.xml';

function item(fields: Partial<ParsedItem>): ParsedItem {
  return {
    guid: null,
    link: null,
    title: null,
    summaryHtml: null,
    contentHtml: null,
    author: null,
    published: null,
    updated: null,
    categories: [],
    imageUrl: null,
    sourceName: null,
    sourceUrl: null,
    baseUrl: null,
    ...fields,
  };
}

function feed(items: ParsedItem[], fields: Partial<ParsedFeed> = {}): ParsedFeed {
  return {
    format: 'rss',
    title: 'T',
    siteUrl: null,
    baseUrl: null,
    hints: { ttlMinutes: null, updatePeriod: null, updateFrequency: null, skipHours: [], skipDays: [] },
    items,
    ...fields,
  };
}

function normalize(items: ParsedItem[], fields: Partial<ParsedFeed> = {}, maxItems = 100) {
  return normalizeItems(feed(items, fields), { feedUrl: FEED_URL, now: NOW, maxItems });
}

describe('normalizeItems', () => {
  it('builds a complete item', () => {
    const [out] = normalize([
      item({
        guid: 'g1',
        link: '/world/1?utm_source=rss#top',
        title: 'Talks &amp; <b>trade</b>',
        summaryHtml: '<p>Summary</p>',
        contentHtml: '<p>Body <a href="2">next</a></p><script>x()</script>',
        author: 'desk@example.org (Jane Doe)',
        published: 'Tue, 06 May 2025 14:03:00 GMT',
        updated: '2025-05-07T10:00:00Z',
        categories: ['World', 'world', ' Trade '],
        imageUrl: 'img/1.jpg',
      }),
    ]);
    expect(out).toMatchObject({
      key: 'g1',
      url: 'https://news.example.org/world/1?utm_source=rss#top',
      canonicalUrl: 'https://news.example.org/world/1',
      title: 'Talks & trade',
      summary: 'Summary',
      contentHtml: '<p>Body <a href="https://news.example.org/feeds/2" rel="noopener noreferrer nofollow">next</a></p>',
      author: 'Jane Doe',
      outletName: null,
      publishedAt: new Date('2025-05-06T14:03:00Z'),
      dateEstimated: false,
      updatedAt: new Date('2025-05-07T10:00:00Z'),
      categories: ['World', 'Trade'],
      imageUrl: 'https://news.example.org/feeds/img/1.jpg',
    });
    expect(out!.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resolves against entry xml:base, then feed xml:base, then the feed URL', () => {
    const items = normalize(
      [
        item({ guid: '1', link: 'a', baseUrl: 'entry/' }),
        item({ guid: '2', link: 'a' }),
        item({ guid: '3', link: 'https://abs.example/x' }),
      ],
      { baseUrl: 'https://base.example/root/' },
    );
    expect(items.map((i) => i.url)).toEqual([
      'https://base.example/root/entry/a',
      'https://base.example/root/a',
      'https://abs.example/x',
    ]);
    expect(normalize([item({ guid: '1', link: 'a' })])[0]!.url).toBe('https://news.example.org/feeds/a');
  });

  it('strips the Google News " - Publisher" suffix and names the outlet', () => {
    const [out] = normalize([
      item({
        guid: '1',
        title: 'Storm hits coast - The Example Times',
        sourceName: 'The Example Times',
        sourceUrl: 'https://times.example',
      }),
    ]);
    expect(out!.title).toBe('Storm hits coast');
    expect(out!.outletName).toBe('The Example Times');
  });

  it('leaves a title alone when its suffix is not the source', () => {
    const [out] = normalize([item({ guid: '1', title: 'Left - Right', sourceName: 'Other' })]);
    expect(out!.title).toBe('Left - Right');
  });

  it('falls back for a missing title: summary start, else the URL, else (untitled)', () => {
    const summary =
      'This is a long summary sentence that goes on well beyond eighty characters so that it must be cut somewhere';
    const items = normalize([
      item({ guid: '1', summaryHtml: summary }),
      item({ guid: '2', link: 'https://example.com/only-link' }),
      item({ guid: '3' }),
    ]);
    expect(items[0]!.title.length).toBeLessThanOrEqual(80);
    expect(summary.startsWith(items[0]!.title.replace(/…$/, ''))).toBe(true);
    expect(items[1]!.title).toBe('https://example.com/only-link');
    expect(items[2]!.title).toBe('(untitled)');
  });

  it('takes the summary from the content when there is no description, and content from the description', () => {
    const [a, b] = normalize([
      item({ guid: '1', contentHtml: '<p>Only content</p>' }),
      item({ guid: '2', summaryHtml: '<p>Only description</p>' }),
    ]);
    expect(a!.summary).toBe('Only content');
    expect(b!.contentHtml).toBe('<p>Only description</p>');
  });

  it('tells apart entries whose links differ only by #fragment (one page, one anchor per entry)', () => {
    const items = normalize([item({ link: 'https://e.example/news#2' }), item({ link: 'https://e.example/news#1' })]);
    expect(items.map((i) => i.key)).toEqual(['https://e.example/news#2', 'https://e.example/news#1']);
    expect(items.map((i) => i.canonicalUrl)).toEqual(['https://e.example/news', 'https://e.example/news']);
  });

  it('keeps the first of duplicate keys', () => {
    const items = normalize([
      item({ guid: 'same', title: 'first' }),
      item({ guid: 'same', title: 'second' }),
      item({ link: 'https://e.example/a?utm_source=x' }),
      item({ link: 'https://E.example:443/a?utm_medium=y' }),
    ]);
    expect(items.map((i) => i.title)).toEqual(['first', 'https://e.example/a?utm_source=x']);
  });

  it('keeps the newest maxItems, in document order', () => {
    const items = normalize(
      [
        item({ guid: 'old', published: '2025-01-01T00:00:00Z' }),
        item({ guid: 'new', published: '2025-05-01T00:00:00Z' }),
        item({ guid: 'mid', published: '2025-03-01T00:00:00Z' }),
      ],
      {},
      2,
    );
    expect(items.map((i) => i.key)).toEqual(['new', 'mid']);
  });

  it('one bad date marks that item estimated and rejects nothing', () => {
    const items = normalize([
      item({ guid: '1', published: 'yesterday-ish' }),
      item({ guid: '2', published: '2025-05-01T00:00:00Z' }),
    ]);
    expect(items[0]).toMatchObject({ dateEstimated: true, publishedAt: NOW });
    expect(items[1]).toMatchObject({ dateEstimated: false });
  });

  it('uses the updated date when there is no published date', () => {
    const [out] = normalize([item({ guid: '1', updated: '2025-05-02T00:00:00Z' })]);
    expect(out!.publishedAt).toEqual(new Date('2025-05-02T00:00:00Z'));
  });

  it('caps every field', () => {
    const [out] = normalize([
      item({
        guid: '1',
        title: 'T'.repeat(5000),
        summaryHtml: 's '.repeat(5000),
        contentHtml: `<p>${'c'.repeat(300 * 1024)}</p>`,
        author: 'A'.repeat(500),
        categories: Array.from({ length: 500 }, (_, i) => `cat${i}${'x'.repeat(200)}`),
        link: `https://e.example/${'p'.repeat(3000)}`,
      }),
    ]);
    expect(out!.title.length).toBeLessThanOrEqual(1000);
    expect(out!.summary.length).toBeLessThanOrEqual(2000);
    expect(out!.contentHtml.length).toBeLessThanOrEqual(200 * 1024);
    expect(out!.contentHtml.length).toBeGreaterThan(100 * 1024);
    expect(out!.author!.length).toBeLessThanOrEqual(200);
    expect(out!.categories).toHaveLength(50);
    expect(Math.max(...out!.categories.map((c) => c.length))).toBeLessThanOrEqual(100);
    expect(out!.url).toBeNull();
  });

  it('removes NUL and control characters from every string', () => {
    const nul = '\u0000\u0001';
    const [out] = normalize([
      item({
        guid: `g${nul}`,
        title: `t${nul}&#1;`,
        summaryHtml: `s${nul}&#0;`,
        contentHtml: `<p title="&#1;">c${nul}&#1;&#x1b;</p>`,
        author: `a${nul}`,
        categories: [`c${nul}`],
        sourceName: `o${nul}`,
      }),
    ]);
    const strings = [
      out!.key,
      out!.title,
      out!.summary,
      out!.contentHtml,
      out!.author,
      out!.outletName,
      ...out!.categories,
    ];
    for (const s of strings) expect(s).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  });

  it('gives the same contentHash for the same entry, a different one when it changes', () => {
    const entry = item({ guid: '1', title: 'T', published: '2025-05-01T00:00:00Z' });
    const later = normalizeItems(feed([entry]), {
      feedUrl: FEED_URL,
      now: new Date('2025-06-02T00:00:00Z'),
      maxItems: 10,
    });
    expect(normalize([entry])[0]!.contentHash).toBe(later[0]!.contentHash);
    expect(normalize([{ ...entry, title: 'T2' }])[0]!.contentHash).not.toBe(later[0]!.contentHash);
  });

  it('keeps an estimated date out of the contentHash (it is "now" on every fetch)', () => {
    const entry = item({ guid: '1', title: 'T' });
    const later = normalizeItems(feed([entry]), {
      feedUrl: FEED_URL,
      now: new Date('2025-06-02T00:00:00Z'),
      maxItems: 10,
    });
    expect(normalize([entry])[0]!.contentHash).toBe(later[0]!.contentHash);
  });

  it('gives the same key across fetches when only the fallback hash identifies an entry', () => {
    const entry = item({ title: 'No guid, no link', published: 'Tue, 06 May 2025 14:03:00 GMT' });
    expect(normalize([entry])[0]!.key).toBe(normalize([{ ...entry, summaryHtml: 'edited' }])[0]!.key);
  });
});
