// Redirects: followed by hand, each hop checked again, permanentUrl only for an all-permanent chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/http.js';
import { expectFetchError, get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

let server: TrackedServer;
/** A second local server that is NOT allowed: a redirect there must be refused. */
let other: TrackedServer;

beforeAll(async () => {
  other = await startHttpServer((_req, res) => res.writeHead(200).end('secret'));
  server = await startHttpServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const to = url.searchParams.get('to');
    if (url.pathname.startsWith('/status/'))
      return void res.writeHead(Number(url.pathname.slice(8)), to ? { location: to } : {}).end();
    if (url.pathname === '/chain') {
      // /chain?n=3 → /chain?n=2 → … → /feed
      const n = Number(url.searchParams.get('n'));
      return void res.writeHead(301, { location: n > 1 ? `/chain?n=${n - 1}` : '/feed' }).end();
    }
    if (url.pathname === '/loop-a') return void res.writeHead(302, { location: '/loop-b' }).end();
    if (url.pathname === '/loop-b') return void res.writeHead(302, { location: '/loop-a' }).end();
    if (url.pathname === '/self') return void res.writeHead(301, { location: '/self' }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss>${url.pathname}</rss>`);
  });
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const via = (status: number, to: string) => server.url(`/status/${status}?to=${encodeURIComponent(to)}`);

describe('redirects', () => {
  it.each([301, 308])('a %i chain sets permanentUrl to the final address', async (status) => {
    const result = await fetchFeed(get(via(status, via(status, '/feed'))), testOptions(server));
    expect(result).toMatchObject({
      status: 200,
      body: '<rss>/feed</rss>',
      finalUrl: server.url('/feed'),
      permanentUrl: server.url('/feed'),
    });
  });

  it.each([302, 303, 307])('a %i redirect leaves permanentUrl null', async (status) => {
    const result = await fetchFeed(get(via(status, '/feed')), testOptions(server));
    expect(result).toMatchObject({ finalUrl: server.url('/feed'), permanentUrl: null, body: '<rss>/feed</rss>' });
  });

  it('one temporary hop in a permanent chain leaves permanentUrl null', async () => {
    const result = await fetchFeed(get(via(301, via(302, '/feed'))), testOptions(server));
    expect(result).toMatchObject({ finalUrl: server.url('/feed'), permanentUrl: null });
  });

  it('no redirect: permanentUrl null, finalUrl the requested URL', async () => {
    const result = await fetchFeed(get(server.url('/feed')), testOptions(server));
    expect(result).toMatchObject({ finalUrl: server.url('/feed'), permanentUrl: null });
  });

  it('follows a chain of exactly maxRedirects', async () => {
    const result = await fetchFeed(get(server.url('/chain?n=5')), testOptions(server, { maxRedirects: 5 }));
    expect(result.finalUrl).toBe(server.url('/feed'));
  });

  it('refuses a chain longer than maxRedirects', async () => {
    const err = await expectFetchError(
      fetchFeed(get(server.url('/chain?n=6')), testOptions(server, { maxRedirects: 5 })),
      'too-many-redirects',
    );
    expect(err.message).toContain('more than 5 redirects');
  });

  it('maxRedirects 0 refuses the first redirect', async () => {
    await expectFetchError(
      fetchFeed(get(via(301, '/feed')), testOptions(server, { maxRedirects: 0 })),
      'too-many-redirects',
    );
  });

  it.each(['/loop-a', '/self'])('detects the loop %s before running out of hops', async (path) => {
    const err = await expectFetchError(
      fetchFeed(get(server.url(path)), testOptions(server, { maxRedirects: 20 })),
      'too-many-redirects',
    );
    expect(err.message).toContain('redirect loop');
  });

  it('refuses a redirect to a private address even though the first host is allowed', async () => {
    const before = other.connections;
    const err = await expectFetchError(
      fetchFeed(get(via(302, other.url('/feed'))), testOptions(server)),
      'blocked-address',
    );
    expect(err.message).toContain('127.0.0.1');
    expect(other.connections).toBe(before);
  });

  it('refuses a redirect to the same port under another name (localhost resolves to loopback)', async () => {
    await expectFetchError(
      fetchFeed(get(via(302, `http://localhost:${server.port}/feed`)), testOptions(server)),
      'blocked-address',
    );
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/feed', 'gopher://127.0.0.1:70/'])(
    'refuses a redirect to %s',
    async (to) => {
      await expectFetchError(fetchFeed(get(via(302, to)), testOptions(server)), 'bad-url');
    },
  );

  it('refuses a redirect without a Location header', async () => {
    const err = await expectFetchError(fetchFeed(get(server.url('/status/302')), testOptions(server)), 'http-status');
    expect(err.details.status).toBe(302);
  });

  it('leaves no socket open after a redirect chain', async () => {
    await fetchFeed(get(server.url('/chain?n=3')), testOptions(server));
    await server.allClosed();
  });
});
