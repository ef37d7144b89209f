// Input that used to reach the database and come back as a 500 with an error-level stack: NUL bytes
// in paths (Postgres refuses NUL in text), and dates the API refused with a message that was not true.
import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createApp } from '../../src/server/app.js';
import { describeEachDb } from '../helpers/db.js';
import { request } from './helpers.js';
import { seedNewsWeek } from './seed.js';

describeEachDb('bad input', (ctx) => {
  let server: http.Server;
  let origin: string;
  const logged: Array<{ level: string; msg: string }> = [];

  beforeAll(async () => {
    await seedNewsWeek(ctx.db);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logged.push(JSON.parse(line) as { level: string; msg: string });
        done();
      },
    });
    const app = createApp({
      db: ctx.db,
      config: loadConfig({ PORT: '0' }),
      metrics: createMetrics(),
      logger: createLogger('info', sink),
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['/api/topics/%00', 'json'],
    ['/api/topics/a%00b', 'json'],
    ['/topics/a%00b', 'html'],
    ['/topics/%00/feed.xml', 'json'],
    ['/topics/%00/feed.atom', 'json'],
    ['/stories/%00', 'html'],
    ['/api/stories/1%00', 'json'],
    ['/feed.xml%00', 'json'],
  ])('answers %s with a 400 naming the NUL, and logs no error', async (path, kind) => {
    const before = logged.length;
    const res = await request(origin, path, {
      headers: { accept: kind === 'html' ? 'text/html' : 'application/json' },
    });
    expect(res.status).toBe(400);
    if (kind === 'json')
      expect(res.json()).toEqual({
        error: { code: 'invalid_parameter', message: 'path contains a NUL character (%00)' },
      });
    else expect(res.text).toContain('<p>path contains a NUL character (%00)</p>');
    expect(logged.slice(before).filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });

  it('still answers a real topic, and a topic that does not exist with a 404', async () => {
    expect((await request(origin, '/api/topics/india')).status).toBe(200);
    expect((await request(origin, '/api/topics/no-such-topic')).status).toBe(404);
  });

  it.each([
    [
      'since=0001-01-01',
      'parameter since must be 1970-01-01 or later: an ISO 8601 date, but before the earliest this API accepts',
    ],
    ['since=1969-12-31T23:59:59Z', 'parameter since must be 1970-01-01 or later'],
    ['until=2025-02-30', 'parameter until is not a real ISO 8601 date or time'],
    ['since=2025-05-06T25:00', 'parameter since is not a real ISO 8601 date or time'],
    ['since=last-week', 'parameter since must be an ISO 8601 date or date-time, such as 2025-05-06'],
  ])('refuses %s saying what is really wrong', async (query, message) => {
    const res = await request(origin, `/api/stories?${query}`);
    expect(res.status).toBe(400);
    expect(res.json<any>().error.message).toContain(message);
  });

  it('accepts the earliest date it names', async () => {
    expect((await request(origin, '/api/stories?since=1970-01-01')).status).toBe(200);
  });
});
