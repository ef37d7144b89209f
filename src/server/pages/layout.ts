// The page shell: head with feed autodiscovery links, header with topics and search, footer.
import type { Topic } from '../../model.js';
import { STYLESHEET } from './style.js';
import { html, raw, type SafeHtml } from '../html.js';

export interface FeedAlternates {
  title: string;
  /** Path without extension, e.g. "/feed" or "/topics/pope-leo/feed". */
  path: string;
}

export interface PageShell {
  title: string;
  description: string;
  feeds: FeedAlternates;
  topics: Topic[];
  q?: string | undefined;
}

const alternates = (
  f: FeedAlternates,
): SafeHtml => html`<link rel="alternate" type="application/rss+xml" title="${`${f.title} (RSS)`}" href="${`${f.path}.xml`}">
<link rel="alternate" type="application/atom+xml" title="${`${f.title} (Atom)`}" href="${`${f.path}.atom`}">
<link rel="alternate" type="application/feed+json" title="${`${f.title} (JSON Feed)`}" href="${`${f.path}.json`}">`;

const topicNav = (topics: Topic[]): SafeHtml =>
  topics.length === 0
    ? html``
    : html`<nav class="topics-nav" aria-label="Topics"><ul>${topics.map((t) => html`<li><a href="${`/topics/${encodeURIComponent(t.slug)}`}">${t.name}</a></li>`)}</ul></nav>`;

/** A whole HTML document around `main`. */
export function renderPage(shell: PageShell, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shell.title}</title>
<meta name="description" content="${shell.description}">
${alternates(shell.feeds)}
<style>${raw(STYLESHEET)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the stories</a>
<header class="site">
<a class="brand" href="/">Storyline</a>
<form role="search" action="/" method="get"><label for="q">Search stories</label><input id="q" name="q" type="search" maxlength="300" value="${shell.q ?? ''}"><button type="submit">Search</button></form>
${topicNav(shell.topics)}
</header>
<main id="main">
${main}
</main>
<footer>
<p>Subscribe: <a href="${`${shell.feeds.path}.xml`}">RSS</a> · <a href="${`${shell.feeds.path}.atom`}">Atom</a> · <a href="${`${shell.feeds.path}.json`}">JSON Feed</a> · <a href="/api/openapi.json">API</a> · <a href="/feeds">Feed health</a>. Each article belongs to its outlet.</p>
</footer>
</body>
</html>
`.value;
}
