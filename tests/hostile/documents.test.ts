// Every hostile document of the catalogue through the real worker into a real database, in one pass
// with two control feeds; then the real app over the same database must serve nothing executable.
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/store/db/db.js';
import { describeEachDb } from '../helpers/db.js';
import { HOSTILE_CASES, outletOf, startHostileServer, type HostileServer } from '../helpers/hostile.js';
import {
  addHostileFeeds,
  expectControlsUpdated,
  expectHandled,
  runHostilePass,
  startAppOn,
  type PassResult,
  type RunningApp,
} from './harness.js';
import {
  PAGE_SHELL,
  bidiControls,
  executableMarkup,
  forbiddenText,
  jsonStrings,
  markupInText,
} from './output-safety.js';

const DOCUMENT_GROUPS = new Set(['xml', 'size', 'encoding', 'not-feed', 'shape', 'script']);
const CASES = HOSTILE_CASES.filter((c) => DOCUMENT_GROUPS.has(c.group));
const SCRIPT_CASES = CASES.filter((c) => c.group === 'script' || c.name === 'utf7-script');

const rssParser = new Parser();
/** Documents are not about time limits: the production default, so a loop busy parsing is not taken for a slow server. */
const DOCUMENT_ENV = { FETCH_CONNECT_TIMEOUT: '30s', FETCH_TIMEOUT: '30s' };
/** Parsing is bounded: a case taking longer than this hangs or expands something (the pass takes ~6 s). */
const LIMIT_MS = 45_000;

describeEachDb('hostile documents through the worker', (ctx) => {
  let server: HostileServer;
  let ids: Awaited<ReturnType<typeof addHostileFeeds>>;
  let first: PassResult;
  let app: RunningApp;
  beforeAll(async () => {
    server = await startHostileServer(CASES);
    ids = await addHostileFeeds(ctx.db, server, CASES);
    first = await runHostilePass(ctx.db, server, CASES, ids, DOCUMENT_ENV);
    app = await startAppOn(ctx.db);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.title} → ${c.expect === 'error' ? `${c.errorKind} error` : 'safe items'}`, async () => {
      await expectHandled(c, first.byCase.get(c.name)!, ctx.db as Db, server, ids.controlIds, { limitMs: LIMIT_MS });
    });
  }

  it('the control feeds updated in the same pass', () => {
    expectControlsUpdated(first, server);
  });

  it('no document made a request: no entity, DTD, stylesheet or XInclude was fetched', () => {
    expect(server.leaks()).toEqual([]);
  });

  it('left no socket open', async () => {
    await server.allClosed();
  });

  it('stores nothing twice: a second pass adds only the control feeds’ new items', async () => {
    const count = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0]!.n;
    const before = await count();
    const second = await runHostilePass(ctx.db, server, CASES, ids, DOCUMENT_ENV);
    expectControlsUpdated(second, server);
    expect(await count()).toBe(before + server.controls.length);
    const dupes = await ctx.db.query(
      'SELECT feed_id, item_key FROM items GROUP BY feed_id, item_key HAVING count(*) > 1',
    );
    expect(dupes.rows).toEqual([]);
  }, 60_000);

  it('serves nothing executable in RSS, Atom, JSON Feed, the JSON API or the pages', async () => {
    const findings: string[] = [];
    const outlets = SCRIPT_CASES.map((c) => `outlet=${encodeURIComponent(outletOf(c))}`);
    const paths = [
      '/feed.xml',
      '/feed.atom',
      '/feed.json',
      '/feed.xml?view=items&limit=200',
      '/feed.atom?view=items&limit=200',
      '/feed.json?view=items&limit=200',
      '/api/items?limit=100',
      '/api/stories?limit=100',
      '/api/feeds',
      '/api/outlets',
      '/api/search?q=escaped',
      '/',
      ...outlets.flatMap((o) => [
        `/feed.xml?view=items&${o}`,
        `/feed.atom?view=items&${o}`,
        `/feed.json?view=items&${o}`,
        `/api/items?${o}`,
        `/feed.xml?${o}`,
        `/api/stories?${o}`,
      ]),
    ];
    const storyIds = new Set<number>();
    for (const c of SCRIPT_CASES) {
      const listed = JSON.parse((await app.get(`/api/items?outlet=${encodeURIComponent(outletOf(c))}`)).body) as {
        items: unknown[];
      };
      expect(listed.items.length, `${c.name} has items to scan`).toBeGreaterThan(0);
    }
    for (const path of paths) {
      const res = await app.get(path);
      expect(res.status, path).toBe(200);
      findings.push(...forbiddenText(res.body, path));
      // Pages show titles and names, never article content: no bidi control anywhere in them.
      if (res.type.includes('html'))
        findings.push(...executableMarkup(res.body, path, PAGE_SHELL), ...bidiControls(res.body, path));
      if (res.type.includes('json')) {
        const json = JSON.parse(res.body) as unknown;
        for (const [where, s] of jsonStrings(json)) {
          if (/content_html$/.test(where)) findings.push(...executableMarkup(s, `${path} ${where}`));
          else if (/(title|headline|summary|name|content_text)$/.test(where))
            findings.push(...markupInText(s, `${path} ${where}`));
          if (/(title|headline|summary|name|source|author|categories\[\d+\]|tags\[\d+\])$/.test(where))
            findings.push(...bidiControls(s, `${path} ${where}`));
          if (/\.storyId$/.test(where)) storyIds.add(Number(s));
        }
        for (const item of (json as { items?: Array<{ storyId?: number | null }> }).items ?? [])
          if (item.storyId) storyIds.add(item.storyId);
      }
      if (res.type.includes('xml')) {
        const feed = await rssParser.parseString(res.body);
        for (const item of feed.items) {
          findings.push(
            ...markupInText(item.title ?? '', `${path} title`),
            ...bidiControls(
              `${item.title ?? ''} ${item.creator ?? ''} ${JSON.stringify(item.categories ?? [])}`,
              `${path} title, creator, categories`,
            ),
          );
          findings.push(...executableMarkup(item.content ?? '', `${path} content`));
          findings.push(
            ...executableMarkup(
              (item as { 'content:encoded'?: string })['content:encoded'] ?? '',
              `${path} content:encoded`,
            ),
          );
        }
      }
    }
    for (const id of storyIds) {
      for (const path of [`/stories/${id}`, `/api/stories/${id}`]) {
        const res = await app.get(path);
        findings.push(...forbiddenText(res.body, path));
        if (res.type.includes('html'))
          findings.push(...executableMarkup(res.body, path, PAGE_SHELL), ...bidiControls(res.body, path));
      }
    }
    expect(findings).toEqual([]);
  });

  it('a title that would break out of our XML or JSON comes out as text of one entry', async () => {
    const outlet = `outlet=${encodeURIComponent('Hostile breakout')}`;
    const rss = await rssParser.parseString((await app.get(`/feed.xml?view=items&${outlet}`)).body);
    const atom = await rssParser.parseString((await app.get(`/feed.atom?view=items&${outlet}`)).body);
    const json = JSON.parse((await app.get(`/feed.json?view=items&${outlet}`)).body) as {
      items: Array<{ title: string }>;
    };
    const api = JSON.parse((await app.get(`/api/items?${outlet}`)).body) as { items: Array<{ title: string }> };
    // Our Atom titles are type="html": the reader decodes them once, as here.
    const atomTitles = atom.items.map((i) => decodeHTML(i.title ?? ''));
    for (const titles of [
      rss.items.map((i) => i.title),
      atomTitles,
      json.items.map((i) => i.title),
      api.items.map((i) => i.title),
    ]) {
      expect(titles).toHaveLength(1);
      expect(titles[0]).toContain('Breakout ]]> "},{"title":"Injected json"}');
      expect(titles[0]).not.toContain('Injected item');
    }
  });
});
