// Hostile documents: each must end as a clear ParseError or as safe items — never an expanded entity,
// a request, a file read, a hang or a crash. Bodies go through parseFeed and normalizeItems like a fetch.
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Item, ParsedFeed } from '../../src/model.js';
import { normalizeFeedTitle, normalizeItems } from '../../src/normalize/index.js';
import { parseFeed } from '../../src/parse/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function items(body: string, maxItems = 500): Promise<Item[]> {
  return normalizeItems(await parseFeed(body), { feedUrl: 'https://feeds.example.org/feed.xml', now: NOW, maxItems });
}

async function parseError(body: string): Promise<string> {
  const err = await parseFeed(body).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ParseError);
  return (err as ParseError).message;
}

function rss(itemsXml: string, channelExtra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>${channelExtra}${itemsXml}</channel></rss>`;
}

const ALLOWED_SCHEME = /^(https?:|mailto:)/i;
const UNSAFE_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'base',
  'meta',
  'link',
  'svg',
  'math',
  'frame',
  'applet',
]);

/** What a browser would run in `html`: unsafe elements, event handlers, style attributes, non-http(s) URLs. */
function dangerousMarkup(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      if (UNSAFE_ELEMENTS.has(name)) found.push(`<${name}>`);
      for (const [key, value] of Object.entries(attribs)) {
        if (/^on/i.test(key) || key === 'style') found.push(`${name}[${key}]`);
        if (
          (key === 'href' || key === 'src') &&
          /^\s*[a-z][a-z0-9+.-]*:/i.test(value) &&
          !ALLOWED_SCHEME.test(value.trim())
        )
          found.push(`${name}[${key}=${value}]`);
      }
    },
  });
  parser.end(html);
  return found;
}

/** Every string an item carries, for "this must not appear anywhere" checks. */
function allText(list: Item[] | ParsedFeed): string {
  return JSON.stringify(list);
}

describe('entities and DTDs are never resolved', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer({
      '/evil.dtd': { body: '<!ENTITY % all "<!ENTITY send SYSTEM \'http://127.0.0.1/leak\'>"> %all;' },
      '/rss.dtd': { body: '<!ENTITY nbsp "&#160;">' },
      '/secret': { body: 'SECRET-FROM-THE-NETWORK' },
    });
  });
  afterAll(() => server.close());

  it('XXE to a local file: the reference stays literal text', async () => {
    const out = await items(
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${rss('<item><guid>1</guid><title>&xxe;</title><description>&xxe;</description></item>')}`,
    );
    expect(out[0]!.title).toBe('&xxe;');
    expect(allText(out)).not.toMatch(/root:/);
  });

  it('XXE over HTTP to 127.0.0.1: no request is made', async () => {
    const out = await items(
      `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${server.url('/secret')}">]>${rss('<item><guid>1</guid><title>&xxe;</title></item>')}`,
    );
    expect(allText(out)).not.toContain('SECRET-FROM-THE-NETWORK');
    expect(server.requests).toEqual([]);
  });

  it('parameter entities and an external DTD subset: no request, entities stay text', async () => {
    const out = await items(
      `<!DOCTYPE rss SYSTEM "${server.url('/rss.dtd')}" [<!ENTITY % remote SYSTEM "${server.url('/evil.dtd')}"> %remote; ]>${rss('<item><guid>1</guid><title>a&send;b</title></item>')}`,
    );
    expect(out[0]!.title).toBe('a&send;b');
    expect(server.requests).toEqual([]);
  });

  it('a public external DTD (RSS 0.91 style) is ignored and the feed still parses', async () => {
    const out = await items(
      `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "${server.url('/rss.dtd')}"><rss version="0.91"><channel><title>T</title><item><title>caf&eacute;&nbsp;ok</title><link>https://e.example/1</link></item></channel></rss>`,
    );
    expect(out[0]!.title).toBe('café ok');
    expect(server.requests).toEqual([]);
  });

  it('XInclude is an unknown element, never processed', async () => {
    const out = await items(
      rss(
        `<item xmlns:xi="http://www.w3.org/2001/XInclude"><guid>1</guid><title>t</title><description><xi:include href="file:///etc/passwd" parse="text"/><xi:include href="${server.url('/secret')}" parse="text"/>safe</description></item>`,
      ),
    );
    expect(out[0]!.summary).toBe('safe');
    expect(allText(out)).not.toMatch(/root:|SECRET-FROM-THE-NETWORK/);
    expect(server.requests).toEqual([]);
  });

  it('billion laughs: nothing expands', async () => {
    const levels = Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join(
      '',
    );
    const out = await items(
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">${levels}]>${rss('<item><guid>1</guid><title>&lol9;</title></item>')}`,
    );
    expect(out[0]!.title).toBe('&lol9;');
  });

  it('quadratic blowup: the reference is not expanded and the title is capped', async () => {
    const out = await items(
      `<!DOCTYPE rss [<!ENTITY a "${'a'.repeat(50_000)}">]>${rss(`<item><guid>1</guid><title>${'&a;'.repeat(50_000)}</title></item>`)}`,
    );
    expect(out[0]!.title.startsWith('&a;&a;')).toBe(true);
    expect(out[0]!.title.length).toBeLessThanOrEqual(1000);
  });
});

describe('size and shape attacks', () => {
  it('100,000-deep nesting is a clear ParseError', async () => {
    expect(await parseError(rss(`<item><guid>1</guid>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</item>`))).toBe(
      'parse: elements nested deeper than 256 levels',
    );
  });

  it('100,000-deep JSON is refused cleanly', async () => {
    expect(await parseError('['.repeat(100_000) + ']'.repeat(100_000))).toBe(
      'parse: not a feed (JSON that is not a JSON Feed)',
    );
  });

  it('a 2 MB title is capped', async () => {
    const out = await items(rss(`<item><guid>1</guid><title>${'T'.repeat(2 * 1024 * 1024)}</title></item>`));
    expect(out[0]!.title.length).toBeLessThanOrEqual(1000);
  });

  it('a 100 KB guid becomes a hash key', async () => {
    const out = await items(rss(`<item><guid>${'g'.repeat(100 * 1024)}</guid></item>`));
    expect(out[0]!.key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('100,000 categories: at most 50 kept', async () => {
    const out = await items(
      rss(
        `<item><guid>1</guid>${Array.from({ length: 100_000 }, (_, i) => `<category>c${i}</category>`).join('')}</item>`,
      ),
    );
    expect(out[0]!.categories).toHaveLength(50);
  });

  it('100,000 items (50 MB): parsing stops at maxItems, normalising keeps its own cap', async () => {
    const body = rss(
      Array.from(
        { length: 100_000 },
        (_, i) => `<item><guid>g${i}</guid><title>Item ${i} ${'x'.repeat(400)}</title></item>`,
      ).join(''),
    );
    expect(body.length).toBeGreaterThan(45_000_000);
    const feed = await parseFeed(body, { maxItems: 1000 });
    expect(feed.items).toHaveLength(1000);
    expect(feed.items[999]!.guid).toBe('g999');
    const out = normalizeItems(feed, { feedUrl: 'https://e.example/', now: NOW, maxItems: 200 });
    expect(out).toHaveLength(200);
  });
});

describe('broken bytes and broken documents', () => {
  it('invalid UTF-8 remnants (U+FFFD) and NUL bytes do not break the parse', async () => {
    const out = await items(
      rss('<item><guid>1</guid><title>caf\uFFFD \u0000nul\u0000</title><description>a\u0000b</description></item>'),
    );
    expect(out[0]!.title).toBe('caf\uFFFD nul');
    expect(out[0]!.summary).toBe('ab');
  });

  it('an HTML page', async () => {
    expect(await parseError('<!DOCTYPE html><html><head><title>Hi</title></head><body>page</body></html>')).toBe(
      'parse: not a feed (HTML page)',
    );
    expect(await parseError('<html><body>page</body></html>')).toBe('parse: not a feed (HTML page)');
  });

  it('JSON that is not a JSON Feed, and JSON that is not JSON', async () => {
    expect(await parseError('{"status":"ok","items":[]}')).toBe('parse: not a feed (JSON that is not a JSON Feed)');
    expect(await parseError('{"version": "https://jsonfeed.org/version/1.1", "items": [')).toMatch(
      /^parse: not well-formed JSON/,
    );
  });

  it('an SVG image', async () => {
    expect(
      await parseError('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ).toBe('parse: not a feed (SVG image)');
  });

  it('empty and whitespace-only bodies', async () => {
    expect(await parseError('')).toBe('parse: empty document');
    expect(await parseError(' \n\t\r\n  \uFEFF')).toBe('parse: empty document');
  });

  it('plain text', async () => {
    expect(await parseError('Service Unavailable')).toBe('parse: not a feed (no markup)');
  });

  it('truncated after complete items: those items are kept', async () => {
    const out = await items(
      '<rss version="2.0"><channel><item><guid>1</guid></item><item><guid>2</guid><title>cut in the mid',
    );
    expect(out.map((i) => i.key)).toEqual(['1']);
  });

  it('truncated inside the first item', async () => {
    expect(await parseError('<rss version="2.0"><channel><item><guid>1</guid><title>cut')).toBe(
      'parse: document is truncated before its first complete entry',
    );
  });

  it('missing only the final end tags', async () => {
    expect((await items('<rss version="2.0"><channel><item><guid>1</guid></item>')).map((i) => i.key)).toEqual(['1']);
  });

  it('two root elements: only the first document counts', async () => {
    const out = await items(
      `${rss('<item><guid>first</guid></item>')}<rss version="2.0"><channel><item><guid>second</guid></item></channel></rss>`,
    );
    expect(out.map((i) => i.key)).toEqual(['first']);
  });

  it('undeclared HTML entities', async () => {
    const out = await items(
      rss('<item><guid>1</guid><title>caf&eacute;&nbsp;&hellip; &copy; &unknownentity; AT&T</title></item>'),
    );
    expect(out[0]!.title).toBe('café … © &unknownentity; AT&T');
  });

  it('junk before the XML declaration', async () => {
    expect((await items(`garbage\n\n<?xml version="1.0"?>${rss('<item><guid>1</guid></item>')}`)).length).toBe(1);
    expect(
      (
        await items(
          `<b>Warning</b>: headers already sent in /var/www/x.php<br />\n<?xml version="1.0"?>${rss('<item><guid>1</guid></item>')}`,
        )
      ).length,
    ).toBe(1);
    expect((await items(`\uFEFF\n\n  ${rss('<item><guid>1</guid></item>')}`)).length).toBe(1);
  });

  it('guid, link and title with attributes or odd shapes', async () => {
    const feed = await parseFeed(
      rss(`<item><guid isPermaLink="true">https://e.example/p/1</guid><title type="html" xml:lang="en">Shaped</title></item>
           <item><link href="https://e.example/p/2" rel="alternate"/><title><![CDATA[C]]>D</title></item>
           <item><guid/><link/><title/></item>`),
    );
    expect(feed.items.map((i) => [i.guid, i.link, i.title])).toEqual([
      ['https://e.example/p/1', 'https://e.example/p/1', 'Shaped'],
      [null, 'https://e.example/p/2', 'CD'],
      [null, null, null],
    ]);
  });

  it('missing fields everywhere', async () => {
    const out = await items('<rss version="2.0"><channel><item/><item></item><item>just text</item></channel></rss>');
    expect(out.length).toBe(1);
    expect(out[0]).toMatchObject({ title: '(untitled)', url: null, dateEstimated: true });
  });

  it('duplicate guids: the first entry wins', async () => {
    const out = await items(
      rss('<item><guid>d</guid><title>first</title></item><item><guid>d</guid><title>second</title></item>'),
    );
    expect(out.map((i) => i.title)).toEqual(['first']);
  });

  it('year 0, far-future and unparseable dates become estimated, and the feed survives', async () => {
    const out = await items(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id><published>0000-01-01T00:00:00Z</published></entry>
       <entry><id>b</id><published>9999-12-31T23:59:59Z</published></entry><entry><id>c</id><published>not a date</published></entry>
       <entry><id>d</id><published>2025-05-01T00:00:00Z</published></entry></feed>`,
    );
    expect(out.map((i) => i.dateEstimated)).toEqual([true, true, true, false]);
    expect(out.slice(0, 3).every((i) => i.publishedAt.getTime() === NOW.getTime())).toBe(true);
  });
});

describe('XSS vectors in every text field', () => {
  const vectors = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)><script>alert(1)</script></svg>',
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    '<a href="javascript:alert(1)">j</a><a href="data:text/html,<script>alert(1)</script>">d</a><a href="vbscript:msgbox(1)">v</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus></form>',
    '<iframe src="javascript:alert(1)"></iframe><object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<style>@import "javascript:alert(1)";</style><div style="background:url(javascript:alert(1))">s</div>',
    '<p onclick="alert(1)" onmouseover="alert(1)">p</p>',
  ].join('');
  const escaped = vectors.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cdataTrick = '<![CDATA[<script>alert(1)</script>]]><![CDATA[]]>&lt;script&gt;alert(1)&lt;/script&gt;';

  function assertSafe(list: Item[]): void {
    expect(list.length).toBeGreaterThan(0);
    for (const item of list) {
      for (const text of [item.title, item.summary, item.author ?? '', item.outletName ?? '', ...item.categories]) {
        expect(text).not.toMatch(/<\s*(script|img|svg|math|iframe|object|embed|form|input|meta|base|style|a|p|div)\b/i);
        expect(text).not.toMatch(/alert\(1\)/);
      }
      expect(dangerousMarkup(item.contentHtml)).toEqual([]);
      for (const url of [item.url, item.canonicalUrl, item.imageUrl])
        if (url !== null) expect(url).toMatch(/^https?:\/\//);
    }
  }

  it('RSS: escaped HTML in title, description, content:encoded, author, category, source', async () => {
    assertSafe(
      await items(
        `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${escaped}</title>
         <item><guid>1</guid><title>${escaped}</title><description>${escaped}</description><content:encoded>${escaped}</content:encoded>
         <dc:creator>${escaped}</dc:creator><category>${escaped}</category><source url="javascript:alert(1)">${escaped}</source>
         <link>javascript:alert(1)</link><enclosure url="javascript:alert(1)" type="image/png"/></item></channel></rss>`,
      ),
    );
  });

  it('RSS: the same vectors in CDATA, and CDATA tricks', async () => {
    assertSafe(
      await items(
        rss(`<item><guid>1</guid><title><![CDATA[${vectors}]]></title><description><![CDATA[${vectors}]]></description></item>
             <item><guid>2</guid><title>${cdataTrick}</title><description>${cdataTrick}</description><link>data:text/html,x</link></item>`),
      ),
    );
  });

  it('RSS: raw (unescaped) markup inside text elements', async () => {
    const raw = '<p onclick="alert(1)">x<script>alert(1)</script><img src="javascript:alert(1)"/></p>';
    assertSafe(await items(rss(`<item><guid>1</guid><title>${raw}</title><description>${raw}</description></item>`)));
  });

  it('Atom: content type="html", type="xhtml", type="text", and summary', async () => {
    const xhtml =
      '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="alert(1)">x</p><script>alert(1)</script><a href="javascript:alert(1)">j</a><iframe src="https://evil.example/"/></div>';
    assertSafe(
      await items(
        `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">${escaped}</title>
         <entry><id>1</id><title type="html">${escaped}</title><summary type="html">${escaped}</summary><content type="html">${escaped}</content>
           <author><name>${escaped}</name></author><category term="${escaped.replace(/"/g, '&quot;')}"/><link href="javascript:alert(1)"/></entry>
         <entry><id>2</id><title type="xhtml">${xhtml}</title><content type="xhtml">${xhtml}</content><summary type="xhtml">${xhtml}</summary></entry>
         <entry><id>3</id><title type="text">${escaped}</title><content type="text">${escaped}</content></entry></feed>`,
      ),
    );
  });

  it('JSON Feed: every field', async () => {
    assertSafe(
      await items(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: vectors,
          items: [
            {
              id: '1',
              url: 'javascript:alert(1)',
              title: vectors,
              content_html: vectors,
              content_text: vectors,
              summary: vectors,
              image: 'javascript:alert(1)',
              authors: [{ name: vectors }],
              tags: [vectors],
            },
          ],
        }),
      ),
    );
  });

  it('a feed title never carries markup either, once normalised', async () => {
    const feed = await parseFeed(`<rss version="2.0"><channel><title>${escaped}</title></channel></rss>`);
    expect(normalizeFeedTitle(feed.title)).not.toMatch(/<|alert\(1\)/);
  });
});
