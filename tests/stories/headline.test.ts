import { describe, expect, it } from 'vitest';
import { isExplainer, representativeMember } from '../../src/stories/group/headline.js';
import { StoryAssigner } from '../../src/stories/group/assign.js';
import { HOUR, T0, item } from './helpers.js';

describe('headline', () => {
  it.each([
    ['Who is Pope Leo XIV?', true],
    ['What to know about the papal conclave', true],
    ["Here's what is in the US-UK trade deal", true],
    ['Live: India strikes Pakistan', true],
    ['Cardinals elect Robert Prevost as Pope Leo XIV', false],
    ['Whoopi Goldberg hosts the show', false],
  ])('reads "%s" as an explainer: %s', (title, expected) => {
    expect(isExplainer(title)).toBe(expected);
  });

  it('heads a story with its most central report rather than a question about it', () => {
    const index = new StoryAssigner({ joinThreshold: 0, singleJoinThreshold: 0 });
    const titles = [
      'Cardinals elect Prevost as pope, the first American pope',
      'Who is the first American pope, Prevost?',
      'Prevost elected first American pope by cardinals',
    ];
    let key = 0;
    titles.forEach((t, i) => (key = index.assign(item(t, i), T0 + i * HOUR).storyKey));
    const story = index.story(key)!;
    expect(story.members).toHaveLength(3);
    const chosen = story.members.find((m) => m.key === representativeMember(index, story))!;
    expect(chosen.title).not.toBe(titles[1]);
  });
});
