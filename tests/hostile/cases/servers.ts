// Hostile servers and forbidden addresses: each ends as a clear fetch or HTTP error on its feed, in
// bounded time, with no socket left open and no request reaching a private address.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { CheckContext, HostileCase, HostileEnv } from '../../helpers/hostile.js';
import { drip, lazy, rssDoc, rssItem, streamItems } from './bodies.js';
import { RSS_TYPE, handle, redirect, reply, serve, titlesAre } from './routes.js';

const FEED = rssDoc(rssItem('1', 'Served fine'));
/** One gzip member of 1 MB of zeros: repeated, it is a valid gzip stream that never ends (and costs the server nothing). */
const GZIP_MEGABYTE = lazy(() => zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 }));
const endlessGzip = () => new Readable({ read() { this.push(GZIP_MEGABYTE()); } });

/** The feed's next fetch was set `minS`…`maxS` seconds after its last one. */
const nextFetchWithin = (minS: number, maxS: number) => async (ctx: CheckContext) => {
  const row = (await ctx.db.query<{ next_fetch_at: Date; last_fetched_at: Date }>('SELECT next_fetch_at, last_fetched_at FROM feeds WHERE id = $1', [ctx.feedId])).rows[0]!;
  const seconds = (row.next_fetch_at.getTime() - row.last_fetched_at.getTime()) / 1000;
  assert.ok(seconds >= minS && seconds <= maxS, `next fetch in ${Math.round(seconds)} s, expected ${minS}…${maxS} s`);
};

const SERVER_CASES_HTTP: HostileCase[] = [
  {
    name: 'drip-headers', group: 'server', title: 'status line, then one header byte per second',
    route: { raw: (socket) => { socket.write('HTTP/1.1 200 OK\r\nX-Drip: '); drip(socket, 'x', 1000); } },
    expect: 'error', errorKind: 'fetch', message: 'fetch: no response headers within',
  },
  {
    name: 'drip-body', group: 'server', title: 'headers, then one body byte per second',
    route: handle((_req, res) => { res.writeHead(200, RSS_TYPE); res.flushHeaders(); drip(res, '<', 1000); }),
    expect: 'error', errorKind: 'fetch', message: 'fetch: no complete response within',
  },
  {
    name: 'never-answers', group: 'server', title: 'accepts the connection, never answers',
    route: { raw: () => undefined },
    expect: 'error', errorKind: 'fetch', message: 'fetch: no response headers within',
  },
  {
    name: 'endless-body', group: 'server', title: 'a body that never ends',
    route: handle((_req, res) => streamItems(res, Number.POSITIVE_INFINITY, RSS_TYPE)),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'huge-content-length', group: 'server', title: 'Content-Length: 1 TB',
    route: handle((_req, res) => { res.writeHead(200, { ...RSS_TYPE, 'content-length': String(1024 ** 4) }); res.write('<rss>'); }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'gzip-bomb', group: 'server', title: 'endless gzip of zeros (1 MB per KB)',
    route: handle((_req, res) => { res.writeHead(200, { ...RSS_TYPE, 'content-encoding': 'gzip' }); endlessGzip().pipe(res); }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'gzip-bomb-nested', group: 'server', title: 'gzip inside gzip: 64 MB of zeros in a few KB',
    // 64 gzip members of 1 MB of zeros each (one valid gzip file), gzipped again: cheap to build, 64 MB to unpack.
    route: serve(lazy(() => zlib.gzipSync(Buffer.concat(Array.from({ length: 64 }, GZIP_MEGABYTE)))), { ...RSS_TYPE, 'content-encoding': 'gzip' }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'brotli-bomb', group: 'server', title: '64 MB of zeros in 12 KB of brotli',
    route: serve(lazy(() => zlib.brotliCompressSync(Buffer.alloc(64 * 1024 * 1024), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })), { ...RSS_TYPE, 'content-encoding': 'br' }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body exceeds the \S+ MB limit/,
  },
  {
    name: 'unknown-content-encoding', group: 'server', title: 'Content-Encoding: compress',
    route: serve(FEED, { ...RSS_TYPE, 'content-encoding': 'compress' }),
    expect: 'error', errorKind: 'fetch', message: 'fetch: unsupported Content-Encoding',
  },
  {
    name: 'corrupt-gzip', group: 'server', title: 'Content-Encoding: gzip over garbage',
    route: serve(Buffer.from('this is not gzip at all, just text pretending'), { ...RSS_TYPE, 'content-encoding': 'gzip' }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: body does not decompress/,
  },
  {
    name: 'redirect-loop', group: 'server', title: 'A → B → A',
    route: handle((req, res, { env }) => void res.writeHead(302, { location: req.url!.endsWith('/b') ? env.caseUrl('redirect-loop') : env.caseUrl('redirect-loop', 'b') }).end()),
    expect: 'error', errorKind: 'fetch', message: 'fetch: redirect loop',
  },
  {
    name: 'redirect-chain', group: 'server', title: 'a chain of 30 redirects',
    route: handle((req, res, { env }) => {
      const n = Number(/\/hop(\d+)$/.exec(req.url!)?.[1] ?? 0);
      res.writeHead(n < 30 ? 301 : 200, n < 30 ? { location: env.caseUrl('redirect-chain', `hop${n + 1}`) } : RSS_TYPE).end(n < 30 ? '' : FEED);
    }),
    expect: 'error', errorKind: 'fetch', message: /^fetch: more than \d+ redirects/,
  },
  {
    name: 'redirect-no-location', group: 'server', title: '301 without a Location',
    route: reply(301), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 301 redirect without a Location header',
  },
  {
    name: 'reset-mid-body', group: 'server', title: 'connection reset in the middle of the body',
    route: { raw: (socket) => { socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n${FEED.slice(0, 60)}`); setTimeout(() => socket.resetAndDestroy(), 50); } },
    expect: 'error', errorKind: 'fetch', message: /^fetch: connection (reset|closed)/,
  },
  {
    name: 'short-body', group: 'server', title: 'body shorter than its Content-Length',
    route: { raw: (socket) => void socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n${FEED}`) },
    expect: 'error', errorKind: 'fetch', message: /^fetch: (body shorter|connection closed)/,
  },
  {
    name: 'closes-without-answer', group: 'server', title: 'reads the request, closes',
    route: { raw: (socket) => void socket.end() }, expect: 'error', errorKind: 'fetch', message: /^fetch: /,
  },
  {
    name: 'huge-headers', group: 'server', title: 'a 60 KB response header',
    route: serve(FEED, { ...RSS_TYPE, 'x-padding': 'a'.repeat(60 * 1024) }),
    expect: 'error', errorKind: 'fetch', message: 'fetch: response headers exceed',
  },
  {
    name: 'many-headers', group: 'server', title: '5,000 response headers',
    route: serve(FEED, { ...RSS_TYPE, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-h${i}`, 'value'])) }),
    expect: 'error', errorKind: 'fetch', message: 'fetch: response headers exceed',
  },
  {
    name: 'not-http', group: 'server', title: 'an SSH banner instead of HTTP',
    route: { raw: (socket) => void socket.write('SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001garbage\r\n\r\n') },
    expect: 'error', errorKind: 'fetch', message: 'fetch: response is not valid HTTP',
  },
  {
    name: 'http-0.9', group: 'server', title: 'a bare body with no status line',
    route: { raw: (socket) => void socket.end(FEED) }, expect: 'error', errorKind: 'fetch', message: 'fetch: response is not valid HTTP',
  },
  {
    name: 'status-304-unconditional', group: 'server', title: '304 to a request without validators',
    route: reply(304), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 304 Not Modified to a request without validators',
  },
  { name: 'status-500', group: 'server', title: '500 Internal Server Error', route: reply(500, {}, 'oops'), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 500 Internal Server Error' },
  { name: 'status-404', group: 'server', title: '404 Not Found', route: reply(404), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 404 Not Found' },
  { name: 'status-999', group: 'server', title: 'an unknown status code 999', route: { raw: (socket) => void socket.end('HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n') }, expect: 'error', errorKind: 'http', message: 'fetch: HTTP 999' },
  {
    name: 'status-429-retry-after', group: 'server', title: '429 with Retry-After: 3600',
    route: reply(429, { 'retry-after': '3600' }), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 429 Too Many Requests, retry after 3600 s',
    check: nextFetchWithin(3599, 3601),
  },
  {
    name: 'status-503-retry-after-date', group: 'server', title: '503 with Retry-After as a date two hours ahead',
    route: handle((_req, res) => void res.writeHead(503, { 'retry-after': new Date(Date.now() + 2 * 3600_000).toUTCString() }).end()),
    expect: 'error', errorKind: 'http', message: /^fetch: HTTP 503 Service Unavailable, retry after \d+ s/, check: nextFetchWithin(7000, 7300),
  },
  {
    name: 'status-429-retry-after-huge', group: 'server', title: '429 with Retry-After: 10^9 s (capped)',
    route: reply(429, { 'retry-after': '999999999' }), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 429',
    check: nextFetchWithin(60, 7 * 86_400 + 60),
  },
  {
    name: 'status-410', group: 'server', title: '410 Gone: polling stops',
    route: reply(410), expect: 'error', errorKind: 'http', message: 'fetch: HTTP 410 Gone: the feed was removed',
    check: async (ctx) => assert.equal((await ctx.db.query<{ state: string }>('SELECT state FROM feeds WHERE id = $1', [ctx.feedId])).rows[0]!.state, 'gone'),
  },
  { name: 'wrong-content-type', group: 'server', title: 'an RSS body served as image/png', route: serve(FEED, { 'content-type': 'image/png' }), expect: 'items', check: titlesAre('Served fine') },
  {
    name: 'wrong-charset', group: 'server', title: 'charset=utf-16 on a UTF-8 body',
    route: serve(FEED, { 'content-type': 'application/rss+xml; charset=utf-16' }), expect: 'items', check: titlesAre('Served fine'),
  },
  {
    name: 'unknown-charset', group: 'server', title: 'charset=x-unknown-42',
    route: serve(FEED, { 'content-type': 'application/rss+xml; charset=x-unknown-42' }), expect: 'items', check: titlesAre('Served fine'),
  },
  {
    name: 'fails-every-other', group: 'server', title: 'a server that fails every other request',
    route: handle((_req, res, { hit }) => void (hit % 2 === 1 ? res.writeHead(500).end('flaky') : res.writeHead(200, RSS_TYPE).end(FEED))),
    expect: 'error', errorKind: 'http', message: 'fetch: HTTP 500', retry: 'items',
  },
  {
    name: 'hostile-validators', group: 'server', title: 'an 8 KB binary ETag and a garbage Last-Modified',
    route: { raw: (socket) => void socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: "${'\u00ff\u00fe\u0080'.repeat(2700)}"\r\nLast-Modified: \u00e9t\u00e9 ${'9'.repeat(500)}\r\nContent-Length: ${Buffer.byteLength(FEED)}\r\nConnection: close\r\n\r\n${FEED}`, 'latin1') },
    expect: 'items', retry: 'items', check: titlesAre('Served fine'),
  },
  {
    name: 'slow-but-fine', group: 'server', title: 'answers after 300 ms',
    route: handle((_req, res) => void setTimeout(() => res.writeHead(200, RSS_TYPE).end(FEED), 300)), expect: 'items',
  },
];

/** No request for `path` reached the allowed server (it was only asked for under another name). */
const neverRequested = (path: string) => async (ctx: CheckContext) => {
  const reached = ctx.server.hits.filter((h) => h.server === 'http' && h.path === path);
  assert.deepEqual(reached.map((h) => h.path), [], 'the allowed port was reached under another name');
};

/** A feed URL on a private address: refused before any connection, so the secret server stays silent. */
const blocked = (name: string, title: string, url: (env: HostileEnv) => string): HostileCase => ({
  name, group: 'address', title, route: { url }, expect: 'error', errorKind: 'fetch', message: /^fetch: refusing to connect to /,
});
/** A redirect from the allowed server to somewhere it must not lead. */
const redirectTo = (name: string, title: string, to: (env: HostileEnv) => string, message = /^fetch: refusing to connect to /): HostileCase => ({
  name, group: 'address', title, route: redirect(to), expect: 'error', errorKind: 'fetch', message,
});
const NOT_HTTP = /^fetch: only http and https URLs can be fetched/;

const ADDRESS_CASES: HostileCase[] = [
  blocked('loopback-other-port', '127.0.0.1 on a port not in ALLOW_PRIVATE_HOSTS', (e) => `${e.secretOrigin}/feed`),
  blocked('localhost-name', 'localhost (loopback after DNS)', (e) => `http://localhost:${e.secretPort}/feed`),
  { ...blocked('allowed-port-other-name', 'an allowed port under another name (localhost)', (e) => `http://localhost:${e.httpPort}/case/allowed-port-other-name`), check: neverRequested('/case/allowed-port-other-name') },
  blocked('ipv4-decimal', '127.0.0.1 as one decimal number', (e) => `http://2130706433:${e.secretPort}/decimal`),
  blocked('ipv4-hex', '127.0.0.1 in hex parts', (e) => `http://0x7f.0x0.0x0.0x1:${e.secretPort}/hex`),
  blocked('ipv4-octal', '127.0.0.1 in octal', (e) => `http://0177.0.0.01:${e.secretPort}/octal`),
  blocked('ipv4-short', '127.1', (e) => `http://127.1:${e.secretPort}/short`),
  blocked('unspecified', '0.0.0.0 (reaches this machine on Linux)', (e) => `http://0.0.0.0:${e.secretPort}/zero`),
  blocked('ipv6-loopback', '[::1]', (e) => `http://[::1]:${e.secretPort}/v6`),
  blocked('ipv6-mapped', '[::ffff:127.0.0.1]', (e) => `http://[::ffff:127.0.0.1]:${e.secretPort}/mapped`),
  blocked('ipv6-nat64', '[64:ff9b::127.0.0.1]', (e) => `http://[64:ff9b::127.0.0.1]:${e.secretPort}/nat64`),
  blocked('ipv6-compatible', '[::127.0.0.1]', (e) => `http://[::127.0.0.1]:${e.secretPort}/compat`),
  blocked('metadata', 'cloud metadata 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'),
  blocked('metadata-ipv6', 'cloud metadata [fd00:ec2::254]', () => 'http://[fd00:ec2::254]/latest/meta-data/'),
  blocked('link-local', 'link-local 169.254.10.20', () => 'http://169.254.10.20/feed'),
  blocked('link-local-ipv6', 'link-local [fe80::1]', () => 'http://[fe80::1]/feed'),
  blocked('private-10', 'private 10.1.2.3', () => 'http://10.1.2.3/feed'),
  blocked('private-172', 'private 172.16.0.1', () => 'http://172.16.0.1/feed'),
  blocked('private-192', 'private 192.168.1.1', () => 'https://192.168.1.1/feed'),
  blocked('shared-100-64', 'carrier-grade NAT 100.64.0.1', () => 'http://100.64.0.1/feed'),
  blocked('ipv6-unique-local', 'unique local [fc00::1]', () => 'http://[fc00::1]/feed'),
  redirectTo('redirect-to-loopback', 'redirect to 127.0.0.1 on another port', (e) => `${e.secretOrigin}/from-redirect`),
  { ...redirectTo('redirect-to-allowed-port-other-name', 'redirect to the allowed port under the name localhost', (e) => `http://localhost:${e.httpPort}/case/redirect-to-allowed-port-other-name/x`), check: neverRequested('/case/redirect-to-allowed-port-other-name/x') },
  redirectTo('redirect-to-mapped', 'redirect to [::ffff:7f00:1]', (e) => `http://[::ffff:7f00:1]:${e.secretPort}/`),
  redirectTo('redirect-to-decimal', 'redirect to http://2130706433', (e) => `http://2130706433:${e.secretPort}/`),
  redirectTo('redirect-protocol-relative', 'redirect to //127.0.0.1:port', (e) => `//127.0.0.1:${e.secretPort}/relative`),
  redirectTo('redirect-to-metadata', 'redirect to the metadata service', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
  redirectTo('redirect-to-file', 'redirect to file:///etc/passwd', () => 'file:///etc/passwd', NOT_HTTP),
  redirectTo('redirect-to-gopher', 'redirect to gopher://', (e) => `gopher://127.0.0.1:${e.secretPort}/_GET%20/`, NOT_HTTP),
  redirectTo('redirect-to-ftp', 'redirect to ftp://', () => 'ftp://127.0.0.1/feed.xml', NOT_HTTP),
  redirectTo('redirect-to-data', 'redirect to a data: URL', () => `data:application/rss+xml,${encodeURIComponent(FEED)}`, NOT_HTTP),
  {
    name: 'discovery-to-private', group: 'address', title: 'an HTML page advertising a feed on a private address',
    route: handle((_req, res, { env }) => void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head><link rel="alternate" type="application/rss+xml" href="${env.secretOrigin}/discovered.xml"></head></html>`)),
    expect: 'error', errorKind: 'fetch', message: /^fetch: refusing to connect to /,
  },
];

export const SERVER_CASES: HostileCase[] = [...SERVER_CASES_HTTP, ...ADDRESS_CASES];
