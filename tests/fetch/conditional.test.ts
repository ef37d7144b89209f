// Conditional GET: validators sent, 304 understood, and a 304 nobody asked for refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/http.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { expectFetchError, get, testOptions } from './servers.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
const ETAG = '"v1-abc"';
const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    '/etag': (req, res) => {
      if (req.headers['if-none-match'] === ETAG) res.writeHead(304, { etag: ETAG }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml', etag: ETAG }).end(RSS);
    },
    '/last-modified': (req, res) => {
      if (req.headers['if-modified-since'] === LAST_MODIFIED) res.writeHead(304).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml', 'last-modified': LAST_MODIFIED }).end(RSS);
    },
    '/always-304': { status: 304 },
    '/plain': { status: 200, headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: RSS },
  });
});
afterAll(() => server.close());

describe('conditional GET', () => {
  it('returns the ETag, then sends it back as If-None-Match and reports 304 as not modified', async () => {
    const first = await fetchFeed(get(server.url('/etag')), testOptions(server));
    expect(first).toMatchObject({
      status: 200,
      notModified: false,
      body: RSS,
      etag: ETAG,
      contentType: 'application/rss+xml',
    });

    const second = await fetchFeed(get(server.url('/etag'), { etag: first.etag! }), testOptions(server));
    expect(second).toMatchObject({ status: 304, notModified: true, body: null, bytes: 0, etag: ETAG });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe(ETAG);
  });

  it('sends Last-Modified back as If-Modified-Since and keeps it when the 304 omits it', async () => {
    const first = await fetchFeed(get(server.url('/last-modified')), testOptions(server));
    expect(first.lastModified).toBe(LAST_MODIFIED);

    const second = await fetchFeed(
      get(server.url('/last-modified'), { lastModified: LAST_MODIFIED }),
      testOptions(server),
    );
    expect(second).toMatchObject({ notModified: true, body: null, lastModified: LAST_MODIFIED, etag: null });
    expect(server.requests.at(-1)!.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('sends no validators when it has none', async () => {
    await fetchFeed(get(server.url('/plain')), testOptions(server));
    const headers = server.requests.at(-1)!.headers;
    expect(headers['if-none-match']).toBeUndefined();
    expect(headers['if-modified-since']).toBeUndefined();
  });

  it('refuses a 304 answering a request that carried no validators', async () => {
    const err = await expectFetchError(fetchFeed(get(server.url('/always-304')), testOptions(server)), 'http-status');
    expect(err.details.status).toBe(304);
  });
});

describe('request headers', () => {
  it('names Storyline in the User-Agent, asks for feeds and offers gzip, deflate and br', async () => {
    await fetchFeed(get(server.url('/plain')), testOptions(server));
    const headers = server.requests.at(-1)!.headers;
    expect(headers['user-agent']).toBe('Storyline/test (+https://github.com/storyline-news/storyline)');
    expect(headers['accept']).toMatch(
      /^application\/rss\+xml, application\/atom\+xml, application\/feed\+json, application\/xml;q=0\.9, text\/xml;q=0\.9, \*\/\*;q=0\.8$/,
    );
    expect(headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('asks for HTML when fetching a page', async () => {
    await fetchFeed(get(server.url('/plain'), { accept: 'html' }), testOptions(server));
    expect(server.requests.at(-1)!.headers['accept']).toMatch(/^text\/html/);
  });

  it('sends URL credentials as Basic auth and keeps them out of the request line', async () => {
    const url = server.url('/plain').replace('http://', 'http://reader:s%3Acret@');
    await fetchFeed(get(url), testOptions(server));
    const last = server.requests.at(-1)!;
    expect(last.path).toBe('/plain');
    expect(last.headers['authorization']).toBe(`Basic ${Buffer.from('reader:s:cret').toString('base64')}`);
  });
});
