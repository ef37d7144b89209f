// Storylines in the HTML pages over HTTP: the timeline page (title, span, counts, topics, its stories in
// order, the coverage chart, feed autodiscovery), "Part of" on story pages, the front page gathering a
// storyline's stories, merged ids, and hostile text kept inert, under the same CSP.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { getText, request, startApp, type RunningApp } from './helpers.js';
import { readMarkup } from './html-check.js';
import { HOSTILE, mergeStoryline, seedStory, seedStorylineWeek, STORYLINES } from './seed.js';

type Week = Awaited<ReturnType<typeof seedStorylineWeek>>;

/** Every element and attribute our templates write, the chart's included; anything else came from a feed. */
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
  'ol',
  'li',
  'main',
  'h1',
  'h2',
  'h3',
  'p',
  'article',
  'section',
  'time',
  'strong',
  'span',
  'br',
  'footer',
  'figure',
  'figcaption',
  'svg',
  'desc',
  'g',
  'rect',
  'text',
  'line',
  'details',
  'summary',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
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
  'aria-labelledby',
  'datetime',
  'viewbox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'text-anchor',
  'data-day',
  'data-items',
  'scope',
]);

/** The text of each match of `pattern`'s first group, in page order. */
const all = (html: string, pattern: RegExp): string[] => [...html.matchAll(pattern)].map((m) => m[1]!);

describeEachDb('storyline pages', (ctx) => {
  let app: RunningApp;
  let week: Week;
  let conclave: number;
  let india: number;

  beforeAll(async () => {
    week = await seedStorylineWeek(ctx.db);
    conclave = week.conclave[0]!.storylineId!;
    india = week.india[0]!.storylineId!;
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  it('shows a storyline’s title, span, counts and topics, and its stories in the order they broke', async () => {
    const html = await getText(app.origin, `/storylines/${conclave}`);
    expect(html).toContain(`<title>${STORYLINES.conclave} — Storyline</title>`);
    expect(html).toContain(`<h1>${STORYLINES.conclave}</h1>`);
    expect(html).toContain(
      '4 stories · 12 articles · 5 outlets · <time datetime="2025-05-06T09:00:00.000Z">6 May 2025, 09:00 UTC</time> to <time datetime="2025-05-09T10:40:00.000Z">9 May 2025, 10:40 UTC</time> (4 days)',
    );
    expect(all(html, /<ul class="chips" aria-label="Topics">(.*?)<\/ul>/g)[0]).toBe(
      '<li><a href="/topics/papal-conclave">Papal conclave</a></li><li><a href="/topics/vatican-city">Vatican City</a></li>',
    );
    const timeline = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)![1]!;
    expect(all(timeline, /<h3><a href="\/stories\/(\d+)">/g).map(Number)).toEqual(week.conclave.map((s) => s.id));
    expect(all(timeline, /<p class="when"><time datetime="([^"]+)">/g)).toEqual([
      '2025-05-06T09:00:00.000Z',
      '2025-05-07T19:05:00.000Z',
      '2025-05-08T16:10:00.000Z',
      '2025-05-09T10:00:00.000Z',
    ]);
    // Each story with its outlets linking to their articles.
    expect(timeline).toMatch(
      /<li><a href="https:\/\/al-jazeera\.example\/news\/\d+" rel="nofollow noopener noreferrer">Al Jazeera<\/a><\/li>/,
    );
    expect(timeline).not.toContain('class="part-of"');
  });

  it('draws the coverage per day as inline SVG: named, one bar per day (a quiet day too), and the numbers in a table', async () => {
    const html = await getText(app.origin, `/storylines/${india}`);
    const svg = /<svg [\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).toContain('role="img" aria-labelledby="chart-title chart-desc"');
    expect(svg).toContain('<title id="chart-title">Articles per day</title>');
    expect(svg).toContain(
      '<desc id="chart-desc">8 articles over 4 days, 7 May to 10 May 2025; the most, 3, on 7 May.</desc>',
    );
    expect(all(svg, /data-day="([^"]+)"/g)).toEqual(['2025-05-07', '2025-05-08', '2025-05-09', '2025-05-10']);
    expect(all(svg, /data-items="(\d+)"/g)).toEqual(['3', '2', '0', '3']);
    const heights = all(svg, /<rect class="bar" [^>]*height="([\d.]+)"/g).map(Number);
    expect(heights[2]).toBe(0);
    expect(heights[0]).toBe(heights[3]);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2 / 3, 2);
    expect(all(svg, /<title>([^<]+)<\/title>/g)).toEqual([
      '7 May 2025: 3 articles',
      '8 May 2025: 2 articles',
      '9 May 2025: 0 articles',
      '10 May 2025: 3 articles',
    ]);
    expect(html).toContain('<tr><td><time datetime="2025-05-09">9 May 2025</time></td><td class="number">0</td></tr>');
    // Nothing the CSP would refuse: no script, no style attribute, no external reference.
    expect(html).not.toMatch(/<script|style="|xlink:href|<image|<use/);
  });

  it('advertises the storyline’s feeds for autodiscovery and links them', async () => {
    const html = await getText(app.origin, `/storylines/${india}`);
    expect(html).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Storyline: ${STORYLINES.india} (RSS)" href="/storylines/${india}/feed.xml">`,
    );
    expect(html).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Storyline: ${STORYLINES.india} (Atom)" href="/storylines/${india}/feed.atom">`,
    );
    expect(html).toContain(
      `<link rel="alternate" type="application/feed+json" title="Storyline: ${STORYLINES.india} (JSON Feed)" href="/storylines/${india}/feed.json">`,
    );
    expect(html).toContain(`Follow it: <a href="/storylines/${india}/feed.xml">RSS</a>`);
  });

  it('says on a story’s page which storyline it is part of, when the storyline holds others', async () => {
    const pope = await getText(app.origin, `/stories/${week.conclave[2]!.id}`);
    expect(pope).toContain(
      `<p class="part-of">Part of <a href="/storylines/${conclave}">${STORYLINES.conclave}</a> · 4 stories</p>`,
    );
    for (const id of [week.trade.id, week.unlinked.id])
      expect(await getText(app.origin, `/stories/${id}`)).not.toContain('Part of');
  });

  it('gathers on the front page the stories of a storyline it shows several of, under the storyline’s heading', async () => {
    const html = await getText(app.origin, '/');
    const sections = [
      ...html.matchAll(/<section class="storyline-group" aria-labelledby="storyline-(\d+)">([\s\S]*?)<\/section>/g),
    ];
    expect(sections.map((m) => Number(m[1]))).toEqual([conclave, india]);
    const [pope, war] = sections.map((m) => m[2]!);
    expect(pope).toContain(
      `<h2 id="storyline-${conclave}"><a href="/storylines/${conclave}">${STORYLINES.conclave}</a></h2>`,
    );
    expect(pope).toContain('<p class="kicker">Storyline · 4 stories</p>');
    // The best-ranked first; three as cards, the fourth a line.
    expect(all(pope!, /<h3><a href="\/stories\/(\d+)">/g).map(Number)[0]).toBe(week.conclave[2]!.id);
    expect(all(pope!, /<h3>/g)).toHaveLength(3);
    expect(
      all(pope!, /<ul class="also" aria-label="More in this storyline"><li><a href="\/stories\/(\d+)">/g),
    ).toHaveLength(1);
    expect(
      all(war!, /<h3><a href="\/stories\/(\d+)">/g)
        .map(Number)
        .sort(),
    ).toEqual(week.india.map((s) => s.id).sort());
    // Every story once; the others are cards of their own.
    const linked = all(html, /<a href="\/stories\/(\d+)">/g).map(Number);
    expect(new Set(linked).size).toBe(linked.length);
    expect(linked.sort()).toEqual([...week.conclave, ...week.india, week.trade, week.unlinked].map((s) => s.id).sort());
    expect(html).toContain(`<h2><a href="/stories/${week.trade.id}">${STORYLINES.trade}</a></h2>`);
    // A storyline with one story of it on the page is named on that story's card instead.
    const latest = await getText(app.origin, '/?sort=latest&limit=1');
    expect(latest).not.toContain('<section');
    expect(latest).toContain(
      `<p class="part-of">Part of <a href="/storylines/${india}">${STORYLINES.india}</a> · 3 stories</p>`,
    );
  });

  it('redirects a merged storyline’s page to the survivor, answers an unknown one with an HTML 404 and a bad id with a 400', async () => {
    const old = await seedStory(ctx.db, {
      headline: 'Kashmir attack kills 26',
      storyline: 'Pahalgam attack',
      items: [{ outlet: 'BBC News', title: 'Gunmen kill tourists in Kashmir', publishedAt: '2025-04-22T12:00:00Z' }],
    });
    await mergeStoryline(ctx.db, old.storylineId!, india);
    app.cache.invalidate();
    const moved = await request(app.origin, `/storylines/${old.storylineId}`);
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`/storylines/${india}`);
    expect(await getText(app.origin, `/storylines/${india}`)).toContain('Kashmir attack kills 26');
    const missing = await request(app.origin, '/storylines/999999');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.text).toContain('storyline 999999 not found');
    expect((await request(app.origin, '/storylines/first')).status).toBe(400);
    expect((await request(app.origin, `/storylines/${india}?view=items`)).status).toBe(400);
  });

  it('keeps hostile text inert on the timeline and the front page, under a CSP that allows no script', async () => {
    const first = await seedStory(ctx.db, {
      headline: HOSTILE.headline,
      storyline: HOSTILE.headline,
      topics: [HOSTILE.topic],
      items: [
        { outlet: HOSTILE.outlet, title: HOSTILE.itemTitle, url: HOSTILE.itemUrl, publishedAt: '2025-05-11T09:00:00Z' },
      ],
    });
    await seedStory(ctx.db, {
      headline: HOSTILE.itemSummary,
      storyline: HOSTILE.headline,
      items: [
        {
          outlet: 'Data URL Times',
          title: 'data link',
          url: 'data:text/html,<script>alert(7)</script>',
          publishedAt: '2025-05-12T09:00:00Z',
        },
      ],
    });
    app.cache.invalidate();
    for (const path of [`/storylines/${first.storylineId}`, '/', `/stories/${first.id}`]) {
      const res = await request(app.origin, path);
      expect(res.status, path).toBe(200);
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
      const markup = readMarkup(res.text);
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
      expect(markup.text, path).toContain(HOSTILE.headline);
    }
  });
});
