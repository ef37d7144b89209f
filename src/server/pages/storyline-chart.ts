// A storyline's coverage per day as a bar chart drawn on the server: inline SVG (no script, no external
// asset, coloured by the page's stylesheet so the CSP holds), named for assistive technology by its
// <title> and <desc>, each bar titled with its day and count, and the numbers also in a table.
import type { CoverageDay } from '../../store/read/index.js';
import { html, plural, type SafeHtml } from '../html.js';

const WIDTH = 640;
const HEIGHT = 180;
const TOP = 26;
const BOTTOM = 30;
const SIDE = 4;
/** Narrower slots than this have no count above the bar (it would not fit at a phone's larger text). */
const MIN_LABELLED_SLOT = 30;
/** At most this many dates under the bars; the rest are in each bar's title and the table. */
const MAX_DATE_LABELS = 6;

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const DAY_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

const asDate = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** "8 May" (or "8 May 2025"). */
export const formatDay = (day: string, withYear = false): string => (withYear ? DAY_YEAR : DAY).format(asDate(day));

const round = (n: number): string => String(Math.round(n * 10) / 10);

/** Which days get a date under their bar: the first, the last, and evenly between. */
function labelledDays(count: number): Set<number> {
  if (count <= MAX_DATE_LABELS) return new Set([...Array(count).keys()]);
  const step = Math.ceil((count - 1) / (MAX_DATE_LABELS - 1));
  const out = new Set<number>([count - 1]);
  for (let i = 0; i < count - 1; i += step) if (count - 1 - i >= step / 2) out.add(i);
  return out;
}

/** What the chart shows, in words: its accessible description. */
export function describeCoverage(days: CoverageDay[]): string {
  const total = days.reduce((n, d) => n + d.items, 0);
  const peak = days.reduce((best, d) => (d.items > best.items ? d : best), days[0]!);
  const span =
    days.length === 1
      ? `on ${formatDay(days[0]!.day, true)}`
      : `over ${plural(days.length, 'day')}, ${formatDay(days[0]!.day)} to ${formatDay(days[days.length - 1]!.day, true)}`;
  return `${plural(total, 'article')} ${span}; the most, ${peak.items}, on ${formatDay(peak.day)}.`;
}

/** Where a date sits under its bar: the edge dates inside the chart, so none is cut off. */
function dateAnchor(i: number, count: number, x: number, slot: number): { x: number; anchor: string } {
  if (count > 2 && i === 0) return { x: x + slot * 0.1, anchor: 'start' };
  if (count > 2 && i === count - 1) return { x: x + slot * 0.9, anchor: 'end' };
  return { x: x + slot / 2, anchor: 'middle' };
}

function bars(days: CoverageDay[]): SafeHtml[] {
  const max = Math.max(1, ...days.map((d) => d.items));
  const peak = days.findIndex((d) => d.items === max);
  const slot = (WIDTH - 2 * SIDE) / days.length;
  const plot = HEIGHT - TOP - BOTTOM;
  const dated = labelledDays(days.length);
  return days.map((d, i) => {
    const height = (d.items / max) * plot;
    const x = SIDE + i * slot;
    // Every count when they fit, else the peak's alone: the scale of the others.
    const count =
      slot >= MIN_LABELLED_SLOT || i === peak
        ? html`<text class="count" x="${round(x + slot / 2)}" y="${round(HEIGHT - BOTTOM - height - 5)}" text-anchor="middle">${d.items}</text>`
        : '';
    const at = dateAnchor(i, days.length, x, slot);
    const date = dated.has(i)
      ? html`<text class="date" x="${round(at.x)}" y="${HEIGHT - 8}" text-anchor="${at.anchor}">${formatDay(d.day)}</text>`
      : '';
    return html`<g class="day"><title>${`${formatDay(d.day, true)}: ${plural(d.items, 'article')}`}</title><rect class="bar" x="${round(x + slot * 0.1)}" y="${round(HEIGHT - BOTTOM - height)}" width="${round(Math.max(1, slot * 0.8))}" height="${round(height)}" data-day="${d.day}" data-items="${d.items}"></rect>${count}${date}</g>`;
  });
}

/** The chart and the table of its numbers; nothing when there are no days. */
export function coverageChart(days: CoverageDay[]): SafeHtml {
  if (days.length === 0) return html``;
  const description = describeCoverage(days);
  return html`<figure class="chart">
<svg role="img" aria-labelledby="chart-title chart-desc" viewBox="${`0 0 ${WIDTH} ${HEIGHT}`}" width="${WIDTH}" height="${HEIGHT}">
<title id="chart-title">Articles per day</title>
<desc id="chart-desc">${description}</desc>
<line class="axis" x1="${SIDE}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH - SIDE}" y2="${HEIGHT - BOTTOM}"></line>
${bars(days)}
</svg>
<figcaption>Articles per day (UTC): ${description}</figcaption>
</figure>
<details class="chart-numbers"><summary>The numbers</summary>
<table><thead><tr><th scope="col">Day</th><th scope="col">Articles</th></tr></thead>
<tbody>${days.map((d) => html`<tr><td><time datetime="${d.day}">${formatDay(d.day, true)}</time></td><td class="number">${d.items}</td></tr>`)}</tbody></table>
</details>`;
}
