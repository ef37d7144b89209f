import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../src/stories/entities.js';
import { StoryIndex } from '../../src/stories/story-index.js';
import { entityKind, storyTopics, topicSlug } from '../../src/stories/topics.js';
import { T0, item } from './helpers.js';

describe('topics', () => {
  it('makes stable, accent-free slugs', () => {
    expect(topicSlug('Claudia Sheinbaum')).toBe('claudia-sheinbaum');
    expect(topicSlug('  Zürich & Genève ')).toBe('zurich-geneve');
    expect(topicSlug('Claudia Sheinbaum')).toBe(topicSlug('claudia  sheinbaum'));
  });

  it('names kinds from the name alone', () => {
    expect(entityKind('Mexico')).toBe('place');
    expect(entityKind('Claudia Sheinbaum')).toBe('person');
    expect(entityKind('NATO')).toBe('organization');
    expect(entityKind('Bank of England')).toBe('organization');
  });

  it('finds names in sentence-case text, not in Title Case headlines', () => {
    expect(extractEntities('', 'President Claudia Sheinbaum said Mexico would not accept US troops.')).toEqual(
      expect.arrayContaining(['Claudia Sheinbaum', 'Mexico']),
    );
    expect(extractEntities('Why The Markets Are Rising Again Today', '')).toEqual([]);
  });

  it("tags a story with the people and places its items name, never generic words", () => {
    const index = new StoryIndex();
    const items = [
      ['Live updates: Sheinbaum rejects US troops', 'The president of Mexico, Claudia Sheinbaum, said she rejected an offer of troops to fight drug cartels.'],
      ['Watch video: Sheinbaum rejects Trump troops offer', 'In a news conference, Claudia Sheinbaum said troops would not enter Mexico to fight drug cartels.'],
      ['News update: Sheinbaum and the cartels', 'Officials in Mexico said Claudia Sheinbaum had turned down the plan against drug cartels.'],
    ];
    let key = 0;
    items.forEach(([title, summary], i) => (key = index.assign(item(title!, i, { summary: summary! }), T0 + i * 3_600_000).storyKey));
    const topics = storyTopics(index.story(key)!);
    const slugs = topics.map((t) => t.slug);
    expect(slugs).toEqual(expect.arrayContaining(['claudia-sheinbaum', 'mexico']));
    expect(topics.find((t) => t.slug === 'mexico')!.kind).toBe('place');
    for (const generic of ['live', 'news', 'update', 'video', 'watch', 'live-updates', 'news-update']) expect(slugs).not.toContain(generic);
  });
});
