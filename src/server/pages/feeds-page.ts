// The feed health page (/feeds): every feed with its outlet, status, last success, error and item
// count, what GET /api/feeds has, for a person. And what the front page says when it has no story:
// the truth about the feeds (none yet, still being fetched, all failing and why), linking here.
import type { FeedReport } from '../../model.js';
import { hideCredentials } from '../../redact.js';
import { html, plural, safeHref, timeTag, type SafeHtml } from '../html.js';

const count = (reports: FeedReport[], ...statuses: Array<FeedReport['status']>): number =>
  reports.filter((r) => statuses.includes(r.status)).length;

function statusCell(r: FeedReport): SafeHtml {
  switch (r.status) {
    case 'ok':
      return html`ok`;
    case 'new':
      return html`not fetched yet`;
    case 'failing':
      return html`failing${r.failingSince ? html` since ${timeTag(r.failingSince)}` : ''} (${plural(r.errorCount, 'error')} in a row)`;
    case 'gone':
      return html`gone (410): not polled`;
    case 'disabled':
      return html`disabled`;
  }
}

function feedRow(r: FeedReport): SafeHtml {
  const url = hideCredentials(r.url);
  const href = safeHref(url);
  return html`<tr class="${r.status}">
<td>${r.outlet}${r.section ? html`<br><span class="meta">${r.section}</span>` : ''}</td>
<td>${href ? html`<a href="${href}" rel="nofollow noopener noreferrer">${url}</a>` : url}</td>
<td>${statusCell(r)}</td>
<td>${r.lastSuccessAt ? timeTag(r.lastSuccessAt) : 'never'}</td>
<td>${r.error ? hideCredentials(r.error) : ''}</td>
<td class="number">${r.items}</td>
</tr>`;
}

function summary(reports: FeedReport[]): string {
  const parts = [
    `${count(reports, 'ok')} ok`,
    `${count(reports, 'failing')} failing`,
    `${count(reports, 'new')} not fetched yet`,
    `${count(reports, 'gone', 'disabled')} gone or disabled`,
  ];
  return `${plural(reports.length, 'feed')}: ${parts.filter((p) => !p.startsWith('0 ')).join(', ')}.`;
}

/** The page's main content. */
export function feedsPage(reports: FeedReport[]): SafeHtml {
  if (reports.length === 0) return html`<h1>Feeds</h1><p>${NO_FEEDS}</p>`;
  return html`<h1>Feeds</h1>
<p>${summary(reports)}</p>
<table class="feeds">
<thead><tr><th scope="col">Outlet</th><th scope="col">Feed</th><th scope="col">Status</th><th scope="col">Last success</th><th scope="col">Error</th><th scope="col">Items</th></tr></thead>
<tbody>${reports.map(feedRow)}</tbody>
</table>`;
}

const NO_FEEDS = 'No feeds yet: add one with `storyline feeds add <url>`, or list them in the SOURCES_FILE.';

const healthLink = html`<a href="/feeds">feed health</a>`;

/** What the front page says instead of stories when it has none: true about the feeds, with a link to /feeds. */
export function noStoriesMessage(reports: FeedReport[]): SafeHtml {
  if (reports.length === 0) return html`<p>${NO_FEEDS}</p>`;
  const total = reports.length;
  const fresh = count(reports, 'new');
  const broken = count(reports, 'failing', 'gone', 'disabled');
  if (broken === total) {
    const latest = [...reports]
      .filter((r) => r.error)
      .sort((a, b) => (b.lastFetchedAt?.getTime() ?? 0) - (a.lastFetchedAt?.getTime() ?? 0))[0];
    const reason = latest ? html` The latest error, from ${latest.outlet}: “${hideCredentials(latest.error!)}”.` : '';
    return html`<p>No stories: every feed is failing (${broken} of ${total}).${reason} See ${healthLink} for each feed.</p>`;
  }
  if (fresh > 0)
    return html`<p>No stories yet: ${fresh} of ${plural(total, 'feed')} not fetched yet; the first fetch is still running. ${broken > 0 ? `${broken} failing. ` : ''}See ${healthLink}.</p>`;
  const items = reports.reduce((n, r) => n + r.items, 0);
  return html`<p>No stories yet: ${count(reports, 'ok')} of ${plural(total, 'feed')} fetched without error, holding ${plural(items, 'item')}${broken > 0 ? `; ${broken} failing` : ''}. Stories appear once items are grouped. See ${healthLink}.</p>`;
}
