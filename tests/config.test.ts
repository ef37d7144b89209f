import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSettings, loadConfig, PACKAGE_ROOT, publicBaseUrl, SETTINGS } from '../src/config.js';

describe('config', () => {
  it('has a working default for every setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: null,
      dataDir: './data',
      port: 8080,
      run: ['worker', 'server'],
      fetchTimeout: 30_000,
      fetchMaxBytes: 10 * 2 ** 20,
    });
    expect(publicBaseUrl(config)).toBe('http://127.0.0.1:8080');
  });

  it.each([
    ['FETCH_TIMEOUT', 'soon', /FETCH_TIMEOUT must be a duration/],
    ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
    ['FETCH_MAX_BYTES', 'lots', /FETCH_MAX_BYTES must be a size/],
    ['RUN', 'everything', /RUN lists "everything"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be a log level/],
    ['BASE_URL', '/', /BASE_URL must be an absolute http\(s\) URL/],
    // pg would read "garbage" as a host named "base" and fail with getaddrinfo ENOTFOUND base.
    ['DATABASE_URL', 'garbage', /^DATABASE_URL must be a postgres:\/\/ connection string .* got "garbage"$/],
    ['DATABASE_URL', 'mysql://db/x', /^DATABASE_URL must be a postgres:\/\/ connection string/],
    ['DATABASE_URL', 'postgres:///storyline', /^DATABASE_URL names no host/],
    ['FETCH_SCHEDULE', 'everyminute', /^FETCH_SCHEDULE must be a cron expression of 5 fields .* got "everyminute"$/],
    ['FETCH_SCHEDULE', '61 * * * *', /^FETCH_SCHEDULE must be a cron expression/],
    ['RUN', 'workers', /^RUN lists "workers"; use worker, server or both$/],
    ['RUN', ',', /^RUN must name worker, server or both$/],
    ['HOST', 'not a host', /^HOST must be a host name or IP address/],
    ['PORT', 'http', /^PORT must be an integer from 0 to 65535/],
    ['METRICS_PORT', '-1', /^METRICS_PORT must be an integer from 0 to 65535/],
    ['DATA_DIR', ' ', /^DATA_DIR must name a folder/],
    ['SOURCES_FILE', '/no/such/sources.opml', /^SOURCES_FILE names a file that cannot be read: ENOENT/],
    ['FETCH_LEASE', '0s', /^FETCH_LEASE must be longer than zero/],
    ['FETCH_TIMEOUT', '0', /^FETCH_TIMEOUT must be longer than zero/],
    ['USER_AGENT', 'Storyline\r\nX-Evil: 1', /^USER_AGENT must be non-empty text without control characters/],
    ['ALLOW_PRIVATE_HOSTS', 'intranet', /^ALLOW_PRIVATE_HOSTS lists "intranet"; each entry is host:port/],
    ['ALLOW_PRIVATE_HOSTS', '10.0.0.1:99999', /^ALLOW_PRIVATE_HOSTS lists "10.0.0.1:99999"/],
    ['ADMIN_TOKEN', 'two words', /^ADMIN_TOKEN must not contain spaces or control characters/],
    ['ADMIN_TOKEN', 'hunter2', /^ADMIN_TOKEN must be at least 16 characters/],
    ['EMBEDDED_CACHE', 'big', /^EMBEDDED_CACHE must be a size/],
  ])('rejects %s=%s with a message naming the variable', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('never echoes the password of a DATABASE_URL it refuses', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://storyline:hunter2@' })).toThrow(/\*\*\*@/);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://storyline:hunter2@' })).not.toThrow(/hunter2/);
  });

  it('accepts what the README promises: RUN=both, socket and IPv6 database hosts, IPv6 listen addresses', () => {
    expect(loadConfig({ RUN: 'both' }).run).toEqual(['worker', 'server']);
    expect(loadConfig({ RUN: 'server, worker, server' }).run).toEqual(['server', 'worker']);
    expect(loadConfig({ DATABASE_URL: 'postgres:///storyline?host=/var/run/postgresql' }).databaseUrl).toBe(
      'postgres:///storyline?host=/var/run/postgresql',
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@[::1]:5432/db' }).databaseUrl).toBe(
      'postgres://u:p@[::1]:5432/db',
    );
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'storyline.internal' }).host).toBe('storyline.internal');
    expect(loadConfig({ FETCH_SCHEDULE: ' */5 * * * * ' }).fetchSchedule).toBe('*/5 * * * *');
    expect(loadConfig({ ALLOW_PRIVATE_HOSTS: '[::1]:8080,intranet.local:80' }).allowPrivateHosts).toEqual([
      '[::1]:8080',
      'intranet.local:80',
    ]);
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({}).metricsPort).toBeNull();
  });

  it('parses durations, sizes and lists', () => {
    const c = loadConfig({
      POLL_INTERVAL: '90s',
      RETENTION: '30d',
      FETCH_MAX_BYTES: '512kb',
      ALLOW_PRIVATE_HOSTS: '127.0.0.1:8123, intranet:80',
      RUN: 'worker',
    });
    expect([c.pollInterval, c.retention, c.fetchMaxBytes, c.allowPrivateHosts, c.run]).toEqual([
      90_000,
      30 * 86_400_000,
      512 * 1024,
      ['127.0.0.1:8123', 'intranet:80'],
      ['worker'],
    ]);
  });

  it('is documented in the README, one row per variable, exactly as `storyline config` prints it', () => {
    const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(describeSettings());
    for (const s of Object.values(SETTINGS)) expect(readme).toContain(`| \`${s.key}\` |`);
  });
});
