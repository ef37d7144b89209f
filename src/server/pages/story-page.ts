// A story's page: headline, summary, topics, the storyline it is part of, and its whole coverage with
// why each article joined.
import type { CoverageItem, StoryDetail, StorylineRef } from '../../store/read/index.js';
import { html, safeHref, timeTag, type SafeHtml } from '../html.js';
import { EXTERNAL_REL, partOf, storyMeta, topicChips } from './story-card.js';

const REASONS: Record<string, string> = {
  'new-story': 'started the story',
  similar: 'similar wording',
  copy: 'a wire copy',
  'same-url': 'the same article',
  merged: 'joined when two stories merged',
};

function why(item: CoverageItem): SafeHtml {
  if (!item.reason) return html``;
  const reason = REASONS[item.reason] ?? item.reason;
  const terms = item.sharedTerms.length > 0 ? html` — shared: ${item.sharedTerms.slice(0, 8).join(', ')}` : '';
  return html`<span class="why">Joined: ${reason}${terms}</span>`;
}

function coverageItem(item: CoverageItem): SafeHtml {
  const href = safeHref(item.url);
  const title = href ? html`<a href="${href}" rel="${EXTERNAL_REL}">${item.title}</a>` : html`${item.title}`;
  const outlet = item.source
    ? html`${item.source} <span class="meta">via ${item.outlet.name}</span>`
    : html`${item.outlet.name}`;
  return html`<li><strong>${outlet}</strong>: ${title}<br><span class="meta">${timeTag(item.publishedAt)}${item.copyOf !== null ? ' · wire copy' : ''}${item.duplicateOf !== null ? ' · also in another feed' : ''}</span><br>${why(item)}</li>`;
}

export function storyPage(story: StoryDetail, storyline: StorylineRef | null): SafeHtml {
  const lead = safeHref(story.url);
  return html`<article>
<h1>${story.headline}</h1>
${partOf(storyline)}
${story.summary ? html`<p class="summary">${story.summary}</p>` : ''}
${storyMeta(story)}
${lead ? html`<p><a href="${lead}" rel="${EXTERNAL_REL}">Read the representative article</a></p>` : ''}
${topicChips(story.topics)}
<h2>Coverage</h2>
<ul class="coverage">${story.items.map(coverageItem)}</ul>
</article>`;
}
