// The coverage chart (pure): its description, one bar per day scaled to the busiest, the dates shown
// under it, and nothing drawn for no days.
import { describe, expect, it } from 'vitest';
import { coverageChart, describeCoverage } from '../../src/server/pages/storyline-chart.js';

const days = (counts: number[], start = '2025-05-01'): Array<{ day: string; items: number }> =>
  counts.map((items, i) => ({
    day: new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    items,
  }));

describe('coverage chart', () => {
  it.each([
    [[4], '4 articles on 1 May 2025; the most, 4, on 1 May.'],
    [[1, 0, 3], '4 articles over 3 days, 1 May to 3 May 2025; the most, 3, on 3 May.'],
    [[2, 2], '4 articles over 2 days, 1 May to 2 May 2025; the most, 2, on 1 May.'],
  ])('describes %j', (counts, text) => {
    expect(describeCoverage(days(counts))).toBe(text);
  });

  it('draws one bar per day, the busiest full height, a quiet day as none', () => {
    const svg = coverageChart(days([1, 0, 4, 2])).value;
    const heights = [...svg.matchAll(/<rect class="bar" [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(4);
    expect(heights[1]).toBe(0);
    expect(heights[0]! * 4).toBeCloseTo(heights[2]!, 0);
    expect(heights[3]! * 2).toBeCloseTo(heights[2]!, 0);
    expect([...svg.matchAll(/<text class="count"[^>]*>(\d+)</g)].map((m) => m[1])).toEqual(['1', '0', '4', '2']);
  });

  it('names a few dates under a long span, the first and the last among them, and only the peak’s count', () => {
    const svg = coverageChart(days(Array.from({ length: 60 }, (_, i) => (i === 30 ? 9 : i % 3)))).value;
    expect([...svg.matchAll(/<rect class="bar"/g)]).toHaveLength(60);
    const dates = [...svg.matchAll(/<text class="date"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(dates.length).toBeLessThanOrEqual(6);
    expect(dates[0]).toBe('1 May');
    expect(dates[dates.length - 1]).toBe('29 Jun');
    expect([...svg.matchAll(/<text class="count"[^>]*>(\d+)</g)].map((m) => m[1])).toEqual(['9']);
  });

  it('draws nothing without days', () => {
    expect(coverageChart([]).value).toBe('');
  });
});
