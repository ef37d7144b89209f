// fetchOptionsFromConfig: the FETCH_* settings and ALLOW_PRIVATE_HOSTS reach the fetcher unchanged.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { fetchOptionsFromConfig } from '../../src/fetch/http.js';

describe('fetchOptionsFromConfig', () => {
  it('maps the configuration table to FetchOptions', () => {
    const config = loadConfig({
      FETCH_CONNECT_TIMEOUT: '5s',
      FETCH_TIMEOUT: '20s',
      FETCH_MAX_BYTES: '2mb',
      FETCH_MAX_REDIRECTS: '3',
      USER_AGENT: 'Storyline/9',
      ALLOW_PRIVATE_HOSTS: '127.0.0.1:8123, intranet:80',
    });
    expect(fetchOptionsFromConfig(config)).toEqual({
      userAgent: 'Storyline/9',
      connectTimeoutMs: 5000,
      timeoutMs: 20_000,
      maxBytes: 2 * 1024 * 1024,
      maxRedirects: 3,
      allowPrivateHosts: ['127.0.0.1:8123', 'intranet:80'],
    });
  });

  it('defaults name Storyline and its URL in the User-Agent and allow no private host', () => {
    const options = fetchOptionsFromConfig(loadConfig({}));
    expect(options.userAgent).toMatch(/^Storyline\/\S+ \(\+https:\/\/github\.com\/storyline-news\/storyline\)$/);
    expect(options.allowPrivateHosts).toEqual([]);
  });
});
