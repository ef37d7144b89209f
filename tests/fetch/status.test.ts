// Status codes: errors carry the status, and 429/503 carry Retry-After in seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/http.js';
import { expectFetchError, get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

let server: TrackedServer;

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const retryAfter = url.searchParams.get('retry-after');
    res.writeHead(Number(url.pathname.slice(1)), retryAfter ? { 'retry-after': retryAfter } : {}).end('error page');
  });
});
afterAll(() => server.close());

describe('status handling', () => {
  it('429 with Retry-After in seconds', async () => {
    const err = await expectFetchError(
      fetchFeed(get(server.url('/429?retry-after=120')), testOptions(server)),
      'http-status',
    );
    expect(err.details).toMatchObject({ status: 429, retryAfterSeconds: 120, url: server.url('/429?retry-after=120') });
    expect(err.message).toContain('HTTP 429 Too Many Requests');
  });

  it('503 with Retry-After as an HTTP-date', async () => {
    const when = new Date(Date.now() + 3600_000).toUTCString();
    const err = await expectFetchError(
      fetchFeed(get(server.url(`/503?retry-after=${encodeURIComponent(when)}`)), testOptions(server)),
      'http-status',
    );
    expect(err.details.status).toBe(503);
    // The date has whole-second precision, and a little time passes before it is read.
    expect(err.details.retryAfterSeconds).toBeGreaterThanOrEqual(3590);
    expect(err.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it('503 without Retry-After', async () => {
    const err = await expectFetchError(fetchFeed(get(server.url('/503')), testOptions(server)), 'http-status');
    expect(err.details).toMatchObject({ status: 503, retryAfterSeconds: null });
  });

  it('410 Gone says the feed was removed', async () => {
    const err = await expectFetchError(fetchFeed(get(server.url('/410')), testOptions(server)), 'http-status');
    expect(err.details.status).toBe(410);
    expect(err.message).toContain('410 Gone: the feed was removed');
  });

  it.each([400, 401, 403, 404, 500, 502])('%i is an http-status error with that status', async (status) => {
    const err = await expectFetchError(fetchFeed(get(server.url(`/${status}`)), testOptions(server)), 'http-status');
    expect(err.details.status).toBe(status);
  });

  it('204 is a success with an empty body', async () => {
    const result = await fetchFeed(get(server.url('/204')), testOptions(server));
    expect(result).toMatchObject({ status: 204, body: '', notModified: false });
  });

  it('leaves no socket open after error statuses', async () => {
    await expectFetchError(fetchFeed(get(server.url('/500')), testOptions(server)), 'http-status');
    await server.allClosed();
  });
});
