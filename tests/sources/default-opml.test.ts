import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCES_FILE } from '../../src/config.js';
import { readOpml, writeOpml } from '../../src/sources/opml.js';

const sources = readOpml(fs.readFileSync(DEFAULT_SOURCES_FILE, 'utf8'));
const urlsOf = (outlet: string) => sources.filter((s) => s.outlet === outlet).map((s) => s.url);
const googleNews = (query: string) => `https://news.google.com/rss/search?q=${query}&hl=en-US&gl=US&ceid=US:en`;

describe('the bundled default sources', () => {
  it.each([
    [
      'The Guardian',
      'UK',
      [
        'https://www.theguardian.com/world/rss',
        'https://www.theguardian.com/world/mexico/rss',
        'https://www.theguardian.com/us-news/rss',
        'https://www.theguardian.com/us-news/us-politics/rss',
        'https://www.theguardian.com/world/americas/rss',
      ],
    ],
    [
      'PBS NewsHour',
      'US',
      [
        'https://www.pbs.org/newshour/feeds/rss/headlines',
        'https://www.pbs.org/newshour/feeds/rss/politics',
        'https://www.pbs.org/newshour/feeds/rss/world',
        'https://www.pbs.org/newshour/feeds/rss/nation',
      ],
    ],
    ['Associated Press', 'US', [googleNews('site:apnews.com')]],
    ['Reuters', 'UK', [googleNews('site:reuters.com/world')]],
    [
      'US Department of Homeland Security',
      'US',
      [
        'https://www.federalregister.gov/api/v1/documents.rss?conditions%5Bagencies%5D%5B%5D=homeland-security-department',
        googleNews('site:dhs.gov'),
      ],
    ],
    [
      'BBC News',
      'UK',
      ['https://feeds.bbci.co.uk/news/world/rss.xml', 'https://feeds.bbci.co.uk/news/world/latin_america/rss.xml'],
    ],
    ['NPR', 'US', ['https://feeds.npr.org/1004/rss.xml', 'https://feeds.npr.org/1014/rss.xml']],
    ['Al Jazeera', 'Qatar', ['https://www.aljazeera.com/xml/rss/all.xml']],
    [
      'The New York Times',
      'US',
      [
        'https://rss.nytimes.com/services/xml/rss/nyt/World.xml',
        'https://rss.nytimes.com/services/xml/rss/nyt/Americas.xml',
      ],
    ],
  ])('lists %s (%s) with its feeds', (outlet, region, urls) => {
    expect(urlsOf(outlet)).toEqual(urls);
    for (const s of sources.filter((x) => x.outlet === outlet)) {
      expect(s.region).toBe(region);
      expect(s.site).toMatch(/^https:\/\//);
    }
  });

  it('lists The National Circus by its home page, for autodiscovery', () => {
    expect(urlsOf('The National Circus')).toEqual(['https://thenationalcircus.com/']);
  });

  it('holds nothing else, every URL once, and reads back unchanged through writeOpml', () => {
    expect(sources).toHaveLength(21);
    expect(new Set(sources.map((s) => s.url)).size).toBe(sources.length);
    expect(readOpml(writeOpml(sources, { title: 'x', now: new Date(0) }))).toEqual(sources);
  });
});
