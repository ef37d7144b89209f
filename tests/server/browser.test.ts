// The front page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; never a
// downloaded browser): what a person sees on a desktop and a phone, that nothing from a feed runs,
// on hand-seeded stories (the demo's real front page: tests/e2e/demo-front-page.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, type TestContext } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, chromiumMissing } from '../helpers/chromium.js';
import { skipWithReason } from '../helpers/skip.js';
import { startApp, type RunningApp } from './helpers.js';
import { DEMO_WEEK, seedDemoWeek } from './seed-demo.js';
import { HOSTILE, seedHostileStory } from './seed.js';

const missing =
  chromiumMissing() ?? (!fs.existsSync(DEMO_WEEK) ? `the demo-week dataset is not at ${DEMO_WEEK}` : null);

const skipIfMissing = (t: TestContext): void => skipWithReason(t, missing);

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string): number => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describeEachDb('front page in Chromium', (ctx) => {
  let app: RunningApp;
  let browser: Browser | undefined;
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser!.newPage({ viewport });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${app.origin}${url}`);
    return page;
  }

  beforeAll(async () => {
    if (missing) return;
    await seedDemoWeek(ctx.db);
    app = await startApp(ctx.db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the top stories with headline, summary, outlets, counts, time and topics', async (t) => {
    skipIfMissing(t);
    const page = await open('/');
    await expect(page.title()).resolves.toBe('Storyline — top stories');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Top stories');
    const headlines = await page.locator('article.story h2').allInnerTexts();
    expect(headlines[0]).toBe('Cardinals elect Robert Prevost as Pope Leo XIV, the first American pope');
    expect(headlines).toContain('India strikes Pakistan in Operation Sindoor after the Kashmir attack');
    const first = page.locator('article.story').first();
    expect(await first.locator('.summary').innerText()).not.toBe('');
    expect(await first.locator('.meta').innerText()).toMatch(
      /^\d+ articles · \d+ outlets · updated \d{1,2} May 2025, \d\d:\d\d UTC$/,
    );
    const outletLinks = first.getByRole('list', { name: 'Outlets' }).getByRole('link');
    expect(await outletLinks.count()).toBeGreaterThan(2);
    expect(await outletLinks.first().getAttribute('href')).toMatch(/^https?:\/\//);
    expect(await first.getByRole('list', { name: 'Topics' }).getByRole('link').allInnerTexts()).toEqual([
      'Papal conclave',
      'Vatican City',
      'Robert Prevost',
    ]);
    await page.close();
  });

  it('goes from a topic to a story and shows its coverage', async (t) => {
    skipIfMissing(t);
    const page = await open('/');
    await page.getByRole('navigation', { name: 'Topics' }).getByRole('link', { name: 'India', exact: true }).click();
    await page.waitForURL(/\/topics\/india$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('India');
    expect(await page.locator('article.story h2').allInnerTexts()).toEqual([
      'India strikes Pakistan in Operation Sindoor after the Kashmir attack',
      'UK and India agree a trade deal cutting tariffs',
    ]);
    await page.getByRole('link', { name: 'UK and India agree a trade deal cutting tariffs' }).click();
    await page.waitForURL(/\/stories\/\d+$/);
    expect(await page.getByRole('heading', { name: 'Coverage' }).isVisible()).toBe(true);
    expect(await page.locator('.coverage li').count()).toBeGreaterThan(2);
    await page.close();
  });

  it('runs nothing a feed sent: hostile text shows as text, no dialog, no script', async (t) => {
    skipIfMissing(t);
    await seedHostileStory(ctx.db, '2025-05-02T00:00:00Z');
    app.cache.invalidate();
    const page = await open('/');
    const hostile = page.locator('article.story', { hasText: 'Breaking' });
    expect(await hostile.locator('h2').textContent()).toBe(HOSTILE.headline);
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    const story = await open((await hostile.locator('h2 a').getAttribute('href'))!);
    expect(await story.getByText(HOSTILE.itemTitle).count()).toBe(1);
    // The javascript: and data: links are shown as plain text, not links.
    expect(await story.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);
    await story.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.close();
    await story.close();
  });

  it('fits a phone screen and keeps text readable in contrast', async (t) => {
    skipIfMissing(t);
    const page = await open('/', { width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Runs in the page (a string: this project compiles without the DOM types).
    const colours = (await page.evaluate(`(() => {
      const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
      return { bg: css('body', 'backgroundColor'), text: css('body', 'color'), link: css('.outlets a', 'color'), meta: css('.meta', 'color') };
    })()`)) as { bg: string; text: string; link: string; meta: string };
    for (const fg of [colours.text, colours.link, colours.meta])
      expect(contrast(fg, colours.bg)).toBeGreaterThanOrEqual(4.5);
    expect(await page.getByRole('searchbox', { name: 'Search stories' }).isVisible()).toBe(true);
    await page.close();
  });
});
