// One story in a list: headline, summary, counts, time, outlets linking to their articles, topics.
import type { StoryOutlet, StorySummary, TopicRef } from '../../store/views.js';
import { html, plural, safeHref, timeTag, type SafeHtml } from './html.js';

/** Outlets shown on a card; the story page lists them all. */
const OUTLETS_ON_CARD = 8;

export const EXTERNAL_REL = 'nofollow noopener noreferrer';

const outletLink = (o: StoryOutlet): SafeHtml => {
  const href = safeHref(o.url);
  return html`<li>${href ? html`<a href="${href}" rel="${EXTERNAL_REL}">${o.name}</a>` : o.name}</li>`;
};

export const topicChips = (topics: TopicRef[], label = 'Topics'): SafeHtml =>
  topics.length === 0 ? html`` : html`<ul class="chips" aria-label="${label}">${topics.map((t) => html`<li><a href="${`/topics/${encodeURIComponent(t.slug)}`}">${t.name}</a></li>`)}</ul>`;

export function storyMeta(s: StorySummary): SafeHtml {
  return html`<p class="meta">${plural(s.itemCount, 'article')} · ${plural(s.outletCount, 'outlet')} · updated ${timeTag(s.lastSeenAt)}</p>`;
}

export function storyCard(s: StorySummary): SafeHtml {
  const shown = s.outlets.slice(0, OUTLETS_ON_CARD);
  const more = s.outlets.length - shown.length;
  return html`<article class="story">
<h2><a href="${`/stories/${s.id}`}">${s.headline}</a></h2>
${s.summary ? html`<p class="summary">${s.summary}</p>` : ''}
${storyMeta(s)}
<ul class="outlets" aria-label="Outlets">${shown.map(outletLink)}${more > 0 ? html`<li><a href="${`/stories/${s.id}`}">${plural(more, 'more outlet')}</a></li>` : ''}</ul>
${topicChips(s.topics)}
</article>`;
}

/** The story list, with an "older stories" link when there is a next page. */
export function storyList(stories: StorySummary[], nextHref: string | null, empty: string): SafeHtml {
  if (stories.length === 0) return html`<p>${empty}</p>`;
  return html`${stories.map(storyCard)}${nextHref ? html`<p class="pager"><a href="${nextHref}" rel="next">Older stories</a></p>` : ''}`;
}
