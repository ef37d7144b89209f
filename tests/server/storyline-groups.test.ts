// How the front page gathers stories by storyline (pure): a table of pages and what they become.
import { describe, expect, it } from 'vitest';
import { groupByStoryline } from '../../src/server/pages/storyline-groups.js';
import type { Story } from '../../src/model.js';
import type { StorylineRef } from '../../src/store/read/index.js';

const story = (id: number): Story => ({
  id,
  headline: `Story ${id}`,
  summary: '',
  url: null,
  firstSeenAt: new Date(0),
  lastSeenAt: new Date(0),
  updatedAt: new Date(0),
  itemCount: 1,
  outletCount: 1,
  outlets: [],
  topics: [],
  position: { rank: id },
});
const line = (id: number, storyCount: number): StorylineRef => ({
  id,
  title: `Storyline ${id}`,
  storyCount,
  updatedAt: new Date(0),
});

/** A page as story ids, with each story's storyline (id:count) or none; the groups as "L<id>[stories]" or the lone story id. */
const CASES: Array<{ name: string; page: Array<[number, [number, number] | null]>; groups: string[] }> = [
  {
    name: 'no storylines: the page as it was',
    page: [
      [1, null],
      [2, null],
    ],
    groups: ['1', '2'],
  },
  {
    name: 'a storyline with one story on the page stays in place',
    page: [
      [1, [10, 5]],
      [2, null],
      [3, [11, 2]],
    ],
    groups: ['1', '2', '3'],
  },
  {
    name: 'several on the page gather at the first one’s place, in page order',
    page: [
      [1, [10, 3]],
      [2, null],
      [3, [10, 3]],
      [4, [10, 3]],
    ],
    groups: ['L10[1,3,4]', '2'],
  },
  {
    name: 'a later first member puts the group later',
    page: [
      [1, null],
      [2, [10, 2]],
      [3, [11, 2]],
      [4, [10, 2]],
      [5, [11, 2]],
    ],
    groups: ['1', 'L10[2,4]', 'L11[3,5]'],
  },
];

describe('groupByStoryline', () => {
  it.each(CASES)('$name', ({ page, groups }) => {
    const storylines = new Map(page.flatMap(([id, l]) => (l ? [[id, line(l[0], l[1])] as const] : [])));
    const out = groupByStoryline(
      page.map(([id]) => story(id)),
      storylines,
    );
    expect(
      out.map((g) =>
        g.storyline ? `L${g.storyline.id}[${g.stories.map((s) => s.id).join(',')}]` : String(g.stories[0]!.id),
      ),
    ).toEqual(groups);
  });
});
