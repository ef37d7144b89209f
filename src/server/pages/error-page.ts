// The page a browser gets for a bad link or parameter: same look, no data.
import { html, raw } from '../html.js';
import { STYLESHEET } from './style.js';

export function renderErrorPage(status: number, message: string): string {
  const title = status === 404 ? 'Not found' : status < 500 ? 'Bad request' : 'Something went wrong';
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Storyline</title><style>${raw(STYLESHEET)}</style></head>
<body><header class="site"><a class="brand" href="/">Storyline</a></header>
<main id="main"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the top stories</a></p></main></body>
</html>
`.value;
}
