// One story in a list: headline, summary, counts, time, outlets linking to their articles, topics,
// and the storyline it is part of.
import type { Story, StoryOutlet, TopicRef } from '../../model.js';
import type { StorylineRef } from '../../store/read/index.js';
import { html, plural, safeHref, timeTag, type SafeHtml } from '../html.js';

/** Outlets shown on a card; the story page lists them all. */
const OUTLETS_ON_CARD = 8;

export const EXTERNAL_REL = 'nofollow noopener noreferrer';

const outletLink = (o: StoryOutlet): SafeHtml => {
  const href = safeHref(o.url);
  return html`<li>${href ? html`<a href="${href}" rel="${EXTERNAL_REL}">${o.name}</a>` : o.name}</li>`;
};

export const topicChips = (topics: TopicRef[], label = 'Topics'): SafeHtml =>
  topics.length === 0
    ? html``
    : html`<ul class="chips" aria-label="${label}">${topics.map((t) => html`<li><a href="${`/topics/${encodeURIComponent(t.slug)}`}">${t.name}</a></li>`)}</ul>`;

export function storyMeta(s: Story): SafeHtml {
  return html`<p class="meta">${plural(s.itemCount, 'article')} · ${plural(s.outletCount, 'outlet')} · updated ${timeTag(s.lastSeenAt)}</p>`;
}

/** "Part of <storyline>", linked, for a story whose storyline holds others; nothing otherwise. */
export function partOf(storyline: StorylineRef | null | undefined): SafeHtml {
  if (!storyline || storyline.storyCount < 2) return html``;
  return html`<p class="part-of">Part of <a href="${`/storylines/${storyline.id}`}">${storyline.title}</a> · ${plural(storyline.storyCount, 'story', 'stories')}</p>`;
}

export interface CardOptions {
  /** The headline's level: 2 in a list, 3 under a storyline's heading. */
  level?: 2 | 3;
  /** The story's storyline, named on the card when it holds other stories. */
  storyline?: StorylineRef | null;
}

export function storyCard(s: Story, options: CardOptions = {}): SafeHtml {
  const shown = s.outlets.slice(0, OUTLETS_ON_CARD);
  const more = s.outlets.length - shown.length;
  const headline = html`<a href="${`/stories/${s.id}`}">${s.headline}</a>`;
  return html`<article class="story">
${options.level === 3 ? html`<h3>${headline}</h3>` : html`<h2>${headline}</h2>`}
${s.summary ? html`<p class="summary">${s.summary}</p>` : ''}
${storyMeta(s)}
<ul class="outlets" aria-label="Outlets">${shown.map(outletLink)}${more > 0 ? html`<li><a href="${`/stories/${s.id}`}">${plural(more, 'more outlet')}</a></li>` : ''}</ul>
${topicChips(s.topics)}
${partOf(options.storyline)}
</article>`;
}

/** The story list, with an "older stories" link when there is a next page. */
export function storyList(stories: Story[], nextHref: string | null, empty: string): SafeHtml {
  if (stories.length === 0) return html`<p>${empty}</p>`;
  return html`${stories.map((s) => storyCard(s))}${nextHref ? html`<p class="pager"><a href="${nextHref}" rel="next">Older stories</a></p>` : ''}`;
}
