// The HTML pages over HTTP: what each shows, feed autodiscovery, the Content-Security-Policy, and
// hostile feed text kept inert in the pages and intact in the JSON API.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { getText, request, startApp, type RunningApp } from './helpers.js';
import { readMarkup } from './html-check.js';
import { HOSTILE, seedHostileStory, seedNewsWeek, seedStory, type SeededStory } from './seed.js';

/** Every element and attribute our templates write; anything else would have come from a feed. */
const PAGE_ELEMENTS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'link',
  'style',
  'body',
  'a',
  'header',
  'form',
  'label',
  'input',
  'button',
  'nav',
  'ul',
  'li',
  'main',
  'h1',
  'h2',
  'p',
  'article',
  'time',
  'strong',
  'span',
  'br',
  'footer',
]);
const PAGE_ATTRIBUTES = new Set([
  'lang',
  'charset',
  'name',
  'content',
  'rel',
  'type',
  'title',
  'href',
  'class',
  'role',
  'action',
  'method',
  'for',
  'id',
  'maxlength',
  'value',
  'aria-label',
  'datetime',
]);

describeEachDb('pages', (ctx) => {
  let app: RunningApp;
  let week: SeededStory[];
  let hostile: SeededStory;

  beforeAll(async () => {
    week = await seedNewsWeek(ctx.db);
    hostile = await seedHostileStory(ctx.db, '2025-05-01T00:00:00Z');
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  it('shows top stories with headline, summary, outlets with links, counts, time and topics', async () => {
    const html = await getText(app.origin, '/');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Top stories</h1>');
    expect(html).toContain(
      `<h2><a href="/stories/${week[0]!.id}">Cardinals elect first American pope, Leo XIV</a></h2>`,
    );
    expect(html).toContain(
      '<p class="summary">Robert Prevost of Chicago was chosen on the second day of the conclave.</p>',
    );
    expect(html).toMatch(
      /<li><a href="https:\/\/the-guardian\.example\/news\/\d+" rel="nofollow noopener noreferrer">The Guardian<\/a><\/li>/,
    );
    expect(html).toContain(
      '5 articles · 4 outlets · updated <time datetime="2025-05-08T18:00:00.000Z">8 May 2025, 18:00 UTC</time>',
    );
    expect(html).toContain('<a href="/topics/papal-conclave">Papal conclave</a>');
    // Top stories: far from the week, the most widely covered first.
    const order = ['Cardinals elect', 'India strikes', 'US and UK agree', 'Mexico’s president'].map((h) =>
      html.indexOf(h),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const latest = await getText(app.origin, '/?sort=latest');
    expect(latest).toContain('<h1>Latest stories</h1>');
    const newest = ['Cardinals elect', 'US and UK agree', 'India strikes', 'Mexico’s president'].map((h) =>
      latest.indexOf(h),
    );
    expect(newest).toEqual([...newest].sort((a, b) => a - b));
  });

  it('advertises its feeds for autodiscovery', async () => {
    const home = await getText(app.origin, '/');
    for (const [type, ext] of [
      ['application/rss+xml', 'xml'],
      ['application/atom+xml', 'atom'],
      ['application/feed+json', 'json'],
    ] as const) {
      expect(home).toMatch(
        new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="/feed\\.${ext}">`),
      );
    }
    const topic = await getText(app.origin, '/topics/india');
    expect(topic).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Storyline: India (RSS)" href="/topics/india/feed.xml">',
    );
    expect(topic).toContain('<h1>India</h1>');
    expect(topic).toContain('India strikes sites in Pakistan after Kashmir attack');
    expect(topic).not.toContain('Cardinals elect');
  });

  it('lists a story’s whole coverage with why each article joined', async () => {
    const html = await getText(app.origin, `/stories/${week[0]!.id}`);
    expect(html).toContain('<h1>Cardinals elect first American pope, Leo XIV</h1>');
    for (const title of [
      'White smoke: Cardinals elect new pope',
      'Robert Prevost becomes Pope Leo XIV',
      'Pope Leo XIV greets crowds in St Peter’s Square',
    ])
      expect(html).toContain(title);
    expect(html).toContain('wire copy');
    expect(html).toContain('Joined: similar wording — shared: pope, prevost, conclave');
    expect(html).toContain('Reuters <span class="meta">via Google News</span>');
  });

  it('answers unknown pages with an HTML 404 and redirects a merged story', async () => {
    const missing = await request(app.origin, '/topics/unknown-topic');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.text).toContain('<h1>Not found</h1>');
    const old = await seedStory(ctx.db, {
      headline: 'Merged away',
      items: [{ outlet: 'Wire', title: 'merged', publishedAt: '2025-04-01T00:00:00Z' }],
    });
    await ctx.db.query('UPDATE stories SET merged_into = $1 WHERE id = $2', [week[1]!.id, old.id]);
    app.cache.invalidate();
    const moved = await request(app.origin, `/stories/${old.id}`);
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`/stories/${week[1]!.id}`);
  });

  it('sends a Content-Security-Policy that allows only the page’s own stylesheet', async () => {
    const res = await request(app.origin, '/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).not.toContain('<script');
  });

  it('keeps hostile feed text inert on every page: no element, attribute or script link of its own', async () => {
    for (const path of [
      '/',
      `/stories/${hostile.id}`,
      '/topics/hostile-topic',
      `/?q=${encodeURIComponent('"><script>alert(1)</script>')}`,
    ]) {
      const html = await getText(app.origin, path);
      const markup = readMarkup(html);
      expect(
        [...markup.elements].filter((e) => !PAGE_ELEMENTS.has(e)),
        path,
      ).toEqual([]);
      expect(
        [...markup.attributes].filter((a) => !PAGE_ATTRIBUTES.has(a)),
        path,
      ).toEqual([]);
      expect(
        markup.hrefs.filter((h) => !/^(https?:\/\/|\/|#main$)/.test(h)),
        path,
      ).toEqual([]);
    }
    const story = readMarkup(await getText(app.origin, `/stories/${hostile.id}`));
    expect(story.text).toContain(HOSTILE.headline);
    expect(story.text).toContain(HOSTILE.itemTitle);
    expect(story.text).toContain(HOSTILE.outlet);
    expect(story.text).toContain('data link');
  });

  it('returns hostile text unchanged as JSON data, typed so no browser runs it', async () => {
    const res = await request(app.origin, `/api/stories/${hostile.id}`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const story = res.json<any>();
    expect(story.headline).toBe(HOSTILE.headline);
    expect(story.items[0]).toMatchObject({
      title: HOSTILE.itemTitle,
      url: HOSTILE.itemUrl,
      summary: HOSTILE.itemSummary,
      outlet: { name: HOSTILE.outlet },
    });
  });
});
