// Field extraction quirks, one small document per quirk: JSON Feed, schedule hints, and the rss-parser
// pitfalls the parse stage works around.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/index.js';

function rssWith(channel: string): Promise<Awaited<ReturnType<typeof parseFeed>>> {
  return parseFeed(
    `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title>${channel}</channel></rss>`,
  );
}

describe('schedule hints', () => {
  it('reads ttl, sy:updatePeriod/Frequency, skipHours and skipDays', async () => {
    const feed = await rssWith(
      '<ttl>60</ttl><sy:updatePeriod> Daily </sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency><skipHours><hour>0</hour><hour>23</hour><hour>24</hour><hour>7</hour></skipHours><skipDays><day>saturday</day><day>Sun</day><day>Funday</day></skipDays>',
    );
    expect(feed.hints).toEqual({
      ttlMinutes: 60,
      updatePeriod: 'daily',
      updateFrequency: 2,
      skipHours: [0, 7, 23],
      skipDays: ['Saturday', 'Sunday'],
    });
  });

  it('ignores values out of range or not numbers', async () => {
    const feed = await rssWith(
      '<ttl>-5</ttl><sy:updatePeriod>fortnightly</sy:updatePeriod><sy:updateFrequency>often</sy:updateFrequency><skipHours><hour>25</hour><hour>x</hour></skipHours>',
    );
    expect(feed.hints).toEqual({
      ttlMinutes: null,
      updatePeriod: null,
      updateFrequency: null,
      skipHours: [],
      skipDays: [],
    });
  });
});

describe('JSON Feed', () => {
  const base = { version: 'https://jsonfeed.org/version/1', title: 'J', home_page_url: 'https://j.example/' };

  it('maps every item field; plain-text fields are escaped as HTML', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        ...base,
        author: { name: 'Feed Author' },
        items: [
          {
            id: 42,
            url: 'https://j.example/1',
            title: 'A < B & C',
            content_text: 'line <1>',
            summary: 'S',
            date_published: '2025-05-06T14:03:00Z',
            tags: ['x', 7, null],
            banner_image: 'https://j.example/b.png',
          },
          {
            id: 'e',
            external_url: 'https://other.example/',
            content_html: '<p>h</p>',
            authors: [{ url: 'no name' }, { name: 'Second' }],
          },
        ],
      }),
    );
    expect(feed).toMatchObject({ format: 'json', title: 'J', siteUrl: 'https://j.example/' });
    expect(feed.items[0]).toMatchObject({
      guid: '42',
      link: 'https://j.example/1',
      title: 'A &lt; B &amp; C',
      contentHtml: 'line &lt;1&gt;',
      summaryHtml: 'S',
      author: 'Feed Author',
      published: '2025-05-06T14:03:00Z',
      categories: ['x', '7'],
      imageUrl: 'https://j.example/b.png',
    });
    expect(feed.items[1]).toMatchObject({
      guid: 'e',
      link: 'https://other.example/',
      contentHtml: '<p>h</p>',
      author: 'Second',
    });
  });

  it('skips items that are not objects and caps the item count', async () => {
    const feed = await parseFeed(
      JSON.stringify({ ...base, items: [1, 'x', null, ...Array.from({ length: 10 }, (_, i) => ({ id: String(i) }))] }),
      { maxItems: 5 },
    );
    expect(feed.items.map((i) => i.guid)).toEqual(['0', '1']);
  });

  it('accepts a feed without version only when it has items and a feed or home page URL', async () => {
    expect((await parseFeed(JSON.stringify({ feed_url: 'https://j.example/feed.json', items: [] }))).format).toBe(
      'json',
    );
    await expect(parseFeed(JSON.stringify({ version: 'https://example.com/v1', items: [] }))).rejects.toThrow(
      'parse: not a feed (JSON that is not a JSON Feed)',
    );
    await expect(parseFeed('[1,2,3]')).rejects.toThrow('parse: not a feed (JSON that is not a JSON Feed)');
  });
});

describe('rss-parser pitfalls', () => {
  it('an unparseable Atom <published> rejects nothing', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><published>garbage</published></entry><entry><id>2</id></entry></feed>',
    );
    expect(feed.items.map((i) => [i.guid, i.published])).toEqual([
      ['1', 'garbage'],
      ['2', null],
    ]);
  });

  it('an Atom <link> without attributes, an empty <entry/> and a text-only <entry>', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><link>https://site.example/</link><entry/><entry>text</entry><entry><id>3</id><link>https://e.example/3</link></entry></feed>',
    );
    expect(feed.siteUrl).toBe('https://site.example/');
    expect(feed.items.map((i) => i.link)).toEqual([null, null, 'https://e.example/3']);
  });

  it('control characters inside element content (xml2js Builder would throw)', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><content type="html">a&#1;b<b>c</b></content></entry></feed>',
    );
    expect(feed.items[0]!.contentHtml).toBe('a\uFFFDb<b>c</b>');
  });

  it('numeric references to C1 controls are read as windows-1252, as HTML reads them', async () => {
    const feed = await rssWith('<item><title>don&#146;t &#x93;quote&#x94; &#8217;ok&#8217; &#129;</title></item>');
    expect(feed.items[0]!.title).toBe('don\u2019t \u201cquote\u201d \u2019ok\u2019 \u0081');
  });

  it('RSS without a version attribute is read as RSS 2.0', async () => {
    const feed = await parseFeed('<rss><channel><item><title>t</title></item></channel></rss>');
    expect(feed.items[0]!.title).toBe('t');
  });

  it('an Atom entry inherits the feed author; RSS uses dc:creator, author, itunes:author', async () => {
    const atom = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Feed Writer</name></author><entry><id>1</id></entry><entry><id>2</id><author><name>Own</name></author></entry></feed>',
    );
    expect(atom.items.map((i) => i.author)).toEqual(['Feed Writer', 'Own']);
    const rss = await parseFeed(
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><author>a@b.example (A)</author><dc:creator>DC</dc:creator></item><item><author>a@b.example (A)</author></item></channel></rss>',
    );
    expect(rss.items.map((i) => i.author)).toEqual(['DC', 'a@b.example (A)']);
  });

  it('a permalink guid stands in for a missing link; isPermaLink="false" does not', async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><item><guid>https://e.example/1</guid></item><item><guid isPermaLink="false">https://e.example/2</guid></item></channel></rss>',
    );
    expect(feed.items.map((i) => i.link)).toEqual(['https://e.example/1', null]);
  });

  it('Atom links: alternate html first, never self/edit/replies', async () => {
    const feed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><link rel="self" href="https://e.example/self"/><link rel="alternate" type="application/json" href="https://e.example/json"/><link href="https://e.example/html" type="text/html"/></entry>
       <entry><id>2</id><link rel="edit" href="https://e.example/edit"/><link rel="replies" href="https://e.example/replies"/></entry>
       <entry><id>3</id><link rel="related" href="https://e.example/related"/></entry></feed>`,
    );
    expect(feed.items.map((i) => i.link)).toEqual(['https://e.example/html', null, 'https://e.example/related']);
  });

  it('Atom text constructs: text is escaped, html kept, base64 decoded (Atom 0.3)', async () => {
    const feed = await parseFeed(
      `<feed xmlns="http://purl.org/atom/ns#" version="0.3"><entry><id>1</id><title>a &lt;b&gt;</title><summary type="text/html" mode="escaped">&lt;b&gt;x&lt;/b&gt;</summary>
       <content type="text/html" mode="base64">${Buffer.from('<p>decoded</p>').toString('base64')}</content></entry></feed>`,
    );
    expect(feed.items[0]).toMatchObject({
      title: 'a &lt;b&gt;',
      summaryHtml: '<b>x</b>',
      contentHtml: '<p>decoded</p>',
    });
  });

  it('out-of-line Atom content (src) gives no content', async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><content src="https://e.example/c" type="text/html"/><summary>s</summary></entry></feed>',
    );
    expect(feed.items[0]).toMatchObject({ contentHtml: null, summaryHtml: 's' });
  });
});
