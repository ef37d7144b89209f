// A storyline's page: its title, span, counts and topics, a chart of its coverage per day, and its
// stories in the order they broke, each with its outlets and time.
import type { Story } from '../../model.js';
import type { StorylineDetail } from '../../store/read/index.js';
import { html, plural, timeTag, type SafeHtml } from '../html.js';
import { storyCard, topicChips } from './story-card.js';
import { coverageChart } from './storyline-chart.js';

const DAY_MS = 86_400_000;

/** The path of the storyline's feeds, without the extension. */
export const storylineFeedPath = (id: number): string => `/storylines/${id}/feed`;

function span(l: StorylineDetail): SafeHtml {
  const days = Math.floor(l.lastSeenAt.getTime() / DAY_MS) - Math.floor(l.firstSeenAt.getTime() / DAY_MS) + 1;
  return html`${timeTag(l.firstSeenAt)} to ${timeTag(l.lastSeenAt)} (${plural(days, 'day')})`;
}

const entry = (s: Story): SafeHtml =>
  html`<li><p class="when">${timeTag(s.firstSeenAt)}</p>${storyCard(s, { level: 3 })}</li>`;

export function storylinePage(l: StorylineDetail): SafeHtml {
  const feed = storylineFeedPath(l.id);
  const shown =
    l.stories.length < l.storyCount
      ? html`<p class="meta">The latest ${plural(l.stories.length, 'story', 'stories')} of ${l.storyCount}.</p>`
      : '';
  return html`<article class="storyline">
<p class="kicker">Storyline</p>
<h1>${l.title}</h1>
<p class="meta">${plural(l.storyCount, 'story', 'stories')} · ${plural(l.itemCount, 'article')} · ${plural(l.outletCount, 'outlet')} · ${span(l)}</p>
${topicChips(l.topics)}
<p class="meta">Follow it: <a href="${`${feed}.xml`}">RSS</a> · <a href="${`${feed}.atom`}">Atom</a> · <a href="${`${feed}.json`}">JSON Feed</a></p>
${coverageChart(l.days)}
<h2>Timeline</h2>
${shown}
<ol class="timeline">${l.stories.map(entry)}</ol>
</article>`;
}
