// The front page's stories gathered by storyline: where several stories on the page are part of one
// storyline, they are shown together under its heading, at the place of the first (best ranked) one.
import type { Story } from '../../model.js';
import type { StorylineRef } from '../../store/read/index.js';
import { html, plural, timeTag, type SafeHtml } from '../html.js';
import { storyCard } from './story-card.js';

/** Stories of one storyline shown as cards; its others on the page are a line each, so one busy situation does not fill the page. */
const CARDS_PER_GROUP = 3;

/** A run of the page: one story on its own, or the stories of one storyline. */
export interface StoryGroup {
  storyline: StorylineRef | null;
  stories: Story[];
}

/** The stories in page order, those sharing a storyline with another story on the page gathered at the first one's place. */
export function groupByStoryline(stories: Story[], storylineOf: Map<number, StorylineRef>): StoryGroup[] {
  const onPage = new Map<number, number>();
  for (const s of stories) {
    const id = storylineOf.get(s.id)?.id;
    if (id !== undefined) onPage.set(id, (onPage.get(id) ?? 0) + 1);
  }
  const groups: StoryGroup[] = [];
  const open = new Map<number, StoryGroup>();
  for (const s of stories) {
    const storyline = storylineOf.get(s.id);
    if (!storyline || onPage.get(storyline.id)! < 2) {
      groups.push({ storyline: null, stories: [s] });
      continue;
    }
    const group = open.get(storyline.id);
    if (group) group.stories.push(s);
    else {
      const started = { storyline, stories: [s] };
      open.set(storyline.id, started);
      groups.push(started);
    }
  }
  return groups;
}

const storyLine = (s: Story): SafeHtml =>
  html`<li><a href="${`/stories/${s.id}`}">${s.headline}</a> <span class="meta">${timeTag(s.lastSeenAt)}</span></li>`;

function storylineSection(storyline: StorylineRef, stories: Story[]): SafeHtml {
  const href = `/storylines/${storyline.id}`;
  const lines = stories.slice(CARDS_PER_GROUP);
  const others = storyline.storyCount - stories.length;
  return html`<section class="storyline-group" aria-labelledby="${`storyline-${storyline.id}`}">
<p class="kicker">Storyline · ${plural(storyline.storyCount, 'story', 'stories')}</p>
<h2 id="${`storyline-${storyline.id}`}"><a href="${href}">${storyline.title}</a></h2>
${stories.slice(0, CARDS_PER_GROUP).map((s) => storyCard(s, { level: 3 }))}
${lines.length > 0 ? html`<ul class="also" aria-label="More in this storyline">${lines.map(storyLine)}</ul>` : ''}
<p class="more"><a href="${href}">${others > 0 ? `The whole timeline: ${plural(others, 'more story', 'more stories')}` : 'The whole timeline'}</a></p>
</section>`;
}

/** The front page's list: cards, storylines' groups, and an "older stories" link when there is a next page. */
export function groupedStoryList(
  stories: Story[],
  storylineOf: Map<number, StorylineRef>,
  nextHref: string | null,
  empty: string,
): SafeHtml {
  if (stories.length === 0) return html`<p>${empty}</p>`;
  const groups = groupByStoryline(stories, storylineOf).map((g) =>
    g.storyline
      ? storylineSection(g.storyline, g.stories)
      : storyCard(g.stories[0]!, { storyline: storylineOf.get(g.stories[0]!.id) ?? null }),
  );
  return html`${groups}${nextHref ? html`<p class="pager"><a href="${nextHref}" rel="next">Older stories</a></p>` : ''}`;
}
