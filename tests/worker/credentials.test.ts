// A private feed's URL carries its credentials (https://user:password@host/feed). They reach the
// server being fetched (as Basic auth) and go nowhere else: not the log, not the error stored on the
// feed, not the public API or OPML export.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { hideCredentials } from '../../src/redact.js';
import { addFeed } from '../../src/store/feeds.js';
import { runPass } from '../../src/worker/worker.js';
import { describeEachDb } from '../helpers/db.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { startApp } from '../server/helpers.js';

const SECRET = 's3cr3t-pa55';

describe('hideCredentials', () => {
  it.each([
    ['https://alice:s3cr3t@feeds.example/private.xml', 'https://***@feeds.example/private.xml'],
    [
      'fetch: HTTP 500 (http://bob@intranet.example:8080/feed)',
      'fetch: HTTP 500 (http://***@intranet.example:8080/feed)',
    ],
    ['https://feeds.example/a@b', 'https://feeds.example/a@b'],
    ['mail me at someone@example.com', 'mail me at someone@example.com'],
    ['no url here', 'no url here'],
  ])('%s', (input, expected) => {
    expect(hideCredentials(input)).toBe(expected);
  });
});

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describeEachDb('a feed URL with credentials', (ctx) => {
  it('authenticates the fetch and shows the credentials nowhere else', async () => {
    const path = `/${ctx.backend}/private.xml`;
    server.set(path, { status: 500, body: 'down' });
    const url = server.url(path).replace('http://', `http://reader:${SECRET}@`);
    await addFeed(ctx.db, { url, outlet: 'Private Wire', section: null, title: null, site: null, region: null });

    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }),
    );
    const deps = {
      ...createWorkerDeps(ctx.db, loadConfig({ ALLOW_PRIVATE_HOSTS: server.hostPort }), logger),
      assignStories: async () => undefined,
    };
    const [report] = await runPass(deps, { everyFeed: true });

    expect(report!.outcome).toBe('error');
    const request = server.requests.find((r) => r.path === path)!;
    expect(Buffer.from(String(request.headers.authorization).replace('Basic ', ''), 'base64').toString()).toBe(
      `reader:${SECRET}`,
    );
    const failure = lines.find((l) => l.includes('feed refresh failed'));
    expect(failure).toContain('***@127.0.0.1');
    expect(lines.join('')).not.toContain(SECRET);
    const stored = await ctx.db.query<{ error_message: string }>('SELECT error_message FROM feeds WHERE url = $1', [
      url,
    ]);
    expect(stored.rows[0]!.error_message).not.toContain(SECRET);

    const app = await startApp(ctx.db);
    try {
      const feeds = await (await fetch(`${app.origin}/api/feeds`)).text();
      expect(feeds).toContain('***@127.0.0.1');
      const opml = await (await fetch(`${app.origin}/api/feeds.opml`)).text();
      expect(opml).toContain('***@127.0.0.1');
      expect(feeds + opml).not.toContain(SECRET);
    } finally {
      await app.close();
    }
  });
});
