// Hostile documents, served with a 200 by an honest server: XML attacks, sizes, encodings, things
// that are not feeds, odd shapes, and script. Each ends as a parse error on its feed or as safe items.
import assert from 'node:assert/strict';
import type { CheckContext, HostileCase, HostileEnv } from '../../helpers/hostile.js';
import { BREAKOUT_TITLE, CDATA_TRICKS, XSS_ESCAPED, XSS_VECTORS, escapeXml, lazy, randomToken, rssDoc, rssItem, streamItems } from './bodies.js';
import { RSS_TYPE, all, handle, neverStored, serve, storedItems, titlesAre } from './routes.js';

const MB = 1024 * 1024;
const XML_TYPE = { 'content-type': 'application/xml' };

/** A 200 whose body needs the servers' addresses. */
const serveWith = (body: (env: HostileEnv) => string, headers = RSS_TYPE) => handle((_req, res, { env }) => void res.writeHead(200, headers).end(body(env)));

/** No request reached a leak path named `tag`. */
const noLeak = (tag: string) => async (ctx: CheckContext) => assert.deepEqual(ctx.server.leaks().filter((h) => h.path.includes(tag)), []);

/** No stored string holds a control character (Postgres refuses NUL; the rest are never wanted). */
async function noControlCharacters(ctx: CheckContext): Promise<void> {
  for (const item of await storedItems(ctx)) {
    for (const value of Object.values(item)) {
      const strings = Array.isArray(value) ? value : [value];
      for (const s of strings) if (typeof s === 'string') assert.doesNotMatch(s, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/, `control character in ${JSON.stringify(s.slice(0, 80))}`);
    }
  }
}

/** Every stored link is null or an absolute http(s) URL. */
async function onlyHttpUrls(ctx: CheckContext): Promise<void> {
  for (const item of await storedItems(ctx)) {
    for (const url of [item.url, item.canonical_url, item.image_url]) if (url !== null) assert.match(url, /^https?:\/\//, `stored URL ${url}`);
  }
}

const maxLength = (field: 'title' | 'summary' | 'content_html' | 'author' | 'item_key' | 'url', max: number) => async (ctx: CheckContext) => {
  for (const item of await storedItems(ctx)) assert.ok((item[field] ?? '').length <= max, `${field} is ${(item[field] ?? '').length} characters (cap ${max})`);
};

const lol = Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('');

const XML_CASES: HostileCase[] = [
  {
    name: 'xxe-file', group: 'xml', title: 'external entity naming /etc/passwd',
    route: serve(rssDoc('<item><guid>1</guid><title>&xxe;</title><description>&xxe;</description></item>', { prolog: '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' })),
    expect: 'items', check: all(neverStored('root:'), titlesAre('&xxe;')),
  },
  {
    name: 'xxe-http', group: 'xml', title: 'external entity over HTTP to an allowed host',
    route: serveWith((env) => rssDoc('<item><guid>1</guid><title>a&xxe;b</title></item>', { prolog: `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${env.leakUrl('xxe-http')}">]>` })),
    expect: 'items', check: all(noLeak('xxe-http'), titlesAre('a&xxe;b')),
  },
  {
    name: 'parameter-entities', group: 'xml', title: 'parameter entities loading a remote DTD',
    route: serveWith((env) => rssDoc('<item><guid>1</guid><title>a&send;b</title></item>', { prolog: `<!DOCTYPE rss [<!ENTITY % remote SYSTEM "${env.leakUrl('pe')}"> %remote; <!ENTITY % inner "<!ENTITY send SYSTEM '${env.leakUrl('pe-send')}'>"> %inner;]>` })),
    expect: 'items', check: all(noLeak('pe'), titlesAre('a&send;b')),
  },
  {
    name: 'external-dtd', group: 'xml', title: 'external DTD subset (SYSTEM and PUBLIC)',
    route: serveWith((env) => rssDoc('<item><guid>1</guid><title>caf&eacute;&nbsp;ok</title></item>', { prolog: `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "${env.leakUrl('dtd')}">` })),
    expect: 'items', check: all(noLeak('dtd'), titlesAre('café ok')),
  },
  {
    name: 'stylesheet-and-schema', group: 'xml', title: 'xml-stylesheet PI and xsi:schemaLocation',
    route: serveWith((env) =>
      `<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="${env.leakUrl('xslt')}"?><rss version="2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x ${env.leakUrl('xsd')}"><channel><title>t</title>${rssItem('1', 'Styled')}</channel></rss>`),
    expect: 'items', check: all(noLeak('xslt'), noLeak('xsd'), titlesAre('Styled')),
  },
  {
    name: 'xinclude', group: 'xml', title: 'XInclude of a file and a URL',
    route: serveWith((env) => rssDoc(`<item xmlns:xi="http://www.w3.org/2001/XInclude"><guid>1</guid><title>t</title><description><xi:include href="file:///etc/passwd" parse="text"/><xi:include href="${env.leakUrl('xinclude')}" parse="text"/>safe</description></item>`)),
    expect: 'items', check: all(noLeak('xinclude'), neverStored('root:')),
  },
  {
    name: 'billion-laughs', group: 'xml', title: 'billion laughs (10^8 expansions)',
    route: serve(rssDoc('<item><guid>1</guid><title>&lol9;</title></item>', { prolog: `<!DOCTYPE lolz [<!ENTITY lol1 "lol">${lol}]>` })),
    expect: 'items', check: titlesAre('&lol9;'),
  },
  {
    name: 'quadratic-blowup', group: 'xml', title: 'quadratic blowup (50,000 × a 50 KB entity)',
    route: serve(lazy(() => rssDoc(`<item><guid>1</guid><title>${'&a;'.repeat(50_000)}</title></item>`, { prolog: `<!DOCTYPE rss [<!ENTITY a "${'a'.repeat(50_000)}">]>` }))),
    expect: 'items', check: maxLength('title', 1000),
  },
  {
    name: 'deep-nesting', group: 'xml', title: '100,000-deep element nesting',
    route: serve(lazy(() => rssDoc(`<item><guid>1</guid>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</item>`))),
    expect: 'error', errorKind: 'parse', message: 'parse: elements nested deeper than 256 levels',
  },
  {
    name: 'deep-json', group: 'xml', title: '100,000-deep JSON arrays',
    route: serve(lazy(() => '['.repeat(100_000) + ']'.repeat(100_000)), { 'content-type': 'application/feed+json' }),
    expect: 'error', errorKind: 'parse', message: 'parse: not a feed (JSON that is not a JSON Feed)',
  },
];

const SIZE_CASES: HostileCase[] = [
  {
    name: 'body-50mb', group: 'size', title: '50 MB body, chunked (no Content-Length)',
    route: handle((_req, res) => streamItems(res, 50 * MB, RSS_TYPE)),
    // The size cap ends it, or the total timeout when a busy worker reads slower than FETCH_MAX_BYTES per FETCH_TIMEOUT.
    expect: 'error', errorKind: 'fetch', message: /^fetch: (body exceeds the \S+ MB limit|no complete response within)/,
  },
  {
    name: 'body-50mb-declared', group: 'size', title: '50 MB body with its Content-Length',
    route: handle((_req, res) => {
      res.writeHead(200, { ...RSS_TYPE, 'content-length': String(50 * MB) });
      res.write('<rss version="2.0"><channel>');
    }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'items-100k', group: 'size', title: '100,000 items (3 MB): only MAX_ITEMS_PER_FETCH kept',
    route: serve(lazy(() => rssDoc(Array.from({ length: 100_000 }, (_, i) => `<item><guid>g${i}</guid></item>`).join('')))),
    expect: 'items', items: { min: 500, max: 500 },
  },
  {
    name: 'title-2mb', group: 'size', title: 'a 2 MB title',
    route: serve(lazy(() => rssDoc(rssItem('1', 'T'.repeat(2 * MB))))),
    expect: 'items', check: maxLength('title', 1000),
  },
  {
    name: 'channel-title-2mb', group: 'size', title: 'a 2 MB feed title',
    route: serve(lazy(() => rssDoc(rssItem('1', 'ok'), { channel: `<title>${'C '.repeat(MB)}</title>` }))),
    expect: 'items',
    check: async (ctx) => {
      const row = (await ctx.db.query<{ title: string | null }>('SELECT title FROM feeds WHERE id = $1', [ctx.feedId])).rows[0];
      assert.ok((row?.title ?? '').length <= 1000, `feed title is ${(row?.title ?? '').length} characters`);
    },
  },
  {
    name: 'guid-100kb', group: 'size', title: 'a 100 KB guid',
    route: serve(lazy(() => rssDoc(`<item><guid>${randomToken(100 * 1024)}</guid><title>Long guid</title></item>`))),
    expect: 'items', check: maxLength('item_key', 100),
  },
  {
    name: 'categories-100k', group: 'size', title: '100,000 categories on one item',
    route: serve(lazy(() => rssDoc(`<item><guid>1</guid><title>Tagged</title>${Array.from({ length: 100_000 }, (_, i) => `<category>c${i}</category>`).join('')}</item>`))),
    expect: 'items',
    check: async (ctx) => assert.ok((await storedItems(ctx)).every((i) => i.categories.length <= 50)),
  },
  {
    name: 'every-field-huge', group: 'size', title: 'MB-sized description, content, author; 100 KB links',
    route: serve(lazy(() =>
      rssDoc(`<item><guid>1</guid><title>Huge fields</title><link>https://hostile.example/${randomToken(100 * 1024, 2)}</link>
        <description>${'word '.repeat(MB / 5)}</description><content:encoded>${escapeXml('<p>para</p>'.repeat(65_000))}</content:encoded>
        <dc:creator>${'A'.repeat(100 * 1024)}</dc:creator><enclosure url="https://hostile.example/${randomToken(100 * 1024, 3)}.png" type="image/png"/>
        <source url="https://hostile.example/">${'S'.repeat(100 * 1024)}</source></item>`))),
    expect: 'items',
    check: all(maxLength('summary', 2000), maxLength('content_html', 200 * 1024), maxLength('author', 200), maxLength('url', 2000), onlyHttpUrls),
  },
  {
    name: 'url-2000', group: 'size', title: 'a 2,000-character link as the only identity (indexed column)',
    route: serve(lazy(() => rssDoc(`<item><title>Long link</title><link>https://hostile.example/${randomToken(1960, 4)}</link></item>`))),
    expect: 'items', items: { min: 1, max: 1 },
  },
  {
    name: 'control-characters', group: 'size', title: 'NUL and control characters in every field',
    route: serve(rssDoc(
      '<item><guid>g\u00001\u0001</guid><title>a\u0000b\u0001c\u001Fd\u007Fe\u0085f</title><link>https://hostile.example/\u0000x</link>' +
        '<description>d\u0000e&#0;&#1;&#x1F;</description><content:encoded>&lt;p&gt;c\u0000&amp;#0;&lt;/p&gt;</content:encoded>' +
        '<dc:creator>w\u0000ho</dc:creator><category>c\u0000at</category></item>',
      { channel: '<title>Chan\u0000nel\u0007 title</title>' },
    )),
    expect: 'items',
    check: all(noControlCharacters, async (ctx) => {
      const title = (await ctx.db.query<{ title: string | null }>('SELECT title FROM feeds WHERE id = $1', [ctx.feedId])).rows[0]?.title ?? '';
      assert.doesNotMatch(title, /[\u0000-\u001F]/);
    }),
  },
];

/** The same document as bytes in another encoding. */
const utf16 = (text: string, bom: boolean, bigEndian: boolean): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  const bytes = bigEndian ? Buffer.from(le).swap16() : le;
  const mark = bigEndian ? Buffer.from([0xfe, 0xff]) : Buffer.from([0xff, 0xfe]);
  return bom ? Buffer.concat([mark, bytes]) : bytes;
};
const UNICODE_TITLE = 'café – ünïcödé ✓';
const encodedDoc = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?><rss version="2.0"><channel><title>t</title>${rssItem('1', UNICODE_TITLE)}</channel></rss>`;
const XML_NO_CHARSET = { 'content-type': 'application/rss+xml' };

const ENCODING_CASES: HostileCase[] = [
  {
    name: 'invalid-utf8', group: 'encoding', title: 'invalid UTF-8 sequences',
    route: serve(Buffer.concat([Buffer.from(rssDoc('<item><guid>1</guid><title>bad ').replace('</channel></rss>', '')), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xed, 0xa0, 0x80]), Buffer.from(' bytes</title></item></channel></rss>')])),
    expect: 'items', check: all(noControlCharacters, async (ctx) => assert.match((await storedItems(ctx))[0]!.title, /^bad .* bytes$/)),
  },
  {
    name: 'declared-latin1-utf8-bytes', group: 'encoding', title: 'declares ISO-8859-1, bytes are UTF-8',
    route: serve(Buffer.from(encodedDoc('ISO-8859-1'), 'utf8'), XML_NO_CHARSET),
    expect: 'items', check: titlesAre(UNICODE_TITLE),
  },
  {
    name: 'declared-utf8-latin1-bytes', group: 'encoding', title: 'declares UTF-8, bytes are ISO-8859-1',
    route: serve(Buffer.from(encodedDoc('UTF-8').replace(UNICODE_TITLE, 'café olé'), 'latin1'), XML_NO_CHARSET),
    expect: 'items', check: async (ctx) => assert.match((await storedItems(ctx))[0]!.title, /^caf.+ol.$/),
  },
  {
    name: 'unknown-encoding-label', group: 'encoding', title: 'encoding="x-klingon-9"',
    route: serve(Buffer.from(encodedDoc('x-klingon-9'), 'utf8'), XML_NO_CHARSET),
    expect: 'items', check: titlesAre(UNICODE_TITLE),
  },
  {
    name: 'utf7-script', group: 'encoding', title: 'UTF-7 hiding <script> in +ADw-',
    route: serve(Buffer.from(rssDoc('<item><guid>1</guid><title>+ADw-script+AD4-alert(1)+ADw-/script+AD4-Seven</title></item>', { declaration: '<?xml version="1.0" encoding="UTF-7"?>' }), 'latin1'), XML_NO_CHARSET),
    expect: 'items', check: all(neverStored('<script', 'alert(1)'), titlesAre('Seven')),
  },
  {
    name: 'utf16le-bom', group: 'encoding', title: 'UTF-16LE with a byte-order mark',
    route: serve(utf16(encodedDoc('UTF-16'), true, false), XML_NO_CHARSET),
    expect: 'items', check: titlesAre(UNICODE_TITLE),
  },
  {
    name: 'utf16be-no-bom', group: 'encoding', title: 'UTF-16BE without a byte-order mark',
    route: serve(utf16(encodedDoc('UTF-16BE'), false, true), XML_NO_CHARSET),
    expect: 'items', check: titlesAre(UNICODE_TITLE),
  },
  {
    name: 'utf16-label-ascii-bytes', group: 'encoding', title: 'declares UTF-16, bytes are ASCII',
    route: serve(Buffer.from(encodedDoc('UTF-16').replace(UNICODE_TITLE, 'plain ascii'), 'utf8'), XML_NO_CHARSET),
    expect: 'items', check: titlesAre('plain ascii'),
  },
  {
    name: 'nul-bytes', group: 'encoding', title: 'NUL bytes between and inside elements',
    route: serve(Buffer.from(rssDoc('\u0000<item>\u0000<guid>1</guid><title>n\u0000ul</title></item>\u0000'), 'utf8')),
    expect: 'items', check: all(noControlCharacters, titlesAre('nul')),
  },
];

const HTML_TYPE = { 'content-type': 'text/html; charset=utf-8' };
const PAGE = '<!DOCTYPE html><html><head><title>Home</title></head><body><p>A web page.</p></body></html>';

const NOT_FEED_CASES: HostileCase[] = [
  { name: 'html-page', group: 'not-feed', title: 'an HTML page advertising no feed', route: serve(PAGE, HTML_TYPE), expect: 'error', errorKind: 'parse', message: 'parse: not a feed: an HTML page that advertises no feed' },
  { name: 'html-as-rss', group: 'not-feed', title: 'an HTML page served as application/rss+xml', route: serve(PAGE), expect: 'error', errorKind: 'parse', message: 'parse: not a feed' },
  {
    name: 'html-discovers-html', group: 'not-feed', title: 'a page whose advertised feed is another page',
    route: handle((_req, res, { env }) => void res.writeHead(200, HTML_TYPE).end(`<html><head><link rel="alternate" type="application/rss+xml" href="${env.caseUrl('html-discovers-html', 'feed.xml')}"></head><body>x</body></html>`)),
    expect: 'error', errorKind: 'parse', message: /^parse: not a feed: .*advertised by the page, is HTML/,
  },
  { name: 'rss-no-channel', group: 'not-feed', title: 'an <rss> root with no channel', route: serve('<?xml version="1.0"?><rss version="2.0"></rss>'), expect: 'error', errorKind: 'parse', message: 'parse: not a feed: no channel' },
  { name: 'json-not-feed', group: 'not-feed', title: 'JSON that is not a JSON Feed', route: serve('{"status":"ok","items":[]}', { 'content-type': 'application/json' }), expect: 'error', errorKind: 'parse', message: 'parse: not a feed (JSON that is not a JSON Feed)' },
  { name: 'json-broken', group: 'not-feed', title: 'a JSON Feed cut short', route: serve('{"version": "https://jsonfeed.org/version/1.1", "items": [', { 'content-type': 'application/feed+json' }), expect: 'error', errorKind: 'parse', message: 'parse: not well-formed JSON' },
  { name: 'svg', group: 'not-feed', title: 'an SVG image with a script', route: serve('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', { 'content-type': 'image/svg+xml' }), expect: 'error', errorKind: 'parse', message: 'parse: not a feed (SVG image)' },
  { name: 'empty', group: 'not-feed', title: 'an empty 200', route: serve(''), expect: 'error', errorKind: 'parse', message: 'parse: empty document' },
  { name: 'no-content-204', group: 'not-feed', title: '204 No Content', route: handle((_req, res) => void res.writeHead(204).end()), expect: 'error', errorKind: 'parse', message: 'parse: empty document' },
  { name: 'whitespace', group: 'not-feed', title: 'whitespace only', route: serve(' \n\t\r\n  \uFEFF'), expect: 'error', errorKind: 'parse', message: 'parse: empty document' },
  { name: 'plain-text', group: 'not-feed', title: 'plain text', route: serve('Service Unavailable', { 'content-type': 'text/plain' }), expect: 'error', errorKind: 'parse', message: 'parse: not a feed (no markup)' },
  { name: 'binary', group: 'not-feed', title: 'a PNG image', route: serve(Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d9cc6a0000000049454e44ae426082', 'hex'), { 'content-type': 'image/png' }), expect: 'error', errorKind: 'parse' },
  { name: 'truncated-first-item', group: 'not-feed', title: 'cut inside the first item', route: serve('<rss version="2.0"><channel><item><guid>1</guid><title>cut'), expect: 'error', errorKind: 'parse', message: 'parse: document is truncated before its first complete entry' },
  { name: 'truncated-after-items', group: 'not-feed', title: 'cut after two complete items', route: serve('<rss version="2.0"><channel><item><guid>1</guid></item><item><guid>2</guid></item><item><guid>3</guid><title>cut in the mid'), expect: 'items', items: { min: 2, max: 2 } },
  { name: 'two-roots', group: 'not-feed', title: 'two root elements', route: serve(`${rssDoc(rssItem('first', 'First'))}${rssDoc(rssItem('second', 'Second')).replace(/^<\?xml[^>]*>/, '')}`), expect: 'items', check: titlesAre('First') },
  { name: 'undeclared-entities', group: 'not-feed', title: 'HTML entities XML never declared', route: serve(rssDoc('<item><guid>1</guid><title>caf&eacute;&nbsp;&hellip; &copy; &unknownentity; AT&T</title></item>')), expect: 'items', check: titlesAre('café … © &unknownentity; AT&T') },
  { name: 'junk-before-declaration', group: 'not-feed', title: 'a PHP warning before the XML declaration', route: serve(`<b>Warning</b>: headers already sent in /var/www/x.php<br />\n${rssDoc(rssItem('1', 'After junk'))}`), expect: 'items', check: titlesAre('After junk') },
];

const SHAPE_CASES: HostileCase[] = [
  {
    name: 'odd-shapes', group: 'shape', title: 'guid, link and title as attributes, objects and empties',
    route: serve(rssDoc(`<item><guid isPermaLink="true">https://hostile.example/p/1</guid><title type="html" xml:lang="en">Shaped</title></item>
      <item><link href="https://hostile.example/p/2" rel="alternate"/><title><![CDATA[C]]>D</title></item>
      <item><guid><b>nested</b> guid</guid><title><span>Nested</span> title</title><link><a>https://hostile.example/p/3</a></link></item>
      <item guid="attr" title="attr" link="https://hostile.example/attr"><description>Only a description</description></item>
      <item><guid/><link/><title/></item>`)),
    expect: 'items', items: { min: 3 }, check: all(neverStored('[object Object]', 'undefined', '"null"'), onlyHttpUrls),
  },
  { name: 'missing-fields', group: 'shape', title: 'items with nothing in them', route: serve('<rss version="2.0"><channel><item/><item></item><item>just text</item></channel></rss>'), expect: 'items', items: { min: 1, max: 1 } },
  { name: 'no-items', group: 'shape', title: 'a valid channel with no items', route: serve(rssDoc('')), expect: 'items', items: { min: 0, max: 0 } },
  {
    name: 'duplicate-guids', group: 'shape', title: 'one guid three times in a document',
    route: serve(rssDoc(`${rssItem('d', 'first')}${rssItem('d', 'second')}${rssItem('d', 'third')}`)),
    expect: 'items', check: titlesAre('first'),
  },
  {
    name: 'copied-guids', group: 'shape', title: "another feed's guids and links, retitled",
    route: serve(rssDoc([1, 2, 3].map((n) => rssItem(`control-alpha-${n}`, 'OVERWRITTEN by another feed')).join(''))),
    expect: 'items', items: { min: 3, max: 3 },
    check: async (ctx) => {
      const rows = await ctx.db.query<{ title: string }>('SELECT title FROM items WHERE feed_id = ANY($1::int[])', [ctx.controlFeedIds]);
      assert.ok(rows.rows.length > 0);
      for (const r of rows.rows) assert.doesNotMatch(r.title, /OVERWRITTEN/);
    },
  },
  {
    name: 'bad-dates', group: 'shape', title: 'year 0, year 9999, unparseable and impossible dates',
    route: serve(rssDoc(['Sat, 01 Jan 0000 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'not a date', '-001-01-01', '2025-13-45T99:99:99Z', '1e309', '', 'Tue, 06 May 2025 10:00:00 GMT']
      .map((d, i) => rssItem(`date-${i}`, `Dated ${i}`, `<pubDate>${d}</pubDate>`)).join(''))),
    expect: 'items', items: { min: 8, max: 8 },
    check: async (ctx) => {
      const items = await storedItems(ctx);
      const good = items.find((i) => i.title === 'Dated 7')!;
      assert.equal(good.date_estimated, false);
      assert.equal(good.published_at.toISOString(), '2025-05-06T10:00:00.000Z');
      for (const i of items) assert.ok(i.published_at.getTime() < Date.now() + 86_400_000 && i.published_at.getUTCFullYear() >= 1990, `${i.title}: ${i.published_at.toISOString()}`);
    },
  },
  {
    name: 'json-feed-shapes', group: 'shape', title: 'JSON Feed fields of the wrong types',
    route: serve(JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1', title: { x: 1 },
      items: [{ id: 1, title: { a: 'b' }, url: ['https://x.example'], content_html: 5, tags: 'notarray', date_published: {} }, null, 5, 'str', { id: 'ok', title: 'Fine', url: 'https://hostile.example/ok' }],
    }), { 'content-type': 'application/feed+json' }),
    expect: 'items', check: all(neverStored('[object Object]'), onlyHttpUrls),
  },
];

const xhtml = '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="alert(1)">x</p><script>alert(1)</script><a href="javascript:alert(1)">j</a><iframe src="https://evil.example/"/><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/></div>';
const BAD_URLS = ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '&#106;avascript:alert(1)', 'data:text/html,%3Cscript%3Ealert(1)%3C/script%3E', 'vbscript:msgbox(1)', 'feed:javascript:alert(1)', 'jar:https://x!/'];

const SCRIPT_CASES: HostileCase[] = [
  {
    name: 'xss-rss-escaped', group: 'script', title: 'escaped script in every RSS field',
    route: serve(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${XSS_ESCAPED}</title>
      <item><guid>1</guid><title>Escaped ${XSS_ESCAPED}</title><description>${XSS_ESCAPED}</description><content:encoded>${XSS_ESCAPED}</content:encoded>
      <dc:creator>${XSS_ESCAPED}</dc:creator><category>${XSS_ESCAPED}</category><source url="javascript:alert(1)">${XSS_ESCAPED}</source><comments>javascript:alert(1)</comments>
      <link>javascript:alert(1)</link><enclosure url="javascript:alert(1)" type="image/png"/></item></channel></rss>`),
    expect: 'items', check: onlyHttpUrls,
  },
  {
    name: 'xss-rss-cdata', group: 'script', title: 'script in CDATA, and CDATA tricks',
    route: serve(rssDoc(`<item><guid>1</guid><title><![CDATA[Cdata ${XSS_VECTORS}]]></title><description><![CDATA[${XSS_VECTORS}]]></description><content:encoded><![CDATA[${XSS_VECTORS}]]></content:encoded></item>
      <item><guid>2</guid><title>Tricks ${CDATA_TRICKS}</title><description>${CDATA_TRICKS}</description><link>data:text/html,x</link></item>`)),
    expect: 'items', items: { min: 2, max: 2 }, check: onlyHttpUrls,
  },
  {
    name: 'xss-rss-raw', group: 'script', title: 'raw (unescaped) markup in text elements',
    route: serve(rssDoc(`<item><guid>1</guid><title>Raw <p onclick="alert(1)">x<script>alert(1)</script><img src="javascript:alert(1)"/></p></title><description>${XSS_VECTORS.replace(/&lt;|&gt;|&#x09;/g, '')}</description></item>`)),
    expect: 'items',
  },
  {
    name: 'xss-atom', group: 'script', title: 'Atom html, xhtml and text content; javascript: links and base',
    route: serve(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title type="html">${XSS_ESCAPED}</title>
      <entry><id>1</id><title type="html">Atom ${XSS_ESCAPED}</title><summary type="html">${XSS_ESCAPED}</summary><content type="html">${XSS_ESCAPED}</content>
        <author><name>${XSS_ESCAPED}</name><uri>javascript:alert(1)</uri></author><category term="${escapeXml(XSS_ESCAPED)}"/><link href="javascript:alert(1)"/><link rel="enclosure" href="vbscript:x"/></entry>
      <entry><id>2</id><title type="xhtml">${xhtml}</title><content type="xhtml">${xhtml}</content><summary type="xhtml">${xhtml}</summary><link href="relative/path"/></entry>
      <entry><id>3</id><title type="text">${XSS_ESCAPED}</title><content type="text">${XSS_ESCAPED}</content><content type="text/html" src="javascript:alert(1)"/></entry></feed>`,
    { 'content-type': 'application/atom+xml' }),
    expect: 'items', items: { min: 3, max: 3 }, check: onlyHttpUrls,
  },
  {
    name: 'xss-json-feed', group: 'script', title: 'script in every JSON Feed field',
    route: serve(JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1', title: XSS_VECTORS, home_page_url: 'javascript:alert(1)',
      items: [{ id: '1', url: 'javascript:alert(1)', external_url: 'data:text/html,x', title: `Json ${XSS_VECTORS}`, content_html: XSS_VECTORS, content_text: XSS_VECTORS, summary: XSS_VECTORS, image: 'javascript:alert(1)', banner_image: 'vbscript:x', authors: [{ name: XSS_VECTORS, url: 'javascript:alert(1)' }], tags: [XSS_VECTORS] }],
    }), { 'content-type': 'application/feed+json' }),
    expect: 'items', check: onlyHttpUrls,
  },
  {
    name: 'xss-urls', group: 'script', title: 'javascript:, data:, vbscript: links in every spelling',
    route: serve(rssDoc(BAD_URLS.map((u, i) => `<item><guid>u${i}</guid><title>Link ${i}</title><link>${u.startsWith('&') ? u : escapeXml(u)}</link><enclosure url="${escapeXml(u)}" type="image/jpeg"/><description>${escapeXml(`<a href="${u}">x</a><img src="${u}">`)}</description></item>`).join(''))),
    expect: 'items', items: { min: BAD_URLS.length, max: BAD_URLS.length }, check: onlyHttpUrls,
  },
  {
    name: 'xss-xml-base', group: 'script', title: 'xml:base="javascript:" under relative links',
    route: serve(rssDoc(`<item xml:base="javascript:alert(1)//"><guid>1</guid><title>Based</title><link>x</link><description>${escapeXml('<a href="y">y</a><img src="z">')}</description></item>`, { channel: '<title>t</title><link>javascript:alert(1)</link>' })),
    expect: 'items', check: onlyHttpUrls,
  },
  {
    // "Trojan Source" spoofing: an override reverses what follows it wherever the text is shown.
    name: 'bidi-controls', group: 'script', title: 'bidi override, embedding and isolate controls in titles and names',
    route: serve(rssDoc(`<item><guid>bidi-1</guid><title>Invoice \u202Efdp.exe\u202C attached</title><author>a@b.example (Ev\u2066il\u2069)</author><category>Wo\u202Brld</category><source url="https://wire.example/">Wire\u2067 Co</source><description>Sum\u202Dmary</description><link>https://hostile.example/bidi</link></item>`)),
    expect: 'items', items: { min: 1, max: 1 },
    check: async (ctx) => {
      const [item] = await storedItems(ctx);
      const plain = [item!.title, item!.summary, item!.author, ...(item!.categories as string[])];
      assert.deepEqual(plain, ['Invoice fdp.exe attached', 'Summary', 'Evil', 'World']);
      const source = await ctx.db.query<{ outlet_name: string }>('SELECT outlet_name FROM items WHERE feed_id = $1', [ctx.feedId]);
      assert.equal(source.rows[0]!.outlet_name, 'Wire Co');
    },
  },
  {
    name: 'breakout', group: 'script', title: 'a title that would break out of RSS, JSON and HTML',
    route: serve(rssDoc(`<item><guid>b</guid><title>${escapeXml(BREAKOUT_TITLE)}</title><description>${escapeXml(BREAKOUT_TITLE)}</description><category>${escapeXml(BREAKOUT_TITLE)}</category><link>https://hostile.example/breakout</link></item>`)),
    expect: 'items', items: { min: 1, max: 1 },
  },
];

export const DOCUMENT_CASES: HostileCase[] = [...XML_CASES, ...SIZE_CASES, ...ENCODING_CASES, ...NOT_FEED_CASES, ...SHAPE_CASES, ...SCRIPT_CASES];
