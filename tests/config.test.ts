import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSettings, loadConfig, PACKAGE_ROOT, publicBaseUrl, SETTINGS } from '../src/config.js';

describe('config', () => {
  it('has a working default for every setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: null, dataDir: './data', port: 8080, run: ['worker', 'server'], fetchTimeout: 30_000, fetchMaxBytes: 10 * 2 ** 20 });
    expect(publicBaseUrl(config)).toBe('http://127.0.0.1:8080');
  });

  it.each([
    ['FETCH_TIMEOUT', 'soon', /FETCH_TIMEOUT must be a duration/],
    ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
    ['FETCH_MAX_BYTES', 'lots', /FETCH_MAX_BYTES must be a size/],
    ['RUN', 'everything', /RUN lists "everything"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be a log level/],
    ['BASE_URL', '/', /BASE_URL must be an absolute http\(s\) URL/],
  ])('rejects %s=%s with a message naming the variable', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('parses durations, sizes and lists', () => {
    const c = loadConfig({ POLL_INTERVAL: '90s', RETENTION: '30d', FETCH_MAX_BYTES: '512kb', ALLOW_PRIVATE_HOSTS: '127.0.0.1:8123, intranet:80', RUN: 'worker' });
    expect([c.pollInterval, c.retention, c.fetchMaxBytes, c.allowPrivateHosts, c.run]).toEqual([90_000, 30 * 86_400_000, 512 * 1024, ['127.0.0.1:8123', 'intranet:80'], ['worker']]);
  });

  it('is documented in the README, one row per variable, exactly as `storyline config` prints it', () => {
    const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(describeSettings());
    for (const s of Object.values(SETTINGS)) expect(readme).toContain(`| \`${s.key}\` |`);
  });
});
