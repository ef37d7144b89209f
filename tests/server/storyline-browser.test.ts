// A storyline's timeline in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// its stories in the order they broke, the coverage chart drawn with one bar per day and named for a
// screen reader, no script and no CSP complaint, and the way there from the front page and a story.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, type TestContext } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../helpers/chromium.js';
import { describeEachDb } from '../helpers/db.js';
import { skipWithReason } from '../helpers/skip.js';
import { startApp, type RunningApp } from './helpers.js';
import { seedStorylineWeek, STORYLINES } from './seed.js';

const missing = chromiumMissing();
const skipIfMissing = (t: TestContext): void => skipWithReason(t, missing);

describeEachDb('storyline timeline in Chromium', (ctx) => {
  let app: RunningApp;
  let browser: Browser | undefined;
  let week: Awaited<ReturnType<typeof seedStorylineWeek>>;
  const cspErrors: string[] = [];

  async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser!.newPage({ viewport });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${app.origin}${url}`);
    return page;
  }

  beforeAll(async () => {
    if (missing) return;
    week = await seedStorylineWeek(ctx.db);
    app = await startApp(ctx.db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the storyline’s stories in the order they broke, each with its outlets and time', async (t) => {
    skipIfMissing(t);
    const page = await open(`/storylines/${week.conclave[0]!.storylineId}`);
    await expect(page.title()).resolves.toBe(`${STORYLINES.conclave} — Storyline`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(STORYLINES.conclave);
    const timeline = page.locator('ol.timeline > li');
    expect(await timeline.locator('h3').allInnerTexts()).toEqual([
      'Cardinals gather in Rome as the conclave nears',
      'Black smoke on the conclave’s first day',
      'Cardinals elect first American pope, Leo XIV',
      'Leo XIV celebrates his first Mass as pope',
    ]);
    expect(await timeline.locator('.when').allInnerTexts()).toEqual([
      '6 May 2025, 09:00 UTC',
      '7 May 2025, 19:05 UTC',
      '8 May 2025, 16:10 UTC',
      '9 May 2025, 10:00 UTC',
    ]);
    expect(await timeline.nth(2).getByRole('list', { name: 'Outlets' }).getByRole('link').allInnerTexts()).toEqual([
      'BBC News',
      'The Guardian',
      'Associated Press',
      'Al Jazeera',
    ]);
    expect(await page.getByRole('list', { name: 'Topics' }).first().getByRole('link').allInnerTexts()).toEqual([
      'Papal conclave',
      'Vatican City',
    ]);
    await page.close();
  });

  it('draws the coverage chart: one visible bar per day, heights by articles, a quiet day flat, named for assistive technology', async (t) => {
    skipIfMissing(t);
    const page = await open(`/storylines/${week.india[0]!.storylineId}`);
    const chart = page.getByRole('img', { name: 'Articles per day' });
    expect(await chart.isVisible()).toBe(true);
    // Laid out by the browser: each bar's rendered box, in day order.
    const bars = (await page.evaluate(`[...document.querySelectorAll('svg rect.bar')].map((r) => {
      const box = r.getBoundingClientRect();
      return { day: r.getAttribute('data-day'), items: Number(r.getAttribute('data-items')), x: box.x, width: box.width, height: box.height, fill: getComputedStyle(r).fill };
    })`)) as Array<{ day: string; items: number; x: number; width: number; height: number; fill: string }>;
    expect(bars.map((b) => [b.day, b.items])).toEqual([
      ['2025-05-07', 3],
      ['2025-05-08', 2],
      ['2025-05-09', 0],
      ['2025-05-10', 3],
    ]);
    expect(bars.map((b) => b.x)).toEqual([...bars.map((b) => b.x)].sort((a, b) => a - b));
    expect(bars.every((b) => b.width > 20)).toBe(true);
    expect(bars[0]!.height).toBeGreaterThan(50);
    expect(bars[1]!.height / bars[0]!.height).toBeCloseTo(2 / 3, 1);
    expect(bars[2]!.height).toBe(0);
    // Coloured by the page's stylesheet (the CSP allows no other style), not the default black.
    expect(bars[0]!.fill).not.toBe('rgb(0, 0, 0)');
    expect(await page.locator('svg desc').textContent()).toBe(
      '8 articles over 4 days, 7 May to 10 May 2025; the most, 3, on 7 May.',
    );
    expect(await page.locator('svg text.count').allTextContents()).toEqual(['3', '2', '0', '3']);
    // The numbers as a table too, behind a summary a reader opens.
    await page.getByText('The numbers').click();
    expect(await page.locator('.chart-numbers td.number').allInnerTexts()).toEqual(['3', '2', '0', '3']);
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    expect(cspErrors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen', async (t) => {
    skipIfMissing(t);
    const page = await open(`/storylines/${week.conclave[0]!.storylineId}`, { width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const box = await page.getByRole('img', { name: 'Articles per day' }).boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(box!.width).toBeGreaterThan(300);
    await page.close();
  });

  it('leads there from the front page’s storyline heading and from a story’s “Part of” line', async (t) => {
    skipIfMissing(t);
    const page = await open('/');
    const group = page.locator('section.storyline-group').first();
    expect(await group.getByRole('heading', { level: 2 }).innerText()).toBe(STORYLINES.conclave);
    await group.getByRole('link', { name: STORYLINES.conclave }).click();
    await page.waitForURL(/\/storylines\/\d+$/);
    await page.getByRole('link', { name: 'Leo XIV celebrates his first Mass as pope' }).click();
    await page.waitForURL(/\/stories\/\d+$/);
    await page.locator('.part-of').getByRole('link', { name: STORYLINES.conclave }).click();
    await page.waitForURL(new RegExp(`/storylines/${week.conclave[0]!.storylineId}$`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(STORYLINES.conclave);
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});
