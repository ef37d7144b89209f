import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import type { FeedSource } from '../../src/model.js';
import { MAX_ATTRIBUTE_CHARS, MAX_OPML_CHARS, readOpml, writeOpml } from '../../src/sources/opml.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sources');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const NOW = new Date('2025-05-09T14:30:00Z');

const source = (url: string, outlet: string, rest: Partial<FeedSource> = {}): FeedSource => ({
  url,
  outlet,
  section: null,
  title: null,
  site: null,
  region: null,
  ...rest,
});

describe('readOpml: other readers’ exports', () => {
  it('reads a Miniflux export: outlet from the feed title, folders as categories, entities decoded', () => {
    expect(readOpml(fixture('miniflux.opml'))).toEqual([
      source('https://feeds.bbci.co.uk/news/world/rss.xml', 'BBC News - World', {
        title: 'BBC News - World',
        site: 'https://www.bbc.co.uk/news/world',
      }),
      source('https://www.theguardian.com/world/rss', 'World news | The Guardian', {
        title: 'World news | The Guardian',
        site: 'https://www.theguardian.com/world',
      }),
      source('https://feeds.npr.org/1014/rss.xml', 'NPR Topics: Politics', {
        title: 'NPR Topics: Politics',
        site: 'https://www.npr.org/templates/story/story.php?storyId=1014&ft=nprml',
      }),
    ]);
  });

  it('reads a FreshRSS export: title from text, namespaced attributes ignored', () => {
    expect(readOpml(fixture('freshrss.opml'))).toEqual([
      source(
        'https://www.aljazeera.com/xml/rss/all.xml',
        'Al Jazeera – Breaking News, World News and Video from Al Jazeera',
        {
          title: 'Al Jazeera – Breaking News, World News and Video from Al Jazeera',
          site: 'https://www.aljazeera.com/',
        },
      ),
      source('https://rss.nytimes.com/services/xml/rss/nyt/World.xml', 'NYT > World News', {
        title: 'NYT > World News',
        site: 'https://www.nytimes.com/section/world',
      }),
      source('https://feeds.elpais.com/mrss-s/pages/ep/site/english.elpais.com/portada', 'El País (English)', {
        title: 'El País (English)',
        site: 'https://english.elpais.com/',
      }),
    ]);
  });

  it('reads a NetNewsWire OPML 1.1 export with top-level feeds and folders three deep', () => {
    expect(readOpml(fixture('netnewswire.opml')).map((s) => [s.url, s.outlet])).toEqual([
      ['https://daringfireball.net/feeds/main', 'Daring Fireball'],
      ['https://feeds.bbci.co.uk/news/world/latin_america/rss.xml', 'BBC News - Latin America'],
      ['https://www.pbs.org/newshour/feeds/rss/politics', 'Politics | PBS News'],
    ]);
  });

  it('keeps a feed listed in two Feedly categories once, at its first place', () => {
    expect(readOpml(fixture('feedly.opml')).map((s) => s.url)).toEqual([
      'https://www.theguardian.com/world/rss',
      'https://feeds.npr.org/1004/rss.xml',
    ]);
  });
});

describe('readOpml: Storyline’s conventions', () => {
  it('takes the outlet, site and region of an enclosing type="outlet" folder, at any depth', () => {
    const xml = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Hand-written</title></head><body>
  <outline text="Regional">
    <outline text="BBC News" type="outlet" htmlUrl="https://www.bbc.co.uk/news" region="UK">
      <outline text="World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" section="World"/>
      <outline text="By region">
        <outline text="Latin America" section="Latin America" xmlUrl="https://feeds.bbci.co.uk/news/world/latin_america/rss.xml" htmlUrl="https://www.bbc.co.uk/news/world/latin_america"/>
      </outline>
    </outline>
  </outline>
  <outline text="Al Jazeera" type="OUTLET"><outline xmlUrl="https://www.aljazeera.com/xml/rss/all.xml" region="Qatar"/></outline>
</body></opml>`;
    expect(readOpml(xml)).toEqual([
      source('https://feeds.bbci.co.uk/news/world/rss.xml', 'BBC News', {
        section: 'World',
        title: 'World',
        site: 'https://www.bbc.co.uk/news',
        region: 'UK',
      }),
      source('https://feeds.bbci.co.uk/news/world/latin_america/rss.xml', 'BBC News', {
        section: 'Latin America',
        title: 'Latin America',
        site: 'https://www.bbc.co.uk/news/world/latin_america',
        region: 'UK',
      }),
      source('https://www.aljazeera.com/xml/rss/all.xml', 'Al Jazeera', { region: 'Qatar' }),
    ]);
  });

  it('reads an outline with an outlet attribute verbatim: no inference from text or folders', () => {
    const xml = `<opml version="2.0"><body><outline text="Wire" type="outlet" htmlUrl="https://wire.example/" region="US">
      <outline type="rss" text="Display only" xmlUrl="https://news.example/feed" outlet="The Example" section="World"/>
    </outline></body></opml>`;
    expect(readOpml(xml)).toEqual([source('https://news.example/feed', 'The Example', { section: 'World' })]);
  });

  it('fills in what other readers leave out: the host for an unnamed feed, trimmed and collapsed text', () => {
    const xml = `<opml version="1.0"><body>
      <outline xmlUrl="https://www.example.com/feed"/>
      <outline type="rss" text="  Two
          lines  &#233;&amp;amp; " title="" xmlUrl=" https://Two.Example/rss "/>
      <outline xmlUrl="feed://old.example/rss.xml"/>
      <outline xmlUrl="feed:https://safari.example/atom" htmlUrl="javascript:alert(1)"/>
      <outline text="Empty folder"/>
    </body></opml>`;
    expect(readOpml(xml)).toEqual([
      source('https://www.example.com/feed', 'example.com'),
      source('https://two.example/rss', 'Two lines é&amp;', { title: 'Two lines é&amp;' }),
      source('http://old.example/rss.xml', 'old.example'),
      source('https://safari.example/atom', 'safari.example'),
    ]);
  });

  it('tolerates the raw & that hand-edited files leave in URLs', () => {
    const xml =
      '<opml version="2.0"><body><outline text="Search" xmlUrl="https://news.google.com/rss/search?q=site:dhs.gov&hl=en-US&lt=1"/></body></opml>';
    expect(readOpml(xml).map((s) => s.url)).toEqual([
      'https://news.google.com/rss/search?q=site:dhs.gov&hl=en-US&lt=1',
    ]);
  });

  it('returns no feeds for an empty body', () => {
    expect(readOpml('<opml version="2.0"><head><title>Empty</title></head><body/></opml>')).toEqual([]);
  });

  it('refuses a feed URL that cannot be fetched, naming the feed', () => {
    const xml = '<opml version="2.0"><body><outline text="Local" xmlUrl="file:///etc/passwd"/></body></opml>';
    expect(() => readOpml(xml)).toThrow(InvalidInputError);
    expect(() => readOpml(xml)).toThrow(
      'sources: feed "Local" has URL "file:///etc/passwd": only absolute http and https URLs can be fetched',
    );
    expect(() => readOpml('<opml version="2.0"><body><outline xmlUrl="/relative/rss"/></body></opml>')).toThrow(
      /only absolute http/,
    );
  });
});

describe('readOpml: hostile and invalid documents', () => {
  const notOpml = (xml: string, detail: RegExp) => {
    let caught: unknown;
    try {
      readOpml(xml);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as Error).message).toMatch(/^sources: not an OPML document: /);
    expect((caught as Error).message).toMatch(detail);
  };

  it('refuses a billion-laughs document without expanding it', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n  ')}
]>
<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://a.example/"/></body></opml>`;
    notOpml(lol, /DTD entities/);
  });

  it('refuses an external entity (XXE) instead of reading the file', () => {
    notOpml(
      `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://a.example/"/></body></opml>`,
      /DTD entities/,
    );
  });

  it('refuses a document over the size limit before parsing it', () => {
    const huge = `<opml version="2.0"><body>${'<outline text="x"/>'.repeat(Math.ceil(MAX_OPML_CHARS / 18) + 1)}</body></opml>`;
    expect(huge.length).toBeGreaterThan(MAX_OPML_CHARS);
    notOpml(huge, /10 MB limit/);
  });

  it('reads 10,000 feeds', () => {
    const outlines = Array.from(
      { length: 10_000 },
      (_, i) => `<outline text="Feed ${i}" xmlUrl="https://site${i % 40}.example/feed/${i}.xml"/>`,
    );
    const feeds = readOpml(
      `<opml version="2.0"><body><outline text="Bulk">${outlines.join('\n')}</outline></body></opml>`,
    );
    expect(feeds).toHaveLength(10_000);
    expect(feeds[9_999]).toEqual(source('https://site39.example/feed/9999.xml', 'Feed 9999', { title: 'Feed 9999' }));
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    notOpml(
      `<opml version="2.0"><body>${'<outline text="f">'.repeat(5000)}${'</outline>'.repeat(5000)}</body></opml>`,
      /nested/i,
    );
  });

  it.each([
    [
      'an RSS feed',
      '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
      /root element is <rss>, not <opml>/,
    ],
    ['an HTML page', '<!DOCTYPE html><html><head><title>x</title></head><body><p>hi<br></body></html>', /line 1/],
    ['an empty string', '', /line 1/],
    ['plain text', 'Service Unavailable', /line 1/],
    ['truncated XML', '<opml version="2.0"><body><outline xmlUrl="https://a.example/">', /.+/],
    ['OPML without a body', '<opml version="2.0"><head><title>x</title></head></opml>', /no <body>/],
  ])('refuses %s', (_name, xml, detail) => {
    notOpml(xml, detail);
  });
});

describe('writeOpml', () => {
  const sources: FeedSource[] = [
    source('https://www.theguardian.com/world/rss', 'The Guardian', {
      section: 'World',
      title: 'The Guardian – World',
      site: 'https://www.theguardian.com/',
      region: 'UK',
    }),
    source('https://news.google.com/rss/search?q=site:apnews.com&hl=en-US&gl=US&ceid=US:en', 'Associated Press', {
      title: 'AP "via" <Google> & co',
      region: 'US',
    }),
    source('https://www.theguardian.com/world/mexico/rss', 'The Guardian', { section: 'Mexico' }),
    source('https://example.com/feed', 'Ça & Là <Presse> "libre" l\'été 😀'),
  ];

  it('round-trips exactly, order, nulls and awkward characters included', () => {
    expect(readOpml(writeOpml(sources, { title: 'Mine', now: NOW }))).toEqual(sources);
  });

  it('writes an OPML 2.0 head and one outlet folder per run of an outlet’s feeds, with escaped attributes', () => {
    const xml = writeOpml(sources, { title: 'Q & A <sources>', now: NOW });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(xml).toContain('<title>Q &amp; A &lt;sources&gt;</title>');
    expect(xml).toContain('<dateCreated>Fri, 09 May 2025 14:30:00 GMT</dateCreated>');
    expect(xml).toContain(
      'xmlUrl="https://news.google.com/rss/search?q=site:apnews.com&amp;hl=en-US&amp;gl=US&amp;ceid=US:en"',
    );
    expect(xml).toContain('title="AP &quot;via&quot; &lt;Google&gt; &amp; co"');
    expect(xml.match(/type="outlet"/g)).toHaveLength(4);
    // Other readers need text on every outline: a feed without a title shows outlet and section.
    expect(xml).toContain('text="The Guardian – Mexico"');
  });

  it('round-trips any normalised sources (property)', () => {
    const text = fc
      .string({ unit: fc.constantFrom(...'ab Z09 &<>"\'é–中😀\t'.split('')), minLength: 1, maxLength: 12 })
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s.length > 0);
    const url = fc.webUrl({ withQueryParameters: true }).map((u) => new URL(u).href);
    const arbitrarySource = fc.record({
      url,
      outlet: text,
      section: fc.option(text, { nil: null }),
      title: fc.option(text, { nil: null }),
      site: fc.option(url, { nil: null }),
      region: fc.option(text, { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbitrarySource, { selector: (s) => s.url, maxLength: 8 }), (list) => {
        expect(readOpml(writeOpml(list, { title: 't', now: NOW }))).toEqual(list);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readOpml: oversized attributes', () => {
  const doc = (attrs: string) =>
    `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body><outline type="rss" ${attrs}/></body></opml>`;

  it('refuses an attribute beyond the limit, naming the outline by its URL, else its text', () => {
    expect(() =>
      readOpml(doc(`text="Big" outlet="${'x'.repeat(MAX_ATTRIBUTE_CHARS + 1)}" xmlUrl="https://big.example/rss"`)),
    ).toThrow(
      `sources: the outline for "https://big.example/rss": its outlet attribute is ${MAX_ATTRIBUTE_CHARS + 1} characters long; at most ${MAX_ATTRIBUTE_CHARS} are accepted`,
    );
    expect(() => readOpml(doc(`text="Big" xmlUrl="https://x.example/${'p'.repeat(MAX_ATTRIBUTE_CHARS)}"`))).toThrow(
      'sources: the outline "Big": its xmlUrl attribute is',
    );
  });

  it('refuses a feed URL longer than 2,048 characters, and reads one at the limit', () => {
    const url = (n: number) => `https://x.example/${'p'.repeat(n - 'https://x.example/'.length)}`;
    expect(() => readOpml(doc(`text="Long" xmlUrl="${url(2049)}"`))).toThrow(
      'sources: feed "Long" has a URL of 2049 characters; at most 2048 are accepted',
    );
    expect(readOpml(doc(`text="Long" xmlUrl="${url(2048)}"`))[0]!.url).toHaveLength(2048);
  });
});
