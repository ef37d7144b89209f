import { describe, expect, it } from 'vitest';
import type { PendingItem } from '../../src/model.js';
import { creditFor, storedScore } from '../../src/stories/group/assignment-record.js';

describe('storedScore', () => {
  it.each([
    [2.6327209904181948e-87, 0],
    [0.123456789, 0.123457],
    [0.5, 0.5],
    [1, 1],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
  ])('stores %s as %s, within what a float4 column accepts', (score, stored) => {
    expect(storedScore(score)).toBe(stored);
  });
});

const pending = (over: Partial<PendingItem>): PendingItem => ({
  id: 1,
  title: 'Volcano erupts on Kalora island',
  summary: '',
  url: 'https://www.example-news.com/world/volcano',
  outlet: 'Example News',
  publishedAt: new Date('2025-05-06T08:00:00Z'),
  duplicateOf: null,
  namedOutlet: null,
  site: 'https://www.example-news.com',
  ...over,
});

// The same article first seen through an aggregator, then through the outlet's own feed.
const viaAggregator = pending({ outlet: 'Aggregator', site: 'https://news.aggregator.test' });
const viaNamingAggregator = pending({ outlet: 'Example News', namedOutlet: 'Example News', site: 'https://agg.test' });
const onOwnSite = pending({ id: 2 });
const onOtherSite = pending({ id: 3, outlet: 'Mirror', site: 'https://mirror.test' });

describe('creditFor', () => {
  it.each([
    ['an aggregator first, then the own site', viaAggregator, onOwnSite, 'Example News'],
    ['an aggregator naming the publisher first, then the own site', viaNamingAggregator, onOwnSite, 'Example News'],
    ['the own site first, then the own site again', onOwnSite, pending({ id: 4 }), null],
    ['an aggregator first, then another site', viaAggregator, onOtherSite, null],
    ['the own site first, then an aggregator', onOwnSite, viaAggregator, null],
    ['an aggregator first, then a copy naming its publisher', viaAggregator, viaNamingAggregator, null],
  ])('credits %s', (_case, original, copy, credit) => {
    expect(creditFor(original, copy)).toBe(credit);
  });
});
