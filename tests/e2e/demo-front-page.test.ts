// The demo's front page in headless Chromium, after the real demo week went through the real worker:
// its first stories are the week's biggest events by the hand-made labels, and every topic chip leads
// to a page of stories about that topic. Also makes the README screenshot (docs/screenshot.png) of it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, type TestContext } from 'vitest';
import { DEMO_DATASET_PATH } from '../../src/demo/server.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, chromiumMissing } from '../helpers/chromium.js';
import { describeEachDb } from '../helpers/db.js';
import { loadDemoWeek } from '../helpers/demo-week.js';
import { skipWithReason } from '../helpers/skip.js';
import { startApp, type RunningApp } from '../server/helpers.js';

const SCREENSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshot.png');
const LABELS = path.join(path.dirname(DEMO_DATASET_PATH), 'labels.jsonl');

const missing = chromiumMissing() ?? (!fs.existsSync(LABELS) ? `the demo week's labels are not at ${LABELS}` : null);

const skipIfMissing = (t: TestContext): void => skipWithReason(t, missing);

/** The labelled story of each item, and the ten labelled stories with most items. */
function readLabels(): { storyOf: Map<string, string>; largest: string[] } {
  const storyOf = new Map(
    fs
      .readFileSync(LABELS, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const { id, story } = JSON.parse(l) as { id: string; story: string };
        return [id, story] as [string, string];
      }),
  );
  const sizes = new Map<string, number>();
  for (const s of storyOf.values()) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  const largest = [...sizes]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([s]) => s);
  return { storyOf, largest };
}

describeEachDb('the demo front page in Chromium', (ctx) => {
  let app: RunningApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (missing) return;
    await loadDemoWeek(ctx.db);
    app = await startApp(ctx.db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("leads with the week's ten largest stories by the labels, all within the first 20", async (t) => {
    skipIfMissing(t);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(`${app.origin}/`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Top stories');
    // Every story in page order: cards of their own, cards under a storyline's heading, and a storyline's further lines.
    const links = await page
      .locator('article.story :is(h2, h3) a, ul.also a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const shown = links.slice(0, 20).map((href) => Number(/\/stories\/(\d+)$/.exec(href ?? '')?.[1]));
    expect(shown.every((id) => id > 0)).toBe(true);
    const { storyOf, largest } = readLabels();
    // A story shows a labelled story when that label is the most common among its items.
    const rows = await ctx.db.query<{ story_id: number; item_key: string }>(
      'SELECT story_id, item_key FROM items WHERE story_id = ANY($1::int8[])',
      [shown],
    );
    const labelOf = new Map<number, string>();
    for (const id of shown) {
      const counts = new Map<string, number>();
      for (const r of rows.rows)
        if (r.story_id === id) counts.set(storyOf.get(r.item_key)!, (counts.get(storyOf.get(r.item_key)!) ?? 0) + 1);
      labelOf.set(id, [...counts].sort((a, b) => b[1] - a[1])[0]![0]);
    }
    const missingLarge = largest.filter((label) => ![...labelOf.values()].includes(label));
    expect(missingLarge, `labelled stories not in the first 20: ${missingLarge.join(', ')}`).toEqual([]);
    if (process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(SCREENSHOT))
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
    await page.close();
  });

  it('leads from every topic chip of the first stories to a page of stories about that topic', async (t) => {
    skipIfMissing(t);
    const page = await browser!.newPage();
    await page.goto(`${app.origin}/`);
    const chips = await page.locator('article.story').evaluateAll((articles) =>
      articles.slice(0, 5).flatMap((a) =>
        [...a.querySelectorAll('ul.chips a')].map((c) => ({
          name: c.textContent ?? '',
          href: c.getAttribute('href') ?? '',
        })),
      ),
    );
    expect(chips.length).toBeGreaterThan(5);
    for (const chip of chips) {
      await page.goto(`${app.origin}${chip.href}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(chip.name);
      const listed = await page
        .locator('article.story')
        .evaluateAll((articles) =>
          articles.map((a) => [...a.querySelectorAll('ul.chips a')].map((c) => c.textContent)),
        );
      expect(listed.length, `${chip.href} lists no story`).toBeGreaterThan(0);
      for (const topics of listed) expect(topics, `a story on ${chip.href} without the chip`).toContain(chip.name);
    }
    await page.close();
  });
});
